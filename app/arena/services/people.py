"""The members directory and private conversations between members."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from app.accounts.models import User, utcnow
from app.arena.models import Conversation, DirectMessage
from app.arena.services.notifications import notify
from app.core.markup import render_markdown
from app.extensions import db
from app.library.models import ContentItem


@dataclass
class DirectoryFilters:
    """Directory search: free text plus expertise, country, language and profession."""

    text: str = ""
    expertise: str = ""
    country: str = ""
    language: str = ""
    profession: str = ""


def directory(filters: DirectoryFilters) -> list[User]:
    """Approved members with a public profile matching every filter, by name."""
    query = select(User).where(User.status == "approved", User.public_profile.is_(True))
    if filters.country:
        query = query.where(User.country == filters.country)
    if filters.profession:
        query = query.where(User.profession == filters.profession)
    if filters.text:
        like = f"%{filters.text.lower()}%"
        query = query.where(or_(*(
            User.name.ilike(like), User.organisation.ilike(like), User.bio.ilike(like),
        )))
    members = db.session.scalars(query.order_by(User.name, User.id)).all()
    # JSON lists are filtered here: portable across SQLite and PostgreSQL, and the list is small.
    return [
        m for m in members
        if (not filters.expertise or filters.expertise in (m.expertise or []))
        and (not filters.language or filters.language in (m.working_languages or []))
    ]


def public_member(user_id: int, viewer: User) -> User | None:
    """A member whose profile the viewer may open (public, approved; or the viewer's own)."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_approved:
        return None
    return user if user.public_profile or user.id == viewer.id else None


def published_practices(user: User) -> list[ContentItem]:
    """The member's published practices in the library."""
    return list(db.session.scalars(
        select(ContentItem).where(
            ContentItem.author_id == user.id, ContentItem.type == "practice",
            ContentItem.status == "published",
        ).order_by(ContentItem.title)
    ))


def conversation_between(a: User, b: User, create: bool = False) -> Conversation | None:
    """The one thread of a pair of members."""
    low, high = sorted((a.id, b.id))
    found = db.session.scalar(
        select(Conversation).where(
            Conversation.user_low_id == low, Conversation.user_high_id == high
        )
    )
    if found is None and create:
        found = Conversation(user_low_id=low, user_high_id=high)
        db.session.add(found)
        db.session.flush()
    return found


def send_message(conversation: Conversation, sender: User, body: str) -> DirectMessage:
    """Add a message to the thread and notify the other member (e-mail by their preference)."""
    message = DirectMessage(
        conversation=conversation, sender=sender, body=body, body_html=render_markdown(body)
    )
    db.session.add(message)
    conversation.updated_at = utcnow()
    db.session.flush()
    other = conversation.other(sender)
    notify(
        other, "message", "arena.view_conversation",
        {"conversation_id": conversation.id}, name=sender.name,
    )
    return message


def conversations_of(user: User) -> list[Conversation]:
    """The member's threads, most recent first."""
    return list(db.session.scalars(
        select(Conversation).where(
            or_(Conversation.user_low_id == user.id, Conversation.user_high_id == user.id)
        ).order_by(Conversation.updated_at.desc())
    ))
