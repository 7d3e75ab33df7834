"""Meetings of a roundtable: planning, agenda, attendance, minutes and decisions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User, utcnow
from app.arena.models import Case
from app.arena.services.notifications import notify
from app.core.markup import render_markdown
from app.extensions import db
from app.roundtables.choices import MEETING_TIMEZONES
from app.roundtables.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Roundtable,
    RoundtableMember,
    as_utc,
)

NOTIFICATION_KIND = "roundtable"


class NonexistentLocalTime(ValueError):
    """The wall-clock time is skipped in that zone (the spring-forward hour)."""


@dataclass
class MeetingPlan:
    """What the secretariat plans: the fields of a meeting, times already in UTC."""

    title: str
    kind: str
    language: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    place: str = ""
    online_link: str = ""
    public: bool = False


def meeting_timezones(current: str | None = None) -> list[str]:
    """The zones offered for meetings (current European ones, then UTC), plus a meeting's
    own zone when it is not among them (older meetings keep working)."""
    zones = list(MEETING_TIMEZONES)
    if current and current not in zones:
        zones.insert(0, current)
    return zones


def timezone_label(zone: str) -> str:
    """A zone with its city readable first: "Berlin (Europe/Berlin)"; "UTC" as it is."""
    if "/" not in zone:
        return zone
    return f"{zone.rsplit('/', 1)[1].replace('_', ' ')} ({zone})"


def local_to_utc(day: date, clock: time, zone: str) -> datetime:
    """The UTC moment of a wall-clock time in a zone; the earlier one when a time repeats
    (autumn), NonexistentLocalTime when it is skipped (spring)."""
    local = datetime.combine(day, clock, tzinfo=ZoneInfo(zone))
    moment = local.astimezone(UTC)
    if moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(zone)
    return moment


def local_time(meeting: Meeting, moment: datetime) -> datetime:
    """A stored UTC moment of the meeting in the meeting's own zone."""
    return as_utc(moment).astimezone(ZoneInfo(meeting.timezone))


def start_text(meeting: Meeting) -> str:
    """The local start as neutral text for notifications: "2026-12-10 18:00 Europe/Berlin"."""
    return f"{local_time(meeting, meeting.starts_at):%Y-%m-%d %H:%M} {meeting.timezone}"


def has_started(meeting: Meeting, now: datetime | None = None) -> bool:
    """The meeting's start has come (attendance can be recorded from then on)."""
    return as_utc(meeting.starts_at) <= (now or utcnow())


def is_over(meeting: Meeting, now: datetime | None = None) -> bool:
    """The meeting has ended."""
    return as_utc(meeting.ends_at) < (now or utcnow())


def is_upcoming(meeting: Meeting) -> bool:
    """Not cancelled and not over: it can still be answered, changed for attendees or
    cancelled."""
    return not meeting.is_cancelled and not is_over(meeting)


def upcoming_meetings(roundtable: Roundtable, limit: int = 5) -> list[Meeting]:
    """The roundtable's next meetings that are not cancelled, soonest first."""
    return list(db.session.scalars(
        select(Meeting).where(
            Meeting.roundtable_id == roundtable.id, Meeting.ends_at >= utcnow(),
            Meeting.cancelled_at.is_(None),
        ).order_by(Meeting.starts_at).limit(limit)
    ))


def active_members(roundtable: Roundtable) -> list[User]:
    """The roundtable's approved members with an active seat, by name."""
    return list(db.session.scalars(
        select(User).join(RoundtableMember, RoundtableMember.user_id == User.id).where(
            RoundtableMember.roundtable_id == roundtable.id,
            RoundtableMember.status == "active", User.status == "approved",
        ).order_by(User.name, User.id)
    ))


def create_meeting(roundtable: Roundtable, plan: MeetingPlan, author: User) -> Meeting:
    """Plan a meeting, invite every active member and notify them."""
    meeting = Meeting(roundtable=roundtable, created_by_id=author.id, sequence=0)
    _apply(meeting, plan)
    db.session.add(meeting)
    db.session.flush()
    for user in active_members(roundtable):
        db.session.add(Attendance(meeting_id=meeting.id, user_id=user.id, status="invited"))
        _notify(user, meeting, "meeting_invited")
    return meeting


