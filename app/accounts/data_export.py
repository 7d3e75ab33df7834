"""A member's own data as JSON (GDPR Art. 15 and 20): their profile, what they wrote and
their settings; never other people's personal data, never a reporter's text or contact."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from app.accounts.models import User, utcnow
from app.alerts.models import AlertMessage
from app.arena.models import (
    Case,
    CaseAssignment,
    CaseFollower,
    Comment,
    DirectMessage,
    Recommendation,
)
from app.arena.services.notifications import preferences
from app.core.access_log import AccessLogEntry, record_access
from app.extensions import db
from app.library.models import ContentItem

# Profile fields a member sees of themselves (not the password hash, second-factor secret or
# session version: those are credentials, not data about the person).
PROFILE_FIELDS = (
    "email", "name", "kind", "organisation", "profession", "country", "city",
    "working_languages", "expertise", "bio", "public_profile", "language", "role", "status",
    "status_reason", "email_confirmed_at", "created_at",
)


def member_data(user: User) -> dict:
    """Everything the portal keeps about the member and that they wrote."""
    return {
        "exported_at": utcnow(),
        "profile": {name: getattr(user, name) for name in PROFILE_FIELDS},
        "two_factor_enabled": bool(getattr(user, "two_factor_enabled", False)),
        "notification_settings": preferences(user),
        "cases": _cases(user),
        "comments": _rows(Comment, Comment.author_id, user, ("case_id", "body", "created_at",
                                                            "edited_at")),
        "recommendations": _rows(Recommendation, Recommendation.author_id, user, (
            "case_id", "action", "reason", "actors", "urgency", "created_at", "released_at")),
        "messages_to_reporters": _messages_to_reporters(user),
        "direct_messages_sent": _rows(DirectMessage, DirectMessage.sender_id, user, (
            "conversation_id", "body", "created_at")),
        "library_items": _rows(ContentItem, ContentItem.author_id, user, (
            "type", "slug", "language", "title", "status", "created_at", "published_at")),
        "access_log": _rows(AccessLogEntry, AccessLogEntry.actor_id, user, (
            "action", "object_type", "object_id", "created_at")),
    }


def _rows(model, owner_column, user: User, fields: tuple[str, ...]) -> list[dict]:
    """The member's rows of a model, oldest first, with the given fields."""
    rows = db.session.scalars(select(model).where(owner_column == user.id).order_by(model.id))
    return [{name: getattr(row, name) for name in fields} for row in rows]


def _cases(user: User) -> dict[str, list[int]]:
    """The cases the member leads, was assigned to or follows (numbers only)."""
    return {
        "lead": list(db.session.scalars(
            select(Case.id).where(Case.lead_id == user.id).order_by(Case.id))),
        "assigned": list(db.session.scalars(select(CaseAssignment.case_id).where(
            CaseAssignment.user_id == user.id).order_by(CaseAssignment.case_id))),
        "following": list(db.session.scalars(select(CaseFollower.case_id).where(
            CaseFollower.user_id == user.id).order_by(CaseFollower.case_id))),
    }


def _messages_to_reporters(user: User) -> list[dict]:
    """What the member wrote to reporters (the reporters' own messages are not theirs)."""
    rows = db.session.execute(
        select(AlertMessage.body, AlertMessage.created_at, Case.id)
        .outerjoin(Case, Case.alert_id == AlertMessage.alert_id)
        .where(AlertMessage.author_id == user.id, AlertMessage.from_reporter.is_(False))
        .order_by(AlertMessage.id))
    return [{"case_id": case_id, "body": body, "created_at": created}
            for body, created, case_id in rows]


def export_member_data(user: User) -> bytes:
    """The member's data as UTF-8 JSON; the download is recorded in the access log (the
    caller commits)."""
    record_access(user, "export", "user", user.id)
    return json.dumps(member_data(user), ensure_ascii=False, indent=2,
                      default=_json_value).encode()


def _json_value(value):
    """Dates and times as ISO 8601."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(type(value).__name__)
