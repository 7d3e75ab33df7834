"""Member handles for @mentions: a slug of the name plus the member id, e.g. @anna-nowak-12."""

from __future__ import annotations

import re
import unicodedata

from app.accounts.models import User
from app.extensions import db

MENTION_RE = re.compile(r"(?<![\w@])@([a-z0-9]+(?:-[a-z0-9]+)*)\b")


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "member"


def member_handle(user: User) -> str:
    """The member's handle (without @): unique because it ends with the member id."""
    return f"{slugify(user.name)}-{user.id}"


def mentioned_users(text: str) -> list[User]:
    """Members whose exact current handle appears as @handle in the text."""
    found: dict[int, User] = {}
    for handle in MENTION_RE.findall(text or ""):
        _, _, number = handle.rpartition("-")
        if not number.isdigit():
            continue
        user = db.session.get(User, int(number))
        if user is not None and member_handle(user) == handle:
            found[user.id] = user
    return list(found.values())
