"""Shared view helpers: the roundtable a visitor may see (else 404) or manage (else 403)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.arena.services.notifications import commit_with_mail
from app.extensions import db
from app.roundtables import access
from app.roundtables.models import Roundtable


def visible_roundtable(roundtable_id: int) -> Roundtable:
    """The roundtable, or 404 when it does not exist or the visitor may not see it (no leak)."""
    roundtable = db.session.get(Roundtable, roundtable_id)
    if roundtable is None or not access.can_see(current_user, roundtable):
        abort(404)
    return roundtable


def managed_roundtable(roundtable_id: int) -> Roundtable:
    """A visible roundtable the visitor manages, else 403 (its existence is known by then)."""
    roundtable = visible_roundtable(roundtable_id)
    if not access.can_manage(current_user, roundtable):
        abort(403)
    return roundtable


commit = commit_with_mail  # the views' one way to finish a unit of work


def template_labels() -> dict:
    """Translated label dictionaries for the roundtable templates."""
    from app.accounts.choices import COUNTRIES
    from app.roundtables import choices

    return {
        "AGENCY_LABELS": choices.AGENCY_LABELS,
        "MEMBERSHIP_STATUS_LABELS": choices.MEMBERSHIP_STATUS_LABELS,
        "MEETING_KIND_LABELS": choices.MEETING_KIND_LABELS,
        "ATTENDANCE_LABELS": choices.ATTENDANCE_LABELS,
        "ACTION_STATUS_LABELS": choices.ACTION_STATUS_LABELS,
        "COUNTRIES": COUNTRIES,
    }
