"""The index queue: index changes written in the same transaction as the content change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import utcnow
from app.extensions import db

INDEX_ACTIONS = ("index", "remove")


class IndexQueue(db.Model):
    """One index change; applied after commit and kept a day once applied, so that a rebuild
    can replay the changes it may have missed."""

    __tablename__ = "search_index_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(220), index=True)  # an item: "type:slug"
    action: Mapped[str] = mapped_column(String(10))  # index | remove (informational)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(index=True)  # None: still pending

    def __repr__(self) -> str:
        return f"<IndexQueue {self.action} {self.doc_id}>"
