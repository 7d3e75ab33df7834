"""Who may keep the directories (trainers, experts, donors, organisations) on the portal.

Coordinators edit entries that concern a country they coordinate, and entries with no
national country (only "EU", or none) which concern every coordinator; admins edit all. The
member a coordinator linked to a trainer or organisation entry (`extra["member_id"]`) edits
that entry too. Reviewing follows the same country rule, never by the entry's last editor.
"""

from __future__ import annotations

from datetime import date

from app.accounts.models import User
from app.library.models import ContentItem

DIRECTORY_TYPES = ("trainer", "expert", "donor", "organisation")
LINKABLE_TYPES = ("trainer", "organisation")  # entries a member may be linked to
NATIONAL = ("DE", "PL", "RO", "HU")


def today() -> date:
    """Today's date for deadlines (one place, so tests can fix the day)."""
    return date.today()


def coordinates_any(user: User, countries: list[str] | None) -> bool:
    """A coordinator of one of the entry's countries (any coordinator when none is national)."""
    if not getattr(user, "is_coordinator", False):
        return False
    national = [c for c in countries or [] if c in NATIONAL]
    return user.is_admin or not national or any(user.coordinates(c) for c in national)


def linked_member_id(item: ContentItem) -> int | None:
    """The member linked to a trainer or organisation entry, if any."""
    value = (item.extra or {}).get("member_id") if item.type in LINKABLE_TYPES else None
    return value if isinstance(value, int) else None


def can_keep_directory(item: ContentItem, user: User) -> bool:
    """May `user` edit this directory entry (coordinators by country, admins, linked member)?"""
    if item.type not in DIRECTORY_TYPES:
        return False
    if linked_member_id(item) == user.id or item.author_id == user.id:
        return True
    return coordinates_any(user, item.countries)


def can_create_directory(user: User) -> bool:
    """New directory entries are written by coordinators and admins."""
    return bool(getattr(user, "is_coordinator", False))


def can_review_directory(item: ContentItem, user: User) -> bool:
    """A coordinator of the entry's countries who did not make its last edit (nor wrote it,
    when no edit on the portal is recorded)."""
    last_editor = (item.extra or {}).get("edited_by", item.author_id)
    return last_editor != user.id and coordinates_any(user, item.countries)
