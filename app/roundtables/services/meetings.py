"""Meetings of a roundtable: planning, agenda, attendance, minutes and decisions."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import utcnow
from app.extensions import db
from app.roundtables.models import Meeting, Roundtable


def upcoming_meetings(roundtable: Roundtable, limit: int = 5) -> list[Meeting]:
    """The roundtable's next meetings that are not cancelled, soonest first."""
    return list(db.session.scalars(
        select(Meeting).where(
            Meeting.roundtable_id == roundtable.id, Meeting.ends_at >= utcnow(),
            Meeting.cancelled_at.is_(None),
        ).order_by(Meeting.starts_at).limit(limit)
    ))
