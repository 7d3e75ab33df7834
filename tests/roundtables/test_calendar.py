"""iCalendar files of meetings, members' private feeds and the public calendar."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from app.accounts.models import utcnow
from app.extensions import db
from app.roundtables.models import CalendarFeed
from app.roundtables.services import meetings

FEED_URL = re.compile(r'id="feed-url"[^>]*>https?://[^<]*(/en/roundtables/calendar/[^<"/]+\.ics)<')


@pytest.fixture
def world(app, roundtable_world):
    """roundtable_world with CSRF off (these tests are about behaviour, not tokens)."""
    app.config["WTF_CSRF_ENABLED"] = False
    app.config["BASE_URL"] = "https://portal.example.org"
    return roundtable_world


def _event(response):
    calendar = Calendar.from_ical(response.get_data())
    [event] = calendar.walk("VEVENT")
    return calendar, event


def _new_feed(client) -> str:
    """Make (or reset) the logged-in member's feed; the path of its address."""
    html = client.post("/en/roundtables/calendar/feed").get_data(as_text=True)
    return FEED_URL.search(html).group(1)


# One meeting's .ics ----------------------------------------------------------------------


def test_ics_is_an_attachment_of_type_text_calendar(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["member"])
    response = client.get(f"/en/roundtables/meetings/{meeting.id}.ics")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f"attachment; filename=meeting-{meeting.id}.ics")


def test_ics_keeps_the_zone_and_the_instant(client, act_as, world, make_meeting):
    starts = datetime(2030, 7, 1, 16, 0, tzinfo=UTC)
    meeting = make_meeting(world["roundtable"], starts_at=starts, timezone="Europe/Warsaw")
    act_as(world["people"]["member"])
    calendar, event = _event(client.get(f"/en/roundtables/meetings/{meeting.id}.ics"))
    assert event["DTSTART"].params["TZID"] == "Europe/Warsaw"
    assert event.decoded("DTSTART").hour == 18
    assert event.decoded("DTSTART").astimezone(UTC) == starts
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Warsaw"]


