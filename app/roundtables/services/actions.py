"""Action items: who does what by when, across meetings and roundtables; overdue reminders."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.accounts.models import User, utcnow
from app.arena.services.notifications import notify
from app.extensions import db
from app.roundtables import access
from app.roundtables.models import ActionItem, Meeting, Roundtable, RoundtableMember

STATUSES = ("open", "done", "dropped")


class ActionError(ValueError):
    """A change the action does not allow (the message key says which)."""


def today() -> date:
    """Today's date in UTC (the day reminders and overdue flags count by)."""
    return utcnow().date()


def is_overdue(action: ActionItem, on: date | None = None) -> bool:
    """An open action whose due date has passed."""
    return action.status == "open" and action.due_on < (on or today())


def open_actions(roundtable: Roundtable) -> list[ActionItem]:
    """The roundtable's open actions, the earliest due first."""
    return list(db.session.scalars(
        select(ActionItem).where(
            ActionItem.roundtable_id == roundtable.id, ActionItem.status == "open"
        ).order_by(ActionItem.due_on, ActionItem.id)
    ))


def meeting_actions(meeting: Meeting) -> list[ActionItem]:
    """Every action agreed at the meeting, in the order they were recorded."""
    return list(db.session.scalars(
        select(ActionItem).where(ActionItem.meeting_id == meeting.id).order_by(ActionItem.id)
    ))


def case_actions(roundtable: Roundtable, case_id: int) -> list[ActionItem]:
    """The roundtable's actions about one adopted case, the earliest due first."""
    return list(db.session.scalars(
        select(ActionItem).where(ActionItem.roundtable_id == roundtable.id,
                                 ActionItem.case_id == case_id)
        .order_by(ActionItem.due_on, ActionItem.id)
    ))


def possible_owners(roundtable: Roundtable) -> list[User]:
    """The roundtable's active, approved members, by name (who may own an action)."""
    return list(db.session.scalars(
        select(User).join(RoundtableMember, RoundtableMember.user_id == User.id)
        .where(RoundtableMember.roundtable_id == roundtable.id,
               RoundtableMember.status == "active", User.status == "approved")
        .order_by(User.name, User.id)
    ))


def action_meetings(roundtable: Roundtable, limit: int = 30) -> list[Meeting]:
    """The roundtable's meetings an action can belong to (not cancelled), the latest first."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.roundtable_id == roundtable.id,
                              Meeting.cancelled_at.is_(None))
        .order_by(Meeting.starts_at.desc()).limit(limit)
    ))


def add_action(roundtable: Roundtable, actor: User, title: str, owner: User, due_on: date,
               meeting: Meeting | None = None, case_id: int | None = None) -> ActionItem:
    """Record an action for an active member; the owner is told when someone else assigned
    it. Raises ActionError("owner") for an owner without an active seat."""
    if not access.is_member(owner, roundtable):
        raise ActionError("owner")
    if meeting is not None and meeting.roundtable_id != roundtable.id:
        raise ActionError("meeting")
    action = ActionItem(roundtable=roundtable, meeting=meeting, case_id=case_id,
                        title=title.strip(), owner_id=owner.id, due_on=due_on, status="open",
                        created_by_id=actor.id)
    db.session.add(action)
    db.session.flush()
    if owner.id != actor.id:
        notify(owner, "roundtable", "roundtables.my_actions", {}, event="action_assigned",
               title=action.title, name=roundtable.name, due=due_on.isoformat(),
               by=actor.name)
    return action


def can_change(user: User | None, action: ActionItem) -> bool:
    """The action's owner (still seated) and the roundtable's managers change its status."""
    if access.can_manage(user, action.roundtable):
        return True
    return bool(user is not None and action.owner_id == user.id
                and access.is_member(user, action.roundtable))


def set_status(action: ActionItem, status: str) -> None:
    """Open, done or dropped; closing records when, reopening forgets it."""
    if status not in STATUSES:
        raise ActionError("status")
    if action.status == status:
        return
    action.status = status
    action.closed_at = None if status == "open" else utcnow()


def _member_seats(user: User) -> Select:
    """The ids of the roundtables where the user's seat is active."""
    return select(RoundtableMember.roundtable_id).where(
        RoundtableMember.user_id == user.id, RoundtableMember.status == "active")


def my_open_actions(user: User) -> list[ActionItem]:
    """The user's open actions at the roundtables where they still sit, earliest due first."""
    return list(db.session.scalars(
        select(ActionItem).where(ActionItem.owner_id == user.id, ActionItem.status == "open",
                                 ActionItem.roundtable_id.in_(_member_seats(user)))
        .order_by(ActionItem.due_on, ActionItem.id)
    ))


def my_closed_actions(user: User) -> Select:
    """A select of the user's done and dropped actions there, the latest closed first."""
    return (select(ActionItem)
            .where(ActionItem.owner_id == user.id, ActionItem.status != "open",
                   ActionItem.roundtable_id.in_(_member_seats(user)))
            .order_by(ActionItem.closed_at.desc(), ActionItem.id.desc()))


# Overdue reminders (the daily digest job) ------------------------------------------------


def remind_overdue(on: date | None = None) -> int:
    """Tell each owner of an open, overdue action (once a day at most); returns how many
    reminders were made. Adds to the session; the digest job commits."""
    on = on or today()
    due = db.session.scalars(
        select(ActionItem).where(
            ActionItem.status == "open", ActionItem.due_on < on,
            ActionItem.owner_id.is_not(None),
            (ActionItem.reminded_on.is_(None)) | (ActionItem.reminded_on != on),
        ).order_by(ActionItem.id)
    ).all()
    for action in due:
        action.reminded_on = on
        if access.is_member(action.owner, action.roundtable):
            notify(action.owner, "action_due", "roundtables.my_actions", {},
                   title=action.title, roundtable=action.roundtable.name,
                   due=action.due_on.isoformat(), days=(on - action.due_on).days)
    return len(due)


def describe_action_due(params: dict) -> str:
    """The sentence of an overdue reminder, in the current locale."""
    return ngettext(
        "“%(title)s” (%(roundtable)s) was due on %(due)s: %(num)s day overdue",
        "“%(title)s” (%(roundtable)s) was due on %(due)s: %(num)s days overdue",
        int(params.get("days") or 0), title=params.get("title", ""),
        roundtable=params.get("roundtable", ""), due=_due(params),
    )


def describe_action_assigned(params: dict) -> str:
    """The sentence telling a member that someone gave them an action."""
    return _("%(by)s gave you an action at %(name)s: “%(title)s”, due on %(due)s",
             by=params.get("by", ""), name=params.get("name", ""),
             title=params.get("title", ""), due=_due(params))


def _due(params: dict) -> str:
    """The due date of the params, written the locale's way."""
    try:
        return format_date(date.fromisoformat(params.get("due") or ""))
    except ValueError:
        return str(params.get("due") or "")
