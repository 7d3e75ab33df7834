"""Action items: who does what by when, across meetings and roundtables; overdue reminders."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.roundtables.models import ActionItem, Meeting, Roundtable


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
