"""No message into the void: a reporter's message on a library-answered alert opens a case;
a report merged as a duplicate follows the case that lives on, without the other report."""

from __future__ import annotations

from sqlalchemy import select

from app.alerts.models import Alert
from app.arena.models import Notification
from app.arena.services import cases
from app.extensions import db as _db
from tests.fixtures.alerts import valid_alert
from tests.fixtures.reporters import (
    FIRST,
    SECOND,
    follow_up_page,
    merged_reports,
    reporter_browser,
    write_as_reporter,
)


# A message on an alert the library answered -----------------------------------------------
def test_a_message_on_an_answered_alert_opens_a_case_for_the_countrys_members(
        app, alert_library, make_user, db):
    member = make_user(country="DE")
    elsewhere = make_user(country="PL")
    reporter = reporter_browser(app, valid_alert()["description"])
    alert = db.session.scalars(select(Alert)).one()
    assert alert.forwarded_at is None  # the library answered it
    sent = write_as_reporter(reporter, "The graffiti is back, and now with names.")
    page = sent.get_data(as_text=True)
    db.session.expire_all()
    case = cases.case_for_alert(alert)
    assert case is not None
    assert alert.forward_reason == "reporter_wrote"
    notified = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "new_case", Notification.endpoint_args["case_id"].as_integer()
        == case.id)))
    assert member.id in notified
    assert elsewhere.id not in notified
    assert "they now see your report as a case" in page


def test_the_member_sees_the_reporters_message_on_the_new_case(app, alert_library, make_user,
                                                               act_as, client):
    member = make_user(country="DE")
    reporter = reporter_browser(app, valid_alert()["description"])
    write_as_reporter(reporter, "The graffiti is back, and now with names.")
    case = cases.case_for_alert(_db.session.scalars(select(Alert)).one())
    act_as(member)
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "The graffiti is back, and now with names." in page
    assert "The reporter wrote a message after the library" in page


def test_the_follow_up_page_of_an_answered_alert_says_where_a_message_goes(app, alert_library):
    reporter = reporter_browser(app, valid_alert()["description"])
    assert "your report then becomes a case for them" in follow_up_page(reporter)


# A report merged into another ------------------------------------------------------------
def test_a_merged_report_shows_the_surviving_cases_status_and_recommendation(app, make_user):
    first, _second, _dup, _survivor, _coordinator = merged_reports(app, make_user)
    page = follow_up_page(first)
    assert "Report the slogans to the police" in page
    assert "The experts have recommended what to do" in page
    assert "Your report was joined with another report of the same incident" in page
    assert "come back in a few days" not in page


def test_both_reporters_see_the_experts_message_and_neither_the_other_report(app, make_user):
    first, second, _dup, _survivor, _coordinator = merged_reports(app, make_user)
    write_as_reporter(second, "Only the second reporter wrote this.")
    first_page, second_page = follow_up_page(first), follow_up_page(second)
    assert "Did anyone take photos of the fence?" in first_page
    assert "Did anyone take photos of the fence?" in second_page
    assert SECOND not in first_page
    assert "Only the second reporter wrote this." not in first_page
    assert FIRST not in second_page


def test_the_surviving_report_keeps_its_own_status(app, make_user):
    _first, second, _dup, _survivor, _coordinator = merged_reports(app, make_user)
    page = follow_up_page(second)
    assert "Report the slogans to the police" in page
    assert "joined with another report" not in page


def test_a_message_on_a_merged_report_reaches_the_surviving_cases_followers(app, make_user,
                                                                            db):
    first, _second, _duplicate, survivor, _coordinator = merged_reports(app, make_user)
    follower = make_user(country="DE")
    cases.follow(survivor, follower)
    db.session.commit()
    write_as_reporter(first, "We found a second fence with the same slogans.")
    replies = db.session.scalars(select(Notification).where(
        Notification.user_id == follower.id, Notification.kind == "reply")).all()
    assert [note.params["case_id"] for note in replies] == [survivor.id]  # where work happens


def test_reopening_a_merged_case_gives_the_report_its_own_status_again(app, make_user, db):
    first, _second, duplicate, _survivor, coordinator = merged_reports(app, make_user)
    cases.reopen(duplicate, coordinator)
    db.session.commit()
    page = follow_up_page(first)
    assert "joined with another report" not in page
    assert "Report the slogans to the police" not in page
    assert "Did anyone take photos of the fence?" not in page


def test_the_surviving_case_page_tells_members_their_messages_reach_both_reporters(
        app, make_user, act_as, client):
    _first, _second, _dup, survivor, coordinator = merged_reports(app, make_user)
    act_as(coordinator)
    page = client.get(f"/en/arena/cases/{survivor.id}").get_data(as_text=True)
    assert "their reporters also see the messages you send here" in page
