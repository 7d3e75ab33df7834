"""Action items: added by managers for active members, changed by owners and managers, listed on
"my actions" (only from active seats, overdue flagged in words), reminded once a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.arena.models import Notification
from app.arena.services.notifications import describe
from app.arena.tasks import send_daily_digests
from app.extensions import db
from app.roundtables.models import ActionItem, Meeting
from app.roundtables.services import actions
from tests.fixtures.app import csrf_token_from

TODAY = date(2027, 3, 10)


@pytest.fixture
def today(monkeypatch):
    """Freeze the roundtables' "today" on TODAY."""
    monkeypatch.setattr(actions, "today", lambda: TODAY)
    return TODAY


@pytest.fixture
def world(roundtable_world):
    """The people and the Berlin roundtable of roundtable_world."""
    return roundtable_world["people"], roundtable_world["roundtable"]


def _token(client) -> str:
    return csrf_token_from(client.get("/en/roundtables/actions").get_data(as_text=True))


def _action(roundtable, owner, due_on=TODAY, status="open", **fields) -> ActionItem:
    action = ActionItem(roundtable=roundtable, title=fields.pop("title", "Write to the school"),
                        owner_id=owner.id, due_on=due_on, status=status, **fields)
    db.session.add(action)
    db.session.commit()
    return action


def _sentence(note: Notification) -> str:
    with force_locale("en"):
        return describe(note)


def _notes(user, kind: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == kind)))


def test_manager_adds_an_action_for_a_member_who_is_told(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/actions", data={
        "csrf_token": _token(client), "title": "Invite the police", "due_on": "2030-05-01",
        "owner": str(people["member"].id)})
    assert response.status_code == 302
    action = db.session.scalar(select(ActionItem))
    assert action.title == "Invite the police"
    assert action.owner_id == people["member"].id
    note = _notes(people["member"], "roundtable")[0]
    assert "Invite the police" in _sentence(note)


def test_no_notification_when_one_takes_an_action_oneself(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    client.post(f"/en/roundtables/{roundtable.id}/actions", data={
        "csrf_token": _token(client), "title": "Book a room", "due_on": "2030-05-01",
        "owner": str(people["secretariat"].id)})
    assert db.session.scalar(select(func.count(ActionItem.id))) == 1
    assert _notes(people["secretariat"], "roundtable") == []


def test_invalid_action_is_shown_again_with_400_and_the_text_kept(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/actions", data={
        "csrf_token": _token(client), "title": "Ask the youth centre", "due_on": "",
        "owner": str(people["member"].id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Ask the youth centre"' in html
    assert "Please give a due date" in html
    assert db.session.scalar(select(func.count(ActionItem.id))) == 0


def test_an_outsider_cannot_own_an_action(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/actions", data={
        "csrf_token": _token(client), "title": "Sneak in", "due_on": "2030-05-01",
        "owner": str(people["other_member"].id)})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(ActionItem.id))) == 0


def test_action_of_another_roundtables_meeting_is_refused(client, act_as, world,
                                                          roundtable_world):
    people, roundtable = world
    elsewhere = Meeting(roundtable=roundtable_world["other"], title="Hamburg",
                        starts_at=actions.utcnow(), ends_at=actions.utcnow())
    db.session.add(elsewhere)
    db.session.commit()
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/actions", data={
        "csrf_token": _token(client), "title": "Cross over", "due_on": "2030-05-01",
        "owner": str(people["member"].id), "meeting": str(elsewhere.id)})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(ActionItem.id))) == 0


def test_owner_marks_done_and_closed_at_is_set(client, act_as, world):
    people, roundtable = world
    action = _action(roundtable, people["member"])
    act_as(people["member"])
    response = client.post(f"/en/roundtables/actions/{action.id}/status",
                           data={"csrf_token": _token(client), "status": "done", "back": "mine"})
    assert response.status_code == 302
    db.session.refresh(action)
    assert action.status == "done"
    assert action.closed_at is not None


def test_reopening_forgets_when_it_was_closed(world):
    people, roundtable = world
    action = _action(roundtable, people["member"])
    actions.set_status(action, "dropped")
    actions.set_status(action, "open")
    assert action.closed_at is None


def test_a_member_cannot_close_someone_elses_action(client, act_as, world):
    people, roundtable = world
    action = _action(roundtable, people["secretariat"])
    act_as(people["member"])
    response = client.post(f"/en/roundtables/actions/{action.id}/status",
                           data={"csrf_token": _token(client), "status": "done"})
    assert response.status_code == 403
    db.session.refresh(action)
    assert action.status == "open"


def test_unknown_status_is_refused(client, act_as, world):
    people, roundtable = world
    action = _action(roundtable, people["member"])
    act_as(people["member"])
    response = client.post(f"/en/roundtables/actions/{action.id}/status",
                           data={"csrf_token": _token(client), "status": "forgotten"})
    assert response.status_code == 400


def test_status_change_needs_the_csrf_token(client, act_as, world):
    people, roundtable = world
    action = _action(roundtable, people["member"])
    act_as(people["member"])
    response = client.post(f"/en/roundtables/actions/{action.id}/status", data={"status": "done"})
    assert response.status_code == 400