def update_meeting(meeting: Meeting, plan: MeetingPlan) -> bool:
    """Change a meeting; a new time, place or link raises SEQUENCE and notifies the invited
    when the meeting is upcoming before or after the change (a new title alone, or a past
    meeting's details, raise SEQUENCE quietly). True when attendees were told."""
    moved = _logistics(meeting) != (plan.starts_at, plan.ends_at, plan.timezone,
                                    plan.place, plan.online_link)
    renamed = meeting.title != plan.title
    was_upcoming = not is_over(meeting)
    _apply(meeting, plan)
    if moved or renamed:
        meeting.sequence += 1
    told = moved and (was_upcoming or not is_over(meeting))
    if told:
        _notify_attendees(meeting, "meeting_changed")
    return told


def cancel_meeting(meeting: Meeting) -> None:
    """Cancel the meeting, raise SEQUENCE and tell the invited."""
    if meeting.is_cancelled:
        return
    meeting.cancelled_at = utcnow()
    meeting.sequence += 1
    _notify_attendees(meeting, "meeting_cancelled")


def _apply(meeting: Meeting, plan: MeetingPlan) -> None:
    """Copy the plan onto the meeting."""
    for name, value in vars(plan).items():
        setattr(meeting, name, value)


def _logistics(meeting: Meeting) -> tuple:
    """What attendees must hear about when it changes: time, zone, place and link."""
    return (as_utc(meeting.starts_at), as_utc(meeting.ends_at), meeting.timezone,
            meeting.place, meeting.online_link)


def _notify_attendees(meeting: Meeting, event: str) -> None:
    """Notify every invited person who still holds an active seat."""
    for user in attendee_users(meeting):
        _notify(user, meeting, event)


def attendee_users(meeting: Meeting) -> list[User]:
    """The invited people who still sit at the roundtable."""
    return list(db.session.scalars(
        select(User).join(Attendance, Attendance.user_id == User.id)
        .join(RoundtableMember, RoundtableMember.user_id == User.id).where(
            Attendance.meeting_id == meeting.id,
            RoundtableMember.roundtable_id == meeting.roundtable_id,
            RoundtableMember.status == "active",
        ).order_by(User.id)
    ))


def _notify(user: User, meeting: Meeting, event: str) -> None:
    """One meeting notification, in the member's language when it is read or mailed."""
    notify(user, NOTIFICATION_KIND, "roundtables.view_meeting", {"meeting_id": meeting.id},
           event=event, title=meeting.title, roundtable=meeting.roundtable.name,
           when=start_text(meeting))


def _values(params: dict) -> dict:
    """The placeholders of a meeting sentence."""
    return {key: params.get(key, "") for key in ("roundtable", "title", "when")}


# Sentences of the "roundtable" notifications about meetings, by event (receivers.py
# registers them with the roundtable events).
MEETING_SENTENCES: dict[str, Callable[[dict], str]] = {
    "meeting_invited": lambda p: _('%(roundtable)s: you are invited to "%(title)s" on '
                                   "%(when)s", **_values(p)),
    "meeting_changed": lambda p: _('%(roundtable)s: "%(title)s" changed; it is now on '
                                   "%(when)s", **_values(p)),
    "meeting_cancelled": lambda p: _('%(roundtable)s: "%(title)s" on %(when)s was '
                                     "cancelled", **_values(p)),
}


# Attendance ------------------------------------------------------------------------------


def attendance_list(meeting: Meeting) -> list[Attendance]:
    """Everyone invited to the meeting with their status, by name."""
    return list(db.session.scalars(
        select(Attendance).join(User, Attendance.user_id == User.id)
        .where(Attendance.meeting_id == meeting.id).order_by(User.name, User.id)
    ))


