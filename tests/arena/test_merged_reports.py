"""Two reports of one incident, one merged into the other's case: a withdrawal takes only its
own report, and the case that lives on talks with both reporters, each clearly named."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from app.alerts.models import Alert, AlertMessage
from app.arena.models import Case, CaseEvent, Notification
from app.arena.services import cases, discussion
from app.extensions import db as _db
from tests.fixtures.app import counted_statements, csrf_token_from
from tests.fixtures.reporters import (
    FIRST,
    alert_with,
    follow_up_page,
    merged_reports,
    write_as_reporter,
)

PHOTOS = "Did anyone take photos"  # the rest quotes the withdrawn text, which is redacted
RECOMMENDED = "Report the slogans to the police"


def _withdraw(browser) -> None:
    """The reporter withdraws their alert on the follow-up page."""
    page = browser.get("/en/alert/follow-up").get_data(as_text=True)
    browser.post("/en/alert/follow-up/withdraw", data={"csrf_token": csrf_token_from(page)})
    _db.session.expire_all()


def _events(case: Case) -> list[str]:
    """The kinds of the case's history lines."""
    return list(_db.session.scalars(
        select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))


def _case_page(client, act_as, user, case: Case) -> str:
    """The case page as this member sees it."""
    act_as(user)
    return client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)


# The surviving case's own reporter withdraws ---------------------------------------------
def test_the_case_stays_open_when_its_own_reporter_withdraws_and_a_merged_one_is_live(
        app, make_user):
    first, second, _dup, survivor, _coordinator = merged_reports(app, make_user)
    _withdraw(second)
    assert _db.session.get(Case, survivor.id).status == "recommendation_given"
    assert "reporter_withdrew" in _events(survivor)


def test_the_merged_reporter_keeps_the_status_recommendation_and_messages(app, make_user):
    first, second, _dup, _survivor, _coordinator = merged_reports(app, make_user)
    _withdraw(second)
    page = follow_up_page(first)
    assert RECOMMENDED in page
    assert PHOTOS in page
    assert "without a recommendation for you" not in page


def test_the_withdrawn_report_loses_its_own_text_and_messages(app, make_user):
    first, second, _dup, survivor, _coordinator = merged_reports(app, make_user)
    write_as_reporter(second, "Only the surviving case's reporter wrote this.")
    withdrawn_id = survivor.alert_id
    _withdraw(second)
    withdrawn = _db.session.get(Alert, withdrawn_id)
    assert withdrawn.description is None
    assert withdrawn.contact_email is None
    assert withdrawn.messages == []
    assert "Only the surviving case's reporter wrote this." not in follow_up_page(first)


def test_the_merged_reporters_copy_of_the_experts_messages_loses_quotes_of_the_withdrawn_text(
        app, make_user):
    first, second, duplicate, survivor, coordinator = merged_reports(app, make_user)
    discussion.message_reporter(survivor, coordinator, "Was the football team there too?")
    _db.session.commit()
    _withdraw(second)
    bodies = _db.session.scalars(select(AlertMessage.body).where(
        AlertMessage.alert_id == duplicate.alert_id)).all()
    assert any(body.startswith(PHOTOS) for body in bodies)
    assert "football" not in " ".join(bodies)  # a distinctive word of the withdrawn text


def test_the_history_says_one_reporter_withdrew(app, make_user, act_as, client):
    _first, second, _dup, survivor, coordinator = merged_reports(app, make_user)
    _withdraw(second)
    page = _case_page(client, act_as, coordinator, survivor)
    assert "The reporter of this case withdrew their alert; the case stays open" in page
    assert "The reporter withdrew this alert; its text was deleted." in page


def test_the_board_still_lists_the_open_case_after_the_withdrawal(app, make_user, act_as,
                                                                  client):
    _first, second, _dup, survivor, coordinator = merged_reports(app, make_user)
    _withdraw(second)
    act_as(coordinator)
    board = client.get("/en/arena/")
    assert board.status_code == 200
    assert f"/en/arena/cases/{survivor.id}" in board.get_data(as_text=True)


def test_members_still_write_to_the_merged_reporter_after_the_withdrawal(
        app, make_user, act_as, client):
    first, second, _dup, survivor, coordinator = merged_reports(app, make_user)
    _withdraw(second)
    page = _case_page(client, act_as, coordinator, survivor)
    client.post(f"/en/arena/cases/{survivor.id}/messages", data={
        "csrf_token": csrf_token_from(page), "body": "Is the fence cleaned by now?"})
    assert "Is the fence cleaned by now?" in follow_up_page(first)


