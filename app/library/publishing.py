"""Publishing by experts: drafts, review by coordinators, publish or return with a comment.

An edit of a published item takes it out of the public library: it goes back to review
(status in_review, removed from search) until a coordinator publishes it again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.core.mail import send_mail
from app.core.signals import content_changed
from app.extensions import db
from app.library.directory_access import (
    DIRECTORY_TYPES,
    can_create_directory,
    can_keep_directory,
    can_review_directory,
)
from app.library.models import ContentItem
from app.search.hooks import queue_index_change

EDITABLE_TYPES = ("practice", "lesson", "training", "video")
EDITABLE_STATES = ("draft", "returned", "published", "in_review")
SUBMITTABLE_STATES = ("draft", "returned")  # what an author may send to review


class WorkflowError(RuntimeError):
    """A state change that is not allowed for this item or this person."""


@dataclass
class ItemDraft:
    """What an author types in the editor."""

    type: str
    language: str
    title: str
    summary: str = ""
    body: str = ""
    topics: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    organisation: str = ""
    evidence: str | None = None
    extra: dict = field(default_factory=dict)
    deadline: date | None = None  # donors


# Who may do what ---------------------------------------------------------------------------


def can_write(user: User) -> bool:
    """Approved members write library items."""
    return bool(getattr(user, "is_approved", False))


def can_edit(item: ContentItem, user: User) -> bool:
    """Authors edit their own web items (not file-loaded ones); directory entries, also
    file-loaded ones, are kept by coordinators and linked members (directory_access)."""
    if not can_write(user) or item.status not in EDITABLE_STATES:
        return False
    if item.type in DIRECTORY_TYPES:
        return can_keep_directory(item, user)
    return item.author_id == user.id and item.source_root is None


def can_create(item_type: str, user: User) -> bool:
    """Members write practices and the like; coordinators also directory entries."""
    if item_type in DIRECTORY_TYPES:
        return can_write(user) and can_create_directory(user)
    return item_type in EDITABLE_TYPES and can_write(user)


def can_review(item: ContentItem, user: User) -> bool:
    """Coordinators review others' items by authors of their country; admins all (directory
    entries: by the entry's countries, never by its last editor)."""
    if item.type in DIRECTORY_TYPES:
        return can_review_directory(item, user)
    if not getattr(user, "is_coordinator", False) or item.author_id == user.id:
        return False
    country = item.author.country if item.author else None
    return user.is_admin or (country is not None and user.coordinates(country))


# Saving --------------------------------------------------------------------------------------


def slugify(title: str) -> str:
    """A URL slug from a title: ASCII, lower case, hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].strip("-") or "item"


def _unique_slug(item_type: str, title: str) -> str:
    """A slug not yet used by this type (numbered when taken)."""
    base, number = slugify(title), 1
    slug = base
    taken = set(db.session.scalars(
        select(ContentItem.slug).where(ContentItem.type == item_type,
                                       ContentItem.slug.like(f"{base}%"))
    ))
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def apply_draft(item: ContentItem, draft: ItemDraft) -> None:
    """Copy the editor's fields; the Markdown is sanitised here, once."""
    for name in ("title", "summary", "topics", "countries", "audience",
                 "organisation", "language"):
        setattr(item, name, getattr(draft, name))
    item.evidence = draft.evidence if item.type == "practice" else None
    item.extra = {**(item.extra or {}), **draft.extra}
    if item.type == "donor":
        item.deadline = draft.deadline
    item.set_body(draft.body)


def create_item(author: User, draft: ItemDraft) -> ContentItem:
    """A new private draft by `author`."""
    if not can_create(draft.type, author):
        raise WorkflowError("not allowed")
    item = ContentItem(type=draft.type, slug=_unique_slug(draft.type, draft.title),
                       author_id=author.id, status="draft")
    apply_draft(item, draft)
    mark_portal_edit(item, author)
    db.session.add(item)
    db.session.commit()
    return item


def update_item(item: ContentItem, author: User, draft: ItemDraft) -> ContentItem:
    """Save an edit; a published item goes back to review and leaves the public library."""
    if not can_edit(item, author):
        raise WorkflowError("not allowed")
    was_published = item.is_published
    apply_draft(item, draft)
    mark_portal_edit(item, author)
    if was_published:
        item.status = "in_review"
    elif item.status == "returned":
        item.status = "draft"
    _commit_change(item)
    return item