def test_my_actions_lists_only_open_actions_from_active_seats(client, act_as, world,
                                                              roundtable_world, today):
    from tests.fixtures.roundtables import seat

    people, roundtable = world
    _action(roundtable, people["member"], title="Call the mosque")
    _action(roundtable, people["member"], title="Already done", status="done")
    invited_at = roundtable_world["other"]
    seat(invited_at, people["member"], status="invited")
    _action(invited_at, people["member"], title="From a seat not taken")
    act_as(people["member"])
    html = client.get("/en/roundtables/actions").get_data(as_text=True)
    assert "Call the mosque" in html
    assert "Already done" not in html
    assert "From a seat not taken" not in html


def test_overdue_action_is_flagged_in_words(client, act_as, world, today):
    people, roundtable = world
    _action(roundtable, people["member"], due_on=today - timedelta(days=3))
    act_as(people["member"])
    html = client.get("/en/roundtables/actions").get_data(as_text=True)
    assert "Overdue by 3 days" in html


def test_action_due_today_is_not_overdue(client, act_as, world, today):
    people, roundtable = world
    _action(roundtable, people["member"], due_on=today)
    act_as(people["member"])
    html = client.get("/en/roundtables/actions").get_data(as_text=True)
    assert "Overdue" not in html


def test_my_actions_are_sorted_by_due_date(world, today):
    people, roundtable = world
    later = _action(roundtable, people["member"], due_on=today + timedelta(days=9))
    sooner = _action(roundtable, people["member"], due_on=today + timedelta(days=1))
    assert actions.my_open_actions(people["member"]) == [sooner, later]


def test_my_actions_has_an_empty_state(client, act_as, world):
    people, _roundtable = world
    act_as(people["member"])
    html = client.get("/en/roundtables/actions").get_data(as_text=True)
    assert "You have no open actions" in html


def test_closed_actions_are_shown_on_request(client, act_as, world):
    people, roundtable = world
    _action(roundtable, people["member"], title="Wrote the report", status="done")
    act_as(people["member"])
    html = client.get("/en/roundtables/actions?show=closed").get_data(as_text=True)
    assert "Wrote the report" in html


def test_digest_reminds_an_overdue_action_once_a_day(world, today):
    people, roundtable = world
    action = _action(roundtable, people["member"], due_on=today - timedelta(days=2))
    send_daily_digests()
    send_daily_digests()
    notes = _notes(people["member"], "action_due")
    assert len(notes) == 1
    assert notes[0].params["days"] == 2
    assert notes[0].params["due"] == action.due_on.isoformat()
    db.session.refresh(action)
    assert action.reminded_on == today


def test_reminder_sentence_counts_the_days(world, today):
    people, roundtable = world
    _action(roundtable, people["member"], title="Send the minutes",
            due_on=today - timedelta(days=1))
    send_daily_digests()
    text = _sentence(_notes(people["member"], "action_due")[0])
    assert "1 day overdue" in text
    assert "Send the minutes" in text


def test_digest_reminds_again_the_next_day(world, today, monkeypatch):
    people, roundtable = world
    _action(roundtable, people["member"], due_on=today - timedelta(days=2))
    send_daily_digests()
    monkeypatch.setattr(actions, "today", lambda: today + timedelta(days=1))
    send_daily_digests()
    assert len(_notes(people["member"], "action_due")) == 2


def test_done_and_dropped_actions_are_never_reminded(world, today):
    people, roundtable = world
    _action(roundtable, people["member"], due_on=today - timedelta(days=5), status="done")
    _action(roundtable, people["member"], due_on=today - timedelta(days=5), status="dropped")
    send_daily_digests()
    assert _notes(people["member"], "action_due") == []


def test_actions_not_yet_due_are_not_reminded(world, today):
    people, roundtable = world
    _action(roundtable, people["member"], due_on=today)
    send_daily_digests()
    assert _notes(people["member"], "action_due") == []


@pytest.fixture
def meeting(world):
    """A past meeting of the Berlin roundtable."""
    _people, roundtable = world
    held = Meeting(roundtable=roundtable, title="March meeting",
                   starts_at=actions.utcnow() - timedelta(days=2),
                   ends_at=actions.utcnow() - timedelta(days=2, hours=-2))
    db.session.add(held)
    db.session.commit()
    return held


def test_meeting_page_offers_managers_the_action_form(client, act_as, world, meeting):
    people, _roundtable = world
    act_as(people["secretariat"])
    html = client.get(f"/en/roundtables/meetings/{meeting.id}").get_data(as_text=True)
    assert "Add the action" in html
    assert f'<option selected value="{meeting.id}">' in html


def test_meeting_page_lets_the_owner_close_but_not_add(client, act_as, world, meeting, today):
    people, roundtable = world
    _action(roundtable, people["member"], title="Call the club", meeting_id=meeting.id,
            due_on=today - timedelta(days=1))
    act_as(people["member"])
    html = client.get(f"/en/roundtables/meetings/{meeting.id}").get_data(as_text=True)
    assert "Call the club" in html
    assert "Mark done" in html
    assert "Overdue" in html
    assert "Add the action" not in html


def test_action_added_at_a_meeting_leads_back_to_it(client, act_as, world, meeting):
    people, roundtable = world
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/actions", data={
        "csrf_token": _token(client), "title": "Send the minutes", "due_on": "2030-05-01",
        "owner": str(people["member"].id), "meeting": str(meeting.id)})
    assert f"/roundtables/meetings/{meeting.id}" in response.location
    assert db.session.scalar(select(ActionItem)).meeting_id == meeting.id
