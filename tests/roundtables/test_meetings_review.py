"""Review fixes on meetings and actions: attendance only from the start and never excusing
anyone, answers and cancelling only while upcoming, cancelled meetings read-only, quiet edits
of past meetings, no past due dates, translated length messages, the agenda's case select,
translated .ics texts, accessible decision buttons, current time zones, clearer headings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from app.arena.models import Notification
from app.extensions import db
from app.roundtables.models import ActionItem, AdoptedCase, AgendaItem, Attendance, Decision
from app.roundtables.services import meetings

NEXT_YEAR = date.today().year + 1


@pytest.fixture
def world(app, roundtable_world):
    """roundtable_world with CSRF off (these tests are about behaviour, not tokens)."""
    app.config["WTF_CSRF_ENABLED"] = False
    return roundtable_world


def _url(meeting, tail: str = "") -> str:
    return f"/en/roundtables/meetings/{meeting.id}{tail}"


def _status(meeting, user) -> str:
    return db.session.get(Attendance, (meeting.id, user.id)).status


def _page(client, meeting, lang: str = "en") -> str:
    return client.get(f"/{lang}/roundtables/meetings/{meeting.id}").get_data(as_text=True)


def _set_status(meeting, user, status: str) -> None:
    db.session.get(Attendance, (meeting.id, user.id)).status = status
    db.session.commit()


def _cancelled(make_meeting, roundtable, days: float = 7):
    meeting = make_meeting(roundtable, days=days)
    meetings.cancel_meeting(meeting)
    db.session.commit()
    return meeting


def _form(**changes) -> dict:
    data = {"title": "Spring meeting", "kind": "meeting", "language": "de",
            "day": f"{NEXT_YEAR}-03-10", "start_time": "18:00", "end_time": "20:00",
            "timezone": "Europe/Berlin", "place": "Rathaus", "online_link": ""}
    data.update(changes)
    return data


def _changed_notes(user) -> int:
    return sum(1 for note in db.session.scalars(
        select(Notification).where(Notification.user_id == user.id))
        if note.params.get("event") == "meeting_changed")


# 1. Recording attendance ------------------------------------------------------------------


def test_record_form_is_not_offered_before_the_start(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=3)
    act_as(world["people"]["secretariat"])
    assert "Record who attended" not in _page(client, meeting)


def test_record_form_is_offered_from_the_start(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-0.01)
    act_as(world["people"]["secretariat"])
    assert "Record who attended" in _page(client, meeting)


def test_recording_before_the_start_is_refused_and_changes_nothing(client, act_as, world,
                                                                    make_meeting):
    meeting = make_meeting(world["roundtable"], days=3)
    member = world["people"]["member"]
    act_as(world["people"]["secretariat"])
    response = client.post(_url(meeting, "/attendance/record"),
                           data={"attended": [str(member.id)]}, follow_redirects=True)
    assert "Attendance can be recorded once the meeting has started." in \
        response.get_data(as_text=True)
    assert _status(meeting, member) == "invited"


def test_recording_marks_the_ticked_as_attended(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-1)
    member = world["people"]["member"]
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/attendance/record"), data={"attended": [str(member.id)]})
    assert _status(meeting, member) == "attended"


@pytest.mark.parametrize("answer", ["invited", "confirmed", "excused"])
def test_the_unticked_keep_their_own_answer(client, act_as, world, make_meeting, answer):
    meeting = make_meeting(world["roundtable"], days=-1)
    member = world["people"]["member"]
    _set_status(meeting, member, answer)
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/attendance/record"), data={})
    assert _status(meeting, member) == answer


def test_an_unticked_earlier_attendee_goes_back_to_invited(client, act_as, world,
                                                           make_meeting):
    meeting = make_meeting(world["roundtable"], days=-1)
    member = world["people"]["member"]
    _set_status(meeting, member, "attended")
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/attendance/record"), data={})
    assert _status(meeting, member) == "invited"


# 2. Answers only while upcoming -----------------------------------------------------------


def test_no_answer_buttons_on_a_past_meeting(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-1)
    act_as(world["people"]["member"])
    assert "I will attend" not in _page(client, meeting)


def test_no_answer_buttons_on_a_cancelled_meeting(client, act_as, world, make_meeting):
    meeting = _cancelled(make_meeting, world["roundtable"])
    act_as(world["people"]["member"])
    assert "I will attend" not in _page(client, meeting)


def test_answering_a_past_meeting_is_refused(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-1)
    member = world["people"]["member"]
    act_as(member)
    client.post(_url(meeting, "/attendance"), data={"status": "excused"})
    assert _status(meeting, member) == "invited"


def test_answering_a_cancelled_meeting_is_refused(client, act_as, world, make_meeting):
    meeting = _cancelled(make_meeting, world["roundtable"])
    member = world["people"]["member"]
    act_as(member)
    client.post(_url(meeting, "/attendance"), data={"status": "confirmed"})
    assert _status(meeting, member) == "invited"


# 3. Cancelling ----------------------------------------------------------------------------


def test_cancel_needs_a_second_step_that_explains(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    html = _page(client, meeting)
    assert '<details class="confirm-cancel">' in html
    assert "Everyone invited will be told" in html


def test_cancel_is_not_offered_on_a_past_meeting(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-1)
    act_as(world["people"]["secretariat"])
    assert "Cancel this meeting" not in _page(client, meeting)


def test_cancelling_a_past_meeting_is_refused(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-1)
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/cancel"))
    assert not meeting.is_cancelled


@pytest.mark.parametrize("text", ["Add an agenda point", "Record the decision",
                                  "Write the minutes", "Record who attended"])
def test_a_cancelled_meeting_offers_no_editing(client, act_as, world, make_meeting, text):
    meeting = _cancelled(make_meeting, world["roundtable"], days=-0.01)
    act_as(world["people"]["secretariat"])
    assert text not in _page(client, meeting)


def test_a_cancelled_meeting_refuses_agenda_points(client, act_as, world, make_meeting):
    meeting = _cancelled(make_meeting, world["roundtable"])
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/agenda"), data={"title": "Late point", "owner": "", "case": ""})
    assert db.session.scalar(select(func.count(AgendaItem.id))) == 0


def test_a_cancelled_meeting_refuses_minutes(client, act_as, world, make_meeting):
    meeting = _cancelled(make_meeting, world["roundtable"])
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/minutes"), data={"minutes": "Too late"})
    assert not meeting.minutes


# 4. Editing a past meeting ----------------------------------------------------------------


def test_moving_a_past_meeting_notifies_nobody(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-30)
    start = meetings.local_time(meeting, meeting.starts_at)
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/edit"), data=_form(
        day=start.date().isoformat(), start_time=start.strftime("%H:%M"),
        end_time=(start + timedelta(hours=1)).strftime("%H:%M"), place="Another room"))
    assert meeting.place == "Another room"
    assert _changed_notes(world["people"]["member"]) == 0


def test_moving_a_past_meeting_into_the_future_notifies(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], days=-30)
    act_as(world["people"]["secretariat"])
    client.post(_url(meeting, "/edit"), data=_form())
    assert _changed_notes(world["people"]["member"]) == 1


# 5. Due dates -----------------------------------------------------------------------------


def _post_action(client, world, due_on: str):
    return client.post(f"/en/roundtables/{world['roundtable'].id}/actions", data={
        "title": "Ask the youth centre", "owner": str(world["people"]["member"].id),
        "due_on": due_on, "meeting": "", "case": ""})


def test_a_past_due_date_is_refused_with_the_text_kept(client, act_as, world):
    act_as(world["people"]["secretariat"])
    response = _post_action(client, world, (date.today() - timedelta(days=2)).isoformat())
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The due date cannot be in the past." in html
    assert 'value="Ask the youth centre"' in html
    assert db.session.scalar(select(func.count(ActionItem.id))) == 0


def test_a_due_date_of_today_is_accepted(client, act_as, world):
    from app.roundtables.services.actions import today

    act_as(world["people"]["secretariat"])
    _post_action(client, world, today().isoformat())
    assert db.session.scalar(select(func.count(ActionItem.id))) == 1


# 6. Length messages and the agenda's case select ------------------------------------------


def test_a_long_meeting_title_gets_the_portals_message(client, act_as, world):
    act_as(world["people"]["secretariat"])
    response = client.post(f"/de/roundtables/{world['roundtable'].id}/meetings/new",
                           data=_form(title="x" * 201))
    assert "Bitte verwenden Sie höchstens 200 Zeichen." in response.get_data(as_text=True)


def test_a_long_agenda_point_gets_the_portals_message(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    response = client.post(_url(meeting, "/agenda"), data={"title": "x" * 201, "owner": ""})
    assert "Please use at most 200 characters." in response.get_data(as_text=True)


def test_the_case_select_lists_adopted_cases_first(client, act_as, world, make_meeting,
                                                   make_case):
    roundtable = world["roundtable"]
    adopted, other = make_case(country="DE"), make_case(country="DE")
    db.session.add(AdoptedCase(roundtable_id=roundtable.id, case_id=adopted.id))
    db.session.commit()
    meeting = make_meeting(roundtable)
    act_as(world["people"]["secretariat"])
    html = _page(client, meeting)
    assert html.index(f'value="{adopted.id}"') < html.index(f'value="{other.id}"')


def test_the_case_select_leaves_out_other_countries(client, act_as, world, make_meeting,
                                                    make_case):
    foreign = make_case(country="PL")
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["admin"])
    assert f"Case #{foreign.id}" not in _page(client, meeting)


def test_the_case_select_has_an_empty_choice(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["secretariat"])
    assert '<option value="">No case</option>' in _page(client, meeting)


def test_a_posted_foreign_case_is_still_refused(client, act_as, world, make_meeting,
                                                make_case):
    foreign = make_case(country="PL")
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["admin"])
    response = client.post(_url(meeting, "/agenda"), data={
        "title": "Conference", "owner": "", "case": str(foreign.id)})
    assert response.status_code == 400


# 7. The .ics in the request's language ----------------------------------------------------


def test_ics_description_is_in_the_requests_language(client, act_as, world, make_meeting,
                                                     make_case):
    case = make_case(country="DE")
    meeting = make_meeting(world["roundtable"])
    meetings.add_agenda_item(meeting, "Fallkonferenz", None, case)
    db.session.commit()
    act_as(world["people"]["member"])
    body = client.get(f"/de/roundtables/meetings/{meeting.id}.ics").data
    event = next(iter(Calendar.from_ical(body).walk("VEVENT")))
    assert f"(Fall #{case.id})" in str(event["description"])


# 8. The decision button's name ------------------------------------------------------------


def test_delete_decision_button_names_the_decision(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    db.session.add(Decision(meeting=meeting, text="We write to the school board.",
                            created_by_id=world["people"]["secretariat"].id))
    db.session.commit()
    act_as(world["people"]["secretariat"])
    assert "Delete decision: We write to the school board." in _page(client, meeting)


# 9. Time zones ----------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Europe/Kiev", "Europe/Belfast", "Europe/Tiraspol"])
def test_deprecated_zones_are_not_offered(zone):
    assert zone not in meetings.meeting_timezones()


def test_kyiv_is_offered():
    assert "Europe/Kyiv" in meetings.meeting_timezones()


def test_zone_label_puts_the_city_first(client, act_as, world):
    act_as(world["people"]["secretariat"])
    html = client.get(f"/en/roundtables/{world['roundtable'].id}/meetings/new") \
        .get_data(as_text=True)
    assert ">Berlin (Europe/Berlin)</option>" in html


def test_a_meeting_in_an_old_zone_can_still_be_edited(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], timezone="Europe/Kiev")
    act_as(world["people"]["secretariat"])
    html = client.get(_url(meeting, "/edit")).get_data(as_text=True)
    assert '<option selected value="Europe/Kiev">' in html


# 10. Headings -----------------------------------------------------------------------------


def test_actions_section_is_called_agreed_actions(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["member"])
    assert '<h2 id="actions-heading">Agreed actions</h2>' in _page(client, meeting)


def test_my_actions_has_no_about_column(client, act_as, world):
    db.session.add(ActionItem(roundtable=world["roundtable"], title="Call the school",
                              owner_id=world["people"]["member"].id,
                              due_on=date.today() + timedelta(days=3)))
    db.session.commit()
    act_as(world["people"]["member"])
    html = client.get("/en/roundtables/actions").get_data(as_text=True)
    assert '<th scope="col">About</th>' not in html


def test_a_cancelled_meeting_offers_no_new_action(client, act_as, world, make_meeting):
    meeting = _cancelled(make_meeting, world["roundtable"])
    act_as(world["people"]["secretariat"])
    assert "Add an action" not in _page(client, meeting)