def send_back_to_review(item: ContentItem) -> None:
    """A new file on a published item takes it out of the public library until a coordinator
    publishes it again, as a text edit does (the file is reviewed with the item)."""
    item.status = "in_review"
    _commit_change(item)


def mark_portal_edit(item: ContentItem, editor: User) -> None:
    """Remember a directory entry's last editor (who may then not review it) and release a
    file-loaded item from its folder: source_root cleared, source_path kept, so the loader
    sees "edited on the portal" and never overwrites it."""
    if item.type in DIRECTORY_TYPES:
        item.extra = {**(item.extra or {}), "edited_by": editor.id}
    item.source_root = None


def retire_item(item: ContentItem, user: User, reason: str) -> None:
    """Take a published directory entry out of the lists (unpublished), saying why."""
    if item.type not in DIRECTORY_TYPES or not item.is_published or not can_edit(item, user):
        raise WorkflowError("not allowed")
    item.status = "unpublished"
    item.review_comment = reason.strip()
    mark_portal_edit(item, user)
    _commit_change(item)


def _commit_change(item: ContentItem) -> None:
    """Commit with the index change queued in the same transaction."""
    db.session.flush()
    queue_index_change(item)
    db.session.commit()
    content_changed.send(item)


# Review ----------------------------------------------------------------------------------


def submit_for_review(item: ContentItem, author: User, link: str) -> list[str]:
    """Send a draft to the coordinators; returns the addresses notified."""
    if not can_edit(item, author) or item.status not in SUBMITTABLE_STATES:
        raise WorkflowError("not allowed")
    item.status = "in_review"
    item.review_comment = ""
    _commit_change(item)
    return notify_reviewers(item, link)


def notify_reviewers(item: ContentItem, link: str) -> list[str]:
    """Tell the item's reviewers that it waits for them; returns the addresses notified."""
    reviewers = reviewers_for(item)
    for reviewer in reviewers:
        _mail(reviewer, _l("An item waits for review"),
              _l("%(title)s was submitted for review.\n\n%(link)s", title=item.title, link=link))
    return [r.email for r in reviewers]


def publish_item(item: ContentItem, reviewer: User, link: str) -> None:
    """Publish an item under review and tell its author."""
    if not can_review(item, reviewer) or item.status != "in_review":
        raise WorkflowError("not allowed")
    item.status = "published"
    item.review_comment = ""
    item.published_at = datetime.now(UTC)
    _commit_change(item)
    if item.author:
        _mail(item.author, _l("Your item was published"),
              _l("%(title)s is now public in the Training Yard.\n\n%(link)s",
                title=item.title, link=link))


def return_item(item: ContentItem, reviewer: User, comment: str, link: str) -> None:
    """Send an item back to its author with the reviewer's comment."""
    if not can_review(item, reviewer) or item.status != "in_review":
        raise WorkflowError("not allowed")
    item.status = "returned"
    item.review_comment = comment.strip()
    _commit_change(item)
    if item.author:
        _mail(item.author, _l("Your item was returned"),
              _l("%(title)s needs changes before it is published:\n\n%(comment)s\n\n%(link)s",
                title=item.title, comment=item.review_comment, link=link))


def reviewers_for(item: ContentItem) -> list[User]:
    """Coordinators of the author's country, plus admins."""
    users = db.session.scalars(
        select(User).where(User.role.in_(("coordinator", "admin")), User.status == "approved")
    )
    return [u for u in users if u.id != item.author_id and can_review(item, u)]


def review_queue(reviewer: User) -> list[ContentItem]:
    """Items waiting for this coordinator, oldest first."""
    items = db.session.scalars(
        select(ContentItem).where(ContentItem.status == "in_review")
        .order_by(ContentItem.updated_at)
    )
    return [i for i in items if can_review(i, reviewer)]


def items_by(author: User) -> list[ContentItem]:
    """An author's items, newest change first."""
    return list(db.session.scalars(
        select(ContentItem).where(ContentItem.author_id == author.id)
        .order_by(ContentItem.updated_at.desc())
    ))


def _mail(user: User, subject, body) -> None:
    """Mail a member in their language (lazy strings resolve inside force_locale)."""
    with force_locale(user.language or "en"):
        send_mail(user.email, str(subject), str(body))
