"""Shared view helpers: the case a member may see (else 404), commit-then-mail, flash of errors."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.arena.models import Case
from app.arena.services.access import can_coordinate, can_see_case
from app.arena.services.cases import CaseError
from app.arena.services.notifications import commit_with_mail
from app.extensions import db

CASE_ERRORS = {
    "closed": lambda: _("This case is closed."),
    "not_closed": lambda: _("This case is not closed."),
    "withdrawn": lambda: _("The report was withdrawn or erased; the case stays closed."),
    "bad_target": lambda: _("Choose another open case of the same country."),
    "not_eligible": lambda: _("Only approved members of the case's country can be assigned."),
    "not_resolved": lambda: _("Only resolved cases become lessons."),
    "lesson_exists": lambda: _("A lesson was already drafted from this case."),
}


def visible_case(case_id: int) -> Case:
    """The case, or 404 when it does not exist or the member may not see it (no leak)."""
    case = db.session.get(Case, case_id)
    if case is None or not can_see_case(current_user, case):
        abort(404)
    return case


def coordinated_case(case_id: int) -> Case:
    """A visible case the member coordinates, else 403 (its existence is known by then)."""
    case = visible_case(case_id)
    if not can_coordinate(current_user, case):
        abort(403)
    return case


commit = commit_with_mail  # the views' one way to finish a unit of work


def back_to_case(case: Case, anchor: str = ""):
    """Redirect to the case page (optionally to a section)."""
    return redirect(url_for("arena.view_case", case_id=case.id, _anchor=anchor or None))


def never_cached(html: str):
    """A response no browser or proxy keeps (a page showing a reporter's contact)."""
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"
    return response


def case_error(error: CaseError) -> None:
    """Flash a readable explanation of a refused change."""
    db.session.rollback()
    message = CASE_ERRORS.get(str(error))
    flash(message() if message else _("This change is not possible."), "error")


def template_labels() -> dict:
    """Translated label dictionaries for ARENA's templates."""
    from app.accounts.choices import COUNTRIES, EXPERTISE, PROFESSIONS
    from app.alerts.choices import (
        CATEGORY_LABELS,
        FORWARD_REASON_LABELS,
        REPORTER_ROLES,
        SETTING_LABELS,
    )
    from app.alerts.choices import URGENCY_LABELS as ALERT_URGENCY_LABELS
    from app.arena import choices

    return {
        "CASE_STATUS_LABELS": choices.CASE_STATUS_LABELS,
        "CLOSED_REASON_LABELS": choices.CLOSED_REASON_LABELS,
        "ACTOR_LABELS": choices.ACTOR_LABELS, "URGENCY_LABELS": choices.URGENCY_LABELS,
        "CATEGORY_LABELS": CATEGORY_LABELS, "SETTING_LABELS": SETTING_LABELS,
        "ALERT_URGENCY_LABELS": ALERT_URGENCY_LABELS, "COUNTRIES": COUNTRIES,
        "EXPERTISE": EXPERTISE, "PROFESSIONS": PROFESSIONS,
        "FORWARD_REASON_LABELS": FORWARD_REASON_LABELS, "REPORTER_ROLES": REPORTER_ROLES,
    }
