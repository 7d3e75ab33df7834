"""Meetings as iCalendar (one .ics, a member's private feed) and the public calendar."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User, utcnow
from app.core.mail import absolute_url
from app.extensions import db
from app.roundtables.models import CalendarFeed, Meeting, Roundtable, RoundtableMember, as_utc
from app.roundtables.services.meetings import local_time

PRODID = "-//CHAMPIONs Portal//Roundtables//EN"
FEED_TOUCH_INTERVAL = timedelta(hours=1)


def meeting_calendar(meeting: Meeting, language: str) -> bytes:
    """One meeting as an iCalendar file (METHOD:PUBLISH, with its VTIMEZONE), its texts in
    the given language."""
    with force_locale(language):
        return _calendar([meeting], language, name=None)


def feed_calendar(user: User, language: str) -> bytes:
    """The member's feed: their roundtables' meetings from some days back to a year ahead,
    its texts in the feed URL's language."""
    with force_locale(language):
        return _calendar(feed_meetings(user), language, name="CHAMPIONs Portal")


def _calendar(meetings: list[Meeting], language: str, name: str | None) -> bytes:
    """A VCALENDAR of the meetings, each zone described once."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = datetime.now(UTC)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, language, stamp))
    if meetings:
        first = min(as_utc(m.starts_at) for m in meetings).date() - timedelta(days=366)
        last = max(as_utc(m.ends_at) for m in meetings).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical()


def meeting_event(meeting: Meeting, language: str, stamp: datetime) -> Event:
    """The VEVENT of a meeting; its description names agenda points and case numbers only."""
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{_host()}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", local_time(meeting, meeting.starts_at))
    event.add("dtend", local_time(meeting, meeting.ends_at))
    event.add("summary", meeting.title)
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    event.add("url", absolute_url("roundtables.view_meeting", meeting_id=meeting.id,
                                  lang_code=language))
    event.add("description", _description(meeting))
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    return event


def _description(meeting: Meeting) -> str:
    """The agenda as lines ("1. Title (Case #12)", in the current locale) and the online
    link."""
    lines = [f"{number}. {item.title}" + (f" ({_('Case #%(id)s', id=item.case_id)})"
                                         if item.case_id else "")
             for number, item in enumerate(meeting.agenda, start=1)]
    if meeting.online_link:
        lines.append(meeting.online_link)
    return "\n".join(lines)


def _host() -> str:
    """The portal's host name, for globally unique event ids."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


def feed_meetings(user: User) -> list[Meeting]:
    """Meetings (cancelled ones too) of the roundtables where the user holds an active seat,
    within the configured window."""
    now, config = utcnow(), current_app.config
    seats = select(RoundtableMember.roundtable_id).where(
        RoundtableMember.user_id == user.id, RoundtableMember.status == "active"
    )
    return list(db.session.scalars(
        select(Meeting).where(
            Meeting.roundtable_id.in_(seats),
            Meeting.starts_at >= now - timedelta(days=config["CALENDAR_FEED_DAYS_BACK"]),
            Meeting.starts_at <= now + timedelta(days=config["CALENDAR_DAYS_AHEAD"]),
        ).order_by(Meeting.starts_at, Meeting.id)
    ))


# Private feed tokens: only the SHA-256 of the secret is stored --------------------------------


def _token_hash(token: str) -> str:
    """The stored form of a feed token."""
    return hashlib.sha256(token.encode()).hexdigest()


def reset_feed(user: User) -> str:
    """Create the member's feed or replace its token; returns the new secret (shown once)."""
    token = secrets.token_urlsafe(32)
    feed = db.session.get(CalendarFeed, user.id)
    if feed is None:
        feed = CalendarFeed(user_id=user.id)
        db.session.add(feed)
    feed.token_hash = _token_hash(token)
    feed.created_at = utcnow()
    feed.last_used_at = None
    return token


def revoke_feed(user: User) -> None:
    """Delete the member's feed: its URL stops working."""
    feed = db.session.get(CalendarFeed, user.id)
    if feed is not None:
        db.session.delete(feed)


def user_feed(user: User) -> CalendarFeed | None:
    """The member's feed, if they made one."""
    return db.session.get(CalendarFeed, user.id)


def feed_owner(token: str) -> User | None:
    """The approved member a feed token belongs to (None for unknown tokens or members no
    longer approved); records its use at most once an hour."""
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == _token_hash(token))
    )
    if feed is None:
        return None
    user = db.session.get(User, feed.user_id)
    if user is None or not user.is_approved:
        return None
    now = utcnow()
    if feed.last_used_at is None or now - as_utc(feed.last_used_at) >= FEED_TOUCH_INTERVAL:
        feed.last_used_at = now
    return user


# Public calendar -----------------------------------------------------------------------------


def public_meetings(country: str = "", language: str = "") -> Select:
    """A select of upcoming public meetings and trainings of every roundtable, soonest first,
    optionally of one country and language."""
    query = (
        select(Meeting).join(Roundtable, Roundtable.id == Meeting.roundtable_id)
        .where(Meeting.public.is_(True), Meeting.cancelled_at.is_(None),
               Meeting.ends_at >= utcnow())
        .options(contains_eager(Meeting.roundtable)).order_by(Meeting.starts_at, Meeting.id)
    )
    if country:
        query = query.where(Roundtable.country == country)
    if language:
        query = query.where(Meeting.language == language)
    return query
