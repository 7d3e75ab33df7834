"""A case is one forwarded alert on the board of its country, with lead, helpers and history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.alerts.models import Alert
from app.extensions import db

CASE_STATUSES = ("new", "in_discussion", "recommendation_given", "closed")
CLOSED_REASONS = ("resolved", "duplicate", "withdrawn", "erased")


class Case(db.Model):
    """One forwarded alert; country and categories are copied so the board filters fast."""

    __tablename__ = "arena_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), unique=True
    )
    alert: Mapped[Alert] = relationship()
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="", index=True)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(30), default="new", index=True)
    # Urgent or "someone is in danger": the country's coordinators are told at once, one of
    # them acknowledges; unacknowledged after URGENT_ESCALATE_MINUTES, the admins are told.
    urgent: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    escalated_at: Mapped[datetime | None]
    closed_reason: Mapped[str | None] = mapped_column(String(20))
    outcome: Mapped[str] = mapped_column(Text, default="")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("arena_cases.id", ondelete="SET NULL")
    )
    duplicate_of: Mapped[Case | None] = relationship(remote_side=[id])
    # Comments plus recommendations: zero means "no response yet" on the board.
    response_count: Mapped[int] = mapped_column(default=0)
    # The newest reporter message followers were told about (see sync_reporter_messages).
    reporter_message_seen_id: Mapped[int | None]
    lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_items.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None]

    assignments: Mapped[list[CaseAssignment]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAssignment.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )

    @property
    def is_closed(self) -> bool:
        """True once the case has an outcome (resolved, duplicate or withdrawn)."""
        return self.status == "closed"

    def __repr__(self) -> str:
        return f"<Case {self.id} {self.country} {self.status}>"


class CaseAssignment(db.Model):
    """A member a coordinator asked to work on the case."""

    __tablename__ = "arena_case_assignments"
    __table_args__ = (UniqueConstraint("case_id", "user_id", name="uq_case_assignment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("arena_cases.id", ondelete="CASCADE"))
    case: Mapped[Case] = relationship(back_populates="assignments")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    assigned_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseFollower(db.Model):
    """A member who gets "reply in a case I follow" notifications."""

    __tablename__ = "arena_case_followers"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("arena_cases.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class CaseEvent(db.Model):
    """One line of case history: who did what, when (kind plus translatable details)."""

    __tablename__ = "arena_case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("arena_cases.id", ondelete="CASCADE"), index=True
    )
    case: Mapped[Case] = relationship(back_populates="events")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor: Mapped[User | None] = relationship()
    kind: Mapped[str] = mapped_column(String(30))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