def test_ics_names_the_event_uniquely_and_links_the_page(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"], title="Fallkonferenz")
    act_as(world["people"]["member"])
    calendar, event = _event(client.get(f"/en/roundtables/meetings/{meeting.id}.ics"))
    assert str(event["UID"]) == f"meeting-{meeting.id}@portal.example.org"
    assert str(event["URL"]) == f"https://portal.example.org/en/roundtables/meetings/{meeting.id}"
    assert str(event["SUMMARY"]) == "Fallkonferenz"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "DTSTAMP" in event


def test_ics_description_names_cases_by_number_only(client, act_as, world, make_meeting,
                                                    make_case):
    meeting, case = make_meeting(world["roundtable"]), make_case(country="DE")
    meetings.add_agenda_item(meeting, "Joint case conference", None, case)
    db.session.commit()
    act_as(world["people"]["member"])
    _calendar, event = _event(client.get(f"/en/roundtables/meetings/{meeting.id}.ics"))
    assert str(event["DESCRIPTION"]) == f"1. Joint case conference (Case #{case.id})"


def test_ics_sequence_rises_when_the_meeting_moves(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    act_as(world["people"]["member"])
    before = _event(client.get(f"/en/roundtables/meetings/{meeting.id}.ics"))[1]["SEQUENCE"]
    plan = meetings.MeetingPlan(
        title=meeting.title, kind="meeting", language="de", timezone=meeting.timezone,
        place="Elsewhere", starts_at=meeting.starts_at, ends_at=meeting.ends_at)
    meetings.update_meeting(meeting, plan)
    db.session.commit()
    after = _event(client.get(f"/en/roundtables/meetings/{meeting.id}.ics"))[1]["SEQUENCE"]
    assert after == before + 1


def test_cancelled_meeting_is_cancelled_in_the_ics(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    meetings.cancel_meeting(meeting)
    db.session.commit()
    act_as(world["people"]["member"])
    _calendar, event = _event(client.get(f"/en/roundtables/meetings/{meeting.id}.ics"))
    assert str(event["STATUS"]) == "CANCELLED"


# The private feed --------------------------------------------------------------------------


def test_only_a_hash_of_the_feed_token_is_stored(client, act_as, world):
    member = world["people"]["member"]
    act_as(member)
    path = _new_feed(client)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.session.get(CalendarFeed, member.id)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_feed_page_does_not_show_the_address_again(client, act_as, world):
    act_as(world["people"]["member"])
    path = _new_feed(client)
    assert path not in client.get("/en/roundtables/calendar/feed").get_data(as_text=True)


def test_feed_lists_only_the_members_roundtables(client, act_as, world, make_meeting):
    mine = make_meeting(world["roundtable"], title="Berlin meeting")
    make_meeting(world["other"], title="Hamburg meeting")
    act_as(world["people"]["member"])
    path = _new_feed(client)
    calendar = Calendar.from_ical(client.get(path).get_data())
    assert [str(e["UID"]).split("@")[0] for e in calendar.walk("VEVENT")] == [
        f"meeting-{mine.id}"]


def test_feed_includes_cancelled_meetings_as_cancelled(client, act_as, world, make_meeting):
    meeting = make_meeting(world["roundtable"])
    meetings.cancel_meeting(meeting)
    db.session.commit()
    act_as(world["people"]["member"])
    calendar = Calendar.from_ical(client.get(_new_feed(client)).get_data())
    assert [str(e["STATUS"]) for e in calendar.walk("VEVENT")] == ["CANCELLED"]


def test_feed_leaves_out_meetings_outside_its_window(app, client, act_as, world, make_meeting):
    make_meeting(world["roundtable"], days=-app.config["CALENDAR_FEED_DAYS_BACK"] - 2)
    make_meeting(world["roundtable"], days=app.config["CALENDAR_DAYS_AHEAD"] + 2)
    act_as(world["people"]["member"])
    calendar = Calendar.from_ical(client.get(_new_feed(client)).get_data())
    assert calendar.walk("VEVENT") == []


def test_feed_is_never_cached(client, act_as, world):
    act_as(world["people"]["member"])
    path = _new_feed(client)
    with client.session_transaction() as session:
        session.clear()
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_resetting_the_feed_invalidates_the_old_address(client, act_as, world):
    act_as(world["people"]["member"])
    old = _new_feed(client)
    new = _new_feed(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_revoked_feed_is_gone(client, act_as, world):
    act_as(world["people"]["member"])
    path = _new_feed(client)
    client.post("/en/roundtables/calendar/feed/revoke")
    assert client.get(path).status_code == 404


def test_unknown_feed_token_is_not_found(client):
    assert client.get("/en/roundtables/calendar/not-a-token.ics").status_code == 404


def test_suspended_members_feed_is_not_found(client, act_as, world):
    member = world["people"]["member"]
    act_as(member)
    path = _new_feed(client)
    member.status = "suspended"
    db.session.commit()
    assert client.get(path).status_code == 404


def test_feed_use_is_recorded_at_most_hourly(client, act_as, world):
    member = world["people"]["member"]
    act_as(member)
    path = _new_feed(client)
    client.get(path)
    feed = db.session.get(CalendarFeed, member.id)
    first = feed.last_used_at
    feed.last_used_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    held = feed.last_used_at
    client.get(path)
    assert first is not None
    assert feed.last_used_at == held


def test_feed_use_is_recorded_again_after_an_hour(client, act_as, world):
    member = world["people"]["member"]
    act_as(member)
    path = _new_feed(client)
    feed = db.session.get(CalendarFeed, member.id)
    feed.last_used_at = utcnow() - timedelta(minutes=61)
    db.session.commit()
    held = feed.last_used_at
    client.get(path)
    assert feed.last_used_at != held


# The public calendar --------------------------------------------------------------------


def test_public_calendar_lists_public_meetings_without_links(client, world, make_meeting):
    make_meeting(world["roundtable"], title="Open training", public=True, place="",
                 online_link="https://meet.example.org/secret-room", kind="training")
    html = client.get("/en/roundtables/calendar").get_data(as_text=True)
    assert "Open training" in html
    assert "meet.example.org" not in html
    assert "Online" in html


def test_public_calendar_hides_private_and_cancelled_meetings(client, world, make_meeting):
    make_meeting(world["roundtable"], title="Internal meeting", public=False)
    cancelled = make_meeting(world["roundtable"], title="Called off", public=True)
    meetings.cancel_meeting(cancelled)
    db.session.commit()
    html = client.get("/en/roundtables/calendar").get_data(as_text=True)
    assert "Internal meeting" not in html
    assert "Called off" not in html


def test_public_calendar_hides_past_meetings(client, world, make_meeting):
    make_meeting(world["roundtable"], title="Last month", public=True, days=-30)
    html = client.get("/en/roundtables/calendar").get_data(as_text=True)
    assert "Last month" not in html


def test_public_calendar_filters_by_country(client, world, make_meeting, make_roundtable):
    make_meeting(world["roundtable"], title="Berlin event", public=True)
    warsaw = make_roundtable(country="PL", city="Warszawa", name="Warsaw", languages=["pl"])
    make_meeting(warsaw, title="Warsaw event", public=True, language="pl")
    html = client.get("/en/roundtables/calendar?country=PL").get_data(as_text=True)
    assert "Warsaw event" in html
    assert "Berlin event" not in html


def test_public_calendar_filters_by_language(client, world, make_meeting):
    make_meeting(world["roundtable"], title="Auf Deutsch", public=True, language="de")
    make_meeting(world["roundtable"], title="In English", public=True, language="en")
    html = client.get("/en/roundtables/calendar?language=en").get_data(as_text=True)
    assert "In English" in html
    assert "Auf Deutsch" not in html


def test_public_calendar_ignores_unknown_filters_quietly(client, world, make_meeting):
    make_meeting(world["roundtable"], title="Berlin event", public=True)
    response = client.get("/en/roundtables/calendar?country=XX&language=klingon")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Berlin event" in html
    assert "Not a valid choice" not in html


def test_public_calendar_links_only_public_profiles(client, world, make_meeting):
    make_meeting(world["roundtable"], title="Profiled", public=True)
    make_meeting(world["other"], title="Unprofiled", public=True)
    world["roundtable"].public_profile = True
    db.session.commit()
    html = client.get("/en/roundtables/calendar").get_data(as_text=True)
    assert f"/en/roundtables/{world['roundtable'].id}/profile" in html
    assert f"/en/roundtables/{world['other'].id}/profile" not in html


def test_public_calendar_shows_the_time_in_the_meetings_zone(client, world, make_meeting):
    make_meeting(world["roundtable"], public=True, timezone="Europe/Bucharest",
                 starts_at=datetime(2030, 1, 15, 8, 0, tzinfo=UTC))
    html = client.get("/en/roundtables/calendar").get_data(as_text=True)
    assert "10:00" in html
    assert "(Europe/Bucharest)" in html


def test_public_calendar_has_an_empty_state(client, world):
    html = client.get("/en/roundtables/calendar").get_data(as_text=True)
    assert "No public meeting or training is planned yet." in html


def test_public_calendar_pages(app, client, world, make_meeting):
    app.config["PAGE_SIZE"] = 2
    for number in range(3):
        make_meeting(world["roundtable"], title=f"Event {number}", public=True, days=number + 1)
    html = client.get("/en/roundtables/calendar?page=2").get_data(as_text=True)
    assert "Event 2" in html
    assert "Event 0" not in html


def test_public_calendar_query_count_stays_flat(client, world, make_meeting):
    from tests.fixtures.app import counted_statements

    make_meeting(world["roundtable"], public=True)
    with counted_statements() as few:
        client.get("/en/roundtables/calendar")
    for number in range(5):
        make_meeting(world["other"], public=True, title=f"More {number}")
    with counted_statements() as many:
        client.get("/en/roundtables/calendar")
    assert len(many) == len(few)


def test_no_feed_row_exists_before_asking(world):
    assert db.session.scalar(select(CalendarFeed)) is None


def test_feed_tokens_stay_out_of_the_access_log(client, act_as, world):
    from app.core.logs import SECRET_SEGMENT
    from app.gunicorn_conf import private_path

    act_as(world["people"]["member"])
    path = _new_feed(client)
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in private_path(path)
    assert token not in SECRET_SEGMENT.sub("/[redacted]", f"GET {path} HTTP/1.1")
