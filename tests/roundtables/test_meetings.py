"""Meetings: planning in a time zone, invitations and their notifications, changes and
cancellation, the meeting page's agenda, attendance, minutes and decisions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from app.arena.models import Notification
from app.arena.services.notifications import describe
from app.extensions import db
from app.roundtables.models import AgendaItem, Attendance, Decision, Meeting, as_utc
from app.roundtables.services import meetings
from tests.fixtures.roundtables import seat

NEXT_YEAR = date.today().year + 1


def _spring_forward(year: int) -> date:
    """The last Sunday of March, when European clocks skip from 02:00 to 03:00."""
    last = date(year, 3, 31)
    return last - timedelta(days=(last.weekday() + 1) % 7)


@pytest.fixture
def world(app, roundtable_world):
    """roundtable_world with CSRF off (these tests are about behaviour, not tokens)."""
    app.config["WTF_CSRF_ENABLED"] = False
    return roundtable_world


def _form(**changes) -> dict:
    """A valid meeting form for next year's 10 March, 18:00-20:00 in Berlin."""
    data = {"title": "Spring meeting", "kind": "meeting", "language": "de",
            "day": f"{NEXT_YEAR}-03-10", "start_time": "18:00", "end_time": "20:00",
            "timezone": "Europe/Berlin", "place": "Rathaus, Raum 3", "online_link": "",
            "public": "y"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _notes(user, event: str) -> list[Notification]:
    return [note for note in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)) if
        note.params.get("event") == event]


# Time zones ------------------------------------------------------------------------------


def test_winter_time_in_berlin_is_one_hour_ahead_of_utc():
    moment = meetings.local_to_utc(date(2027, 1, 12), time(18, 0), "Europe/Berlin")
    assert moment == datetime(2027, 1, 12, 17, 0, tzinfo=UTC)


def test_summer_time_in_bucharest_is_three_hours_ahead_of_utc():
    moment = meetings.local_to_utc(date(2027, 7, 1), time(9, 30), "Europe/Bucharest")
    assert moment == datetime(2027, 7, 1, 6, 30, tzinfo=UTC)


def test_a_time_skipped_by_the_spring_clock_change_is_refused():
    with pytest.raises(meetings.NonexistentLocalTime):
        meetings.local_to_utc(date(2027, 3, 28), time(2, 30), "Europe/Warsaw")


def test_a_repeated_autumn_time_takes_the_first_occurrence():
    moment = meetings.local_to_utc(date(2027, 10, 31), time(2, 30), "Europe/Budapest")
    assert moment == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_offered_zones_are_european_and_utc():
    zones = meetings.meeting_timezones()
    assert "Europe/Warsaw" in zones
    assert "UTC" in zones
    assert "America/New_York" not in zones


# Planning --------------------------------------------------------------------------------


def test_new_meeting_form_defaults_to_the_countrys_zone(client, act_as, world):
    act_as(world["people"]["secretariat"])
    html = client.get(f"/en/roundtables/{world['roundtable'].id}/meetings/new").get_data(True)
    assert '<option selected value="Europe/Berlin">' in html


def test_planning_stores_utc_and_invites_every_active_member(client, act_as, world):
    people, roundtable = world["people"], world["roundtable"]
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/meetings/new",
                           data=_form(day=f"{NEXT_YEAR}-07-01"))
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting))
    assert as_utc(meeting.starts_at) == datetime(NEXT_YEAR, 7, 1, 16, 0, tzinfo=UTC)
    invited = {row.user_id for row in db.session.scalars(select(Attendance))}
    assert invited == {people["secretariat"].id, people["member"].id}


def test_invited_members_are_notified_with_the_local_start(app, client, act_as, world):
    people, roundtable = world["people"], world["roundtable"]
    act_as(people["secretariat"])
    client.post(f"/en/roundtables/{roundtable.id}/meetings/new", data=_form())
    [note] = _notes(people["member"], "meeting_invited")
    assert note.params["when"] == f"{NEXT_YEAR}-03-10 18:00 Europe/Berlin"
    with app.test_request_context("/en/"):
        sentence = describe(note)
    assert sentence == (f'Berlin Mitte: you are invited to "Spring meeting" on '
                              f"{NEXT_YEAR}-03-10 18:00 Europe/Berlin")


def test_invited_notification_leads_to_the_meeting(client, act_as, world):
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/{world['roundtable'].id}/meetings/new", data=_form())
    [note] = _notes(world["people"]["member"], "meeting_invited")
    assert note.endpoint == "roundtables.view_meeting"


