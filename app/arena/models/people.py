"""Private conversations between two members ("Contact" on a profile)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db


class Conversation(db.Model):
    """One thread per pair of members; user_low_id < user_high_id keeps the pair unique."""

    __tablename__ = "arena_conversations"
    __table_args__ = (UniqueConstraint("user_low_id", "user_high_id", name="uq_conversation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_low_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_high_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_low: Mapped[User] = relationship(foreign_keys=[user_low_id])
    user_high: Mapped[User] = relationship(foreign_keys=[user_high_id])
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    messages: Mapped[list[DirectMessage]] = relationship(
        back_populates="conversation", cascade="all, delete-orphan", order_by="DirectMessage.id"
    )

    def includes(self, user: User) -> bool:
        """True when the user is one of the two members."""
        return user.id in (self.user_low_id, self.user_high_id)

    def other(self, user: User) -> User:
        """The member on the other side."""
        return self.user_high if user.id == self.user_low_id else self.user_low


class DirectMessage(db.Model):
    """One message in a conversation (Markdown, sanitised at save)."""

    __tablename__ = "arena_direct_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("arena_conversations.id", ondelete="CASCADE"), index=True
    )
    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sender: Mapped[User | None] = relationship()
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
