"""In-portal notifications, their e-mail delivery state, and each member's preferences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db

# Kinds a member may set (DEFAULT_DELIVERY) and kinds that always reach them at once through
# the urgent channels (URGENT_CHANNELS), whatever their settings.
FIXED_KINDS = ("urgent_case", "urgent_escalated")
# "retention_warning" (issue 11): alerts of the coordinator's country whose text is purged
# soon; always delivered in the daily digest, one notification per country and run.
# "roundtable" and "action_due" (issue 12): invitations, join requests, meeting invitations
# and changes; overdue roundtable actions. Their sentences come from the roundtables package
# (see register_description in app.arena.services.notifications).
KINDS = ("new_case", "reply", "mention", "recommendation", "message", *FIXED_KINDS,
         "retention_warning", "roundtable", "action_due")
DELIVERIES = ("immediate", "digest", "off")
DEFAULT_DELIVERY = {
    "new_case": "digest",
    "reply": "digest",
    "mention": "immediate",
    "recommendation": "immediate",
    "message": "immediate",
    "roundtable": "immediate",
    "action_due": "digest",
}


class Notification(db.Model):
    """Something a member should know; text is built from kind + params in their language."""

    __tablename__ = "arena_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user: Mapped[User] = relationship()
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Endpoint and arguments of the page it points to (the language is added when rendered).
    endpoint: Mapped[str] = mapped_column(String(80))
    endpoint_args: Mapped[dict] = mapped_column(JSON, default=dict)
    # "immediate" or "digest": e-mail still owed while sent_at is empty; "none": in-portal only.
    delivery: Mapped[str] = mapped_column(String(20), default="none", index=True)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class NotificationPreference(db.Model):
    """How one member wants one kind delivered: immediate, digest or off."""

    __tablename__ = "arena_notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", name="uq_notification_preference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    delivery: Mapped[str] = mapped_column(String(20))
