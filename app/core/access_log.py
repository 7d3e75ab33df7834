"""Who opened which case and who saw a reporter's contact: what, when and by whom, never the
content itself and never an address; kept RETENTION_ACCESS_LOG_DAYS, then pruned."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, String, delete
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db

ACTIONS = ("case_opened", "alert_opened", "contact_revealed", "alert_erased", "export",
           "report_exported")


class AccessLogEntry(db.Model):
    """One access to personal data: who, when, what kind, which object (type and id)."""

    __tablename__ = "access_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Kept when the member deletes their account, without the name ("deleted member").
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[User | None] = relationship()
    action: Mapped[str] = mapped_column(String(30), index=True)
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


def record_access(actor: User, action: str, object_type: str, object_id: int | None) -> None:
    """Add one log line to the caller's unit of work (the caller commits)."""
    if action not in ACTIONS:
        raise ValueError(action)
    db.session.add(AccessLogEntry(actor_id=actor.id, action=action, object_type=object_type,
                                  object_id=object_id))


def log_cutoff(now: datetime, days: int) -> datetime:
    """The moment before which log lines are older than the retention period."""
    return now - timedelta(days=days)


def prune_access_log(now: datetime, days: int) -> int:
    """Delete log lines older than `days` (in the caller's unit of work); returns how many."""
    result = db.session.execute(
        delete(AccessLogEntry).where(AccessLogEntry.created_at < log_cutoff(now, days)))
    return result.rowcount or 0