def test_the_case_closes_as_withdrawn_once_both_reporters_withdrew(app, make_user):
    first, second, _dup, survivor, _coordinator = merged_reports(app, make_user)
    _withdraw(second)
    _withdraw(first)
    case = _db.session.get(Case, survivor.id)
    assert case.status == "closed"
    assert case.closed_reason == "withdrawn"


def test_a_case_serving_nobody_closes_as_withdrawn_as_before(app, make_user):
    _first, second, _dup, survivor, coordinator = merged_reports(app, make_user)
    other = cases.case_for_alert(alert_with(FIRST))
    cases.reopen(other, coordinator)  # the merged report is its own case again
    _db.session.commit()
    _withdraw(second)
    assert _db.session.get(Case, survivor.id).closed_reason == "withdrawn"


# The merged report's reporter withdraws ----------------------------------------------------
def test_the_surviving_case_is_unaffected_when_the_merged_reporter_withdraws(app, make_user):
    first, second, duplicate, survivor, _coordinator = merged_reports(app, make_user)
    write_as_reporter(first, "Only the merged reporter wrote this.")
    _withdraw(first)
    assert _db.session.get(Case, survivor.id).status == "recommendation_given"
    assert _db.session.get(Alert, duplicate.alert_id).description is None
    assert "reporter_withdrew" not in _events(survivor)
    page = follow_up_page(second)
    assert RECOMMENDED in page
    assert PHOTOS in page
    assert "Only the merged reporter wrote this." not in page


# The merged reporter's reply reaches the case where the work happens -----------------------
def test_the_surviving_case_shows_the_merged_reporters_reply_labelled(
        app, make_user, act_as, client):
    first, _second, duplicate, survivor, coordinator = merged_reports(app, make_user)
    write_as_reporter(first, "Yes, the caretaker took photos.")
    page = _case_page(client, act_as, coordinator, survivor)
    assert "Yes, the caretaker took photos." in page
    assert f"Reporter of merged case #{duplicate.id}" in page


def test_the_merged_reporters_contact_stays_on_their_own_case(app, make_user, act_as, client):
    first, _second, duplicate, survivor, coordinator = merged_reports(app, make_user)
    _db.session.get(Alert, duplicate.alert_id).contact_email = "merged.reporter@example.org"
    _db.session.commit()
    write_as_reporter(first, "Yes, the caretaker took photos.")
    assert "merged.reporter@example.org" not in _revealed(client, act_as, coordinator,
                                                           survivor)
    assert "merged.reporter@example.org" in _revealed(client, act_as, coordinator, duplicate)


def _revealed(client, act_as, coordinator, case: Case) -> str:
    """The case page after the coordinator pressed "Reveal the reporter's contact"."""
    page = _case_page(client, act_as, coordinator, case)
    return client.post(f"/en/arena/cases/{case.id}/contact",
                       data={"csrf_token": csrf_token_from(page)}).get_data(as_text=True)


def test_the_merged_reporters_reply_is_announced_on_the_surviving_case(app, make_user):
    first, _second, duplicate, survivor, _coordinator = merged_reports(app, make_user)
    write_as_reporter(first, "Yes, the caretaker took photos.")
    assert "reporter_wrote" in _events(survivor)
    cases_named = {note.params["case_id"] for note in _db.session.scalars(
        select(Notification).where(Notification.kind == "reply"))}
    assert cases_named == {survivor.id}


def _statements(client, case: Case) -> int:
    """How many statements the case page runs (from a fresh session state each time)."""
    g.pop("_login_user", None)
    _db.session.expire_all()
    with counted_statements() as seen:
        assert client.get(f"/en/arena/cases/{case.id}").status_code == 200
    return len(seen)


def test_the_case_page_loads_the_conversation_in_the_same_queries_however_long(
        app, make_user, act_as, client):
    first, second, _dup, survivor, coordinator = merged_reports(app, make_user)
    act_as(coordinator)
    before = _statements(client, survivor)
    for n in range(3):
        write_as_reporter(first, f"Merged reporter, detail {n}.")
        write_as_reporter(second, f"Own reporter, detail {n}.")
        discussion.message_reporter(survivor, coordinator, f"Thanks, question {n}.")
    _db.session.commit()
    assert _statements(client, survivor) == before


def test_the_conversation_is_ordered_and_names_each_reporter(app, make_user):
    first, second, duplicate, survivor, _coordinator = merged_reports(app, make_user)
    write_as_reporter(first, "From the merged reporter.")
    write_as_reporter(second, "From the own reporter.")
    entries = [(entry.message.body, entry.merged_case_id)
               for entry in discussion.reporter_messages(survivor)]
    assert entries == [("Did anyone take photos of the fence?", None),
                       ("From the merged reporter.", duplicate.id),
                       ("From the own reporter.", None)]