def test_members_of_other_roundtables_are_not_invited(client, act_as, world):
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/{world['roundtable'].id}/meetings/new", data=_form())
    assert _notes(world["people"]["other_member"], "meeting_invited") == []


@pytest.mark.parametrize("changes,message", [
    ({"title": ""}, "Please give the meeting a title."),
    ({"end_time": "17:00"}, "The meeting must end after it starts."),
    ({"day": f"{date.today().year - 1}-03-10"}, "The meeting cannot start in the past."),
    ({"place": "", "online_link": ""}, "Please give a place, an online link or both."),
    ({"online_link": "http://meet.example.org/x"}, "starts with https://"),
    ({"day": _spring_forward(NEXT_YEAR).isoformat(), "start_time": "02:30",
      "end_time": "04:00"}, "the clocks move forward"),
    ({"language": "hu"}, "Not a valid choice"),
    ({"timezone": "Mars/Olympus"}, "Not a valid choice"),
])
def test_invalid_meeting_is_refused_with_a_message(client, act_as, world, changes, message):
    act_as(world["people"]["secretariat"])
    response = client.post(f"/en/roundtables/{world['roundtable'].id}/meetings/new",
                           data=_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_refused_meeting_keeps_what_was_typed(client, act_as, world):
    act_as(world["people"]["secretariat"])
    response = client.post(f"/en/roundtables/{world['roundtable'].id}/meetings/new",
                           data=_form(end_time="17:00", place="Kiez-Treff <Nord>"))
    html = response.get_data(as_text=True)
    assert 'value="Kiez-Treff &lt;Nord&gt;"' in html
    assert 'value="Spring meeting"' in html


def test_refused_meeting_creates_nothing(client, act_as, world):
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/{world['roundtable'].id}/meetings/new",
                data=_form(end_time="17:00"))
    assert db.session.scalar(select(Meeting)) is None


def test_an_online_only_meeting_is_accepted(client, act_as, world):
    act_as(world["people"]["secretariat"])
    response = client.post(f"/en/roundtables/{world['roundtable'].id}/meetings/new",
                           data=_form(place="", online_link="https://meet.example.org/rt"))
    assert response.status_code == 302


# Changing and cancelling -----------------------------------------------------------------


