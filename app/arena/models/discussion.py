"""Members' comments on a case and their structured recommendations for the reporter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.arena.models.cases import Case
from app.extensions import db

ACTORS = ("school", "police", "social_services", "health", "community", "family")
URGENCIES = ("low", "medium", "high")


class Comment(db.Model):
    """A Markdown comment, sanitised once at save; visible to members only."""

    __tablename__ = "arena_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("arena_cases.id", ondelete="CASCADE"), index=True
    )
    case: Mapped[Case] = relationship()
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[User | None] = relationship()
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]


class Recommendation(db.Model):
    """What to do, why, who should act, how urgent, with library resources; released or not."""

    __tablename__ = "arena_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("arena_cases.id", ondelete="CASCADE"), index=True
    )
    case: Mapped[Case] = relationship()
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    action: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    actors: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgency: Mapped[str] = mapped_column(String(20), default="medium")
    resource_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # ContentItem ids
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_at: Mapped[datetime | None]
    released_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    @property
    def is_released(self) -> bool:
        """True once the reporter can see it on the follow-up page."""
        return self.released_at is not None