def own_attendance(meeting: Meeting, user: User) -> Attendance | None:
    """The user's attendance row, if they were invited."""
    return db.session.get(Attendance, (meeting.id, user.id))


def answer_invitation(attendance: Attendance, status: str) -> None:
    """A member confirms or excuses themself (only while the meeting is upcoming)."""
    if status not in ("confirmed", "excused"):
        raise ValueError(status)
    if not is_upcoming(attendance.meeting):
        raise ValueError("closed")
    attendance.status = status


def record_attendance(meeting: Meeting, attended_user_ids: set[int]) -> None:
    """From the meeting's start: the ticked people attended; the others keep their own answer
    (an earlier "attended" now unticked goes back to "invited"); nobody is excused for them."""
    if meeting.is_cancelled or not has_started(meeting):
        raise ValueError("not started")
    for row in attendance_list(meeting):
        if row.user_id in attended_user_ids:
            row.status = "attended"
        elif row.status == "attended":
            row.status = "invited"


# Agenda ----------------------------------------------------------------------------------


def linkable_case(user: User, roundtable: Roundtable, case_id: int) -> Case | None:
    """The ARENA case an agenda item may point to: one of the roundtable's country that the
    user can see (None otherwise, whether it exists or not)."""
    from app.arena.services.access import can_see_case

    case = db.session.get(Case, case_id)
    if case is None or case.country != roundtable.country or not can_see_case(user, case):
        return None
    return case


def agenda_case_options(user: User, roundtable: Roundtable, limit: int = 100) -> list[Case]:
    """The cases an agenda point may link: the roundtable's adopted ones first, then other
    open cases of its country, newest first (at most `limit`), all visible to the user."""
    from app.arena.services.access import can_see_case, visible_cases
    from app.roundtables.services.cases import adopted_cases

    adopted = [case for case in adopted_cases(roundtable)
               if case.country == roundtable.country and can_see_case(user, case)][:limit]
    others = db.session.scalars(visible_cases(user, select(Case).where(
        Case.country == roundtable.country, Case.status != "closed",
        Case.id.not_in([case.id for case in adopted] or [0]),
    )).order_by(Case.id.desc()).limit(max(limit - len(adopted), 0)))
    return adopted + list(others)


def add_agenda_item(meeting: Meeting, title: str, owner: User | None,
                    case: Case | None) -> AgendaItem:
    """Add a point at the end of the agenda."""
    last = max((item.position for item in meeting.agenda), default=-1)
    item = AgendaItem(meeting=meeting, title=title, position=last + 1,
                      owner_id=owner.id if owner else None, case_id=case.id if case else None)
    db.session.add(item)
    return item


def remove_agenda_item(item: AgendaItem) -> None:
    """Take a point off the agenda."""
    item.meeting.agenda.remove(item)
    db.session.delete(item)


def move_agenda_item(item: AgendaItem, direction: str) -> None:
    """Swap the point with its neighbour above ("up") or below ("down")."""
    items = list(item.meeting.agenda)
    for position, each in enumerate(items):
        each.position = position
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index].position, items[other].position = other, index


def agenda_cases(meeting: Meeting) -> dict[int, Case]:
    """The ARENA cases linked from the agenda, by id (one query)."""
    ids = {item.case_id for item in meeting.agenda if item.case_id}
    if not ids:
        return {}
    return {case.id: case for case in db.session.scalars(select(Case).where(Case.id.in_(ids)))}


# Minutes and decisions -------------------------------------------------------------------


def save_minutes(meeting: Meeting, text: str) -> None:
    """Store the minutes' Markdown and its sanitised HTML."""
    meeting.minutes = text
    meeting.minutes_html = render_markdown(text) if text.strip() else ""


def add_decision(meeting: Meeting, text: str, author: User) -> Decision:
    """Record a decision with the meeting."""
    decision = Decision(meeting=meeting, text=text, created_by_id=author.id)
    db.session.add(decision)
    return decision


def remove_decision(decision: Decision) -> None:
    """Delete a decision recorded by mistake."""
    decision.meeting.decisions.remove(decision)
    db.session.delete(decision)