def test_moving_a_meeting_raises_sequence_and_notifies(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/edit", data=_form(start_time="17:00"))
    assert meeting.sequence == 1
    assert len(_notes(world["people"]["member"], "meeting_changed")) == 1


def test_a_new_description_alone_notifies_nobody(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/edit", data=_form())
    first = meeting.sequence
    client.post(f"/en/roundtables/meetings/{meeting.id}/edit", data=_form(kind="training"))
    assert meeting.sequence == first
    assert len(_notes(world["people"]["member"], "meeting_changed")) == 1


def test_edit_form_shows_the_local_time(client, act_as, world, make_meeting):
    starts = datetime(NEXT_YEAR, 7, 1, 16, 0, tzinfo=UTC)
    meeting = make_meeting(world["roundtable"], starts_at=starts)
    act_as(world["people"]["secretariat"])
    html = client.get(f"/en/roundtables/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert 'value="18:00"' in html


def test_cancelling_marks_raises_sequence_and_notifies(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/cancel")
    assert meeting.is_cancelled
    assert meeting.sequence == 1
    assert len(_notes(world["people"]["member"], "meeting_cancelled")) == 1


def test_cancelled_meeting_page_says_so(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    meetings.cancel_meeting(meeting)
    db.session.commit()
    act_as(world["people"]["member"])
    html = client.get(f"/en/roundtables/meetings/{meeting.id}").get_data(as_text=True)
    assert "This meeting was cancelled." in html


def test_a_member_who_left_is_not_told_of_changes(world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    for seat_ in world["roundtable"].memberships:
        if seat_.user_id == world["people"]["member"].id:
            db.session.delete(seat_)
    meetings.cancel_meeting(meeting)
    assert _notes(world["people"]["member"], "meeting_cancelled") == []


# The meeting page --------------------------------------------------------------------------


def test_meeting_page_shows_the_time_in_the_meetings_zone(client, act_as, world, make_meeting):
    starts = datetime(NEXT_YEAR, 1, 12, 17, 0, tzinfo=UTC)
    meeting = make_meeting(world["roundtable"], starts_at=starts, timezone="Europe/Warsaw")
    act_as(world["people"]["member"])
    html = client.get(f"/en/roundtables/meetings/{meeting.id}").get_data(as_text=True)
    assert "6:00\u202fPM" in html or "18:00" in html
    assert "(Europe/Warsaw)" in html


def test_member_confirms_attendance(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    member = world["people"]["member"]
    act_as(member)
    client.post(f"/en/roundtables/meetings/{meeting.id}/attendance", data={"status": "confirmed"})
    assert db.session.get(Attendance, (meeting.id, member.id)).status == "confirmed"


def test_member_cannot_mark_themself_attended(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["member"])
    response = client.post(f"/en/roundtables/meetings/{meeting.id}/attendance",
                           data={"status": "attended"})
    assert response.status_code == 400


def test_recording_attendance_leaves_the_unticked_as_they_were(client, act_as, world,
                                                               make_meeting):
    meeting = make_meeting(world["roundtable"], days=-1)
    people = world["people"]
    act_as(people["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/attendance/record",
                data={"attended": [str(people["member"].id)]})
    statuses = {row.user_id: row.status for row in db.session.scalars(select(Attendance))}
    assert statuses[people["member"].id] == "attended"
    assert statuses[people["secretariat"].id] == "invited"


def test_agenda_item_links_a_case_of_the_country(client, act_as, world, make_meeting, make_case):
    meeting, case = make_meeting(world["roundtable"]), make_case(country="DE")
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/agenda",
                data={"title": "Joint case conference", "owner": "", "case": str(case.id)})
    html = client.get(f"/en/roundtables/meetings/{meeting.id}").get_data(as_text=True)
    assert f'href="/en/arena/cases/{case.id}"' in html


def test_agenda_refuses_a_case_of_another_country(client, act_as, world, make_meeting,
                                                  make_case):
    meeting, case = make_meeting(world["roundtable"]), make_case(country="PL")
    act_as(world["people"]["coordinator"])
    response = client.post(f"/en/roundtables/meetings/{meeting.id}/agenda",
                           data={"title": "Kept title", "owner": "", "case": str(case.id)})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose a case of this roundtable&#39;s country that you can see." in html
    assert 'value="Kept title"' in html


def test_agenda_refuses_an_owner_from_outside(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    response = client.post(f"/en/roundtables/meetings/{meeting.id}/agenda", data={
        "title": "Point", "owner": str(world["people"]["other_member"].id)})
    assert response.status_code == 400


def test_agenda_points_move_up(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    first = meetings.add_agenda_item(meeting, "First", None, None)
    second = meetings.add_agenda_item(meeting, "Second", None, None)
    db.session.commit()
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/agenda/{second.id}/move",
                data={"direction": "up"})
    db.session.refresh(meeting)
    assert [item.id for item in meeting.agenda] == [second.id, first.id]


def test_agenda_point_is_removed(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    item = meetings.add_agenda_item(meeting, "Gone", None, None)
    db.session.commit()
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/agenda/{item.id}/delete")
    assert db.session.scalar(select(AgendaItem)) is None


def test_minutes_are_sanitised_markdown(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/minutes",
                data={"minutes": "**Agreed**<script>alert(1)</script>"})
    html = client.get(f"/en/roundtables/meetings/{meeting.id}").get_data(as_text=True)
    assert "<strong>Agreed</strong>" in html
    assert "<script>alert(1)" not in html


def test_decisions_are_added_and_deleted(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    client.post(f"/en/roundtables/meetings/{meeting.id}/decisions",
                data={"text": "We meet monthly."})
    decision = db.session.scalar(select(Decision))
    assert decision.text == "We meet monthly."
    client.post(f"/en/roundtables/meetings/{meeting.id}/decisions/{decision.id}/delete")
    assert db.session.scalar(select(Decision)) is None


def test_empty_decision_is_refused_with_a_message(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    response = client.post(f"/en/roundtables/meetings/{meeting.id}/decisions", data={"text": ""})
    assert response.status_code == 400
    assert "Please write the decision." in response.get_data(as_text=True)


def test_a_new_member_is_invited_to_later_meetings_only(client, act_as, world, make_meeting,
                                                       make_user):
    meeting = make_meeting(world["roundtable"])
    newcomer = make_user(country="DE")
    seat(world["roundtable"], newcomer)
    db.session.commit()
    assert meetings.own_attendance(meeting, newcomer) is None
    later = meetings.create_meeting(world["roundtable"], meetings.MeetingPlan(
        title="Later", kind="meeting", language="de", timezone="UTC", place="Here",
        starts_at=as_utc(meeting.starts_at) + timedelta(days=30),
        ends_at=as_utc(meeting.ends_at) + timedelta(days=30)), world["people"]["secretariat"])
    assert meetings.own_attendance(later, newcomer) is not None
