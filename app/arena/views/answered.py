"""The "answered by the library" lane: the alerts ALERT answered, each with what the reporter
received, and the button that opens a case on one for the experts."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.accounts.access import approved_required
from app.alerts.matching import (
    concept_pair,
    grouped,
    match_anchor,
    match_snippet,
    recommendation_url,
    stored_recommendations,
    topic_label,
)
from app.alerts.models import Alert
from app.alerts.services import visible_contact
from app.arena import bp
from app.arena.forms import ActionForm, AnsweredFilterForm
from app.arena.services import answered
from app.arena.services.board import alert_summary
from app.arena.services.cases import case_for_alert
from app.arena.views.helpers import commit, never_cached
from app.core.access_log import record_access
from app.core.forms import valid_filters
from app.extensions import db

MATCH_HELPERS = {
    "recommendation_url": recommendation_url,
    "topic_label": topic_label,
    "concept_pair": concept_pair,
    "match_snippet": match_snippet,
    "match_anchor": match_anchor,
}


@bp.get("/answered")
@approved_required
def answered_lane():
    """Alerts of the member's country the library answered (admins: all), newest first."""
    form = AnsweredFilterForm(request.args)
    chosen = valid_filters(form, ("category", "country"))
    filters = answered.AnsweredFilters(
        category=chosen["category"], country=chosen["country"] if current_user.is_admin else ""
    )
    page = db.paginate(
        answered.answered_query(current_user, filters),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
    return render_template(
        "arena/answered.html",
        form=form,
        page=page,
        filters=filters,
        lanes=answered.lane_counts(current_user),
        summary=alert_summary,
    )


@bp.get("/answered/<int:answered_id>")
@approved_required
def view_answered(answered_id: int):
    """An answered alert as members may read it, and what the reporter received; an alert
    since forwarded is a case now, so its old address leads there."""
    alert = _visible_answered(answered_id)
    record_access(current_user, "alert_opened", "alert", alert.id)
    db.session.commit()
    return render_template("arena/answered_alert.html", **_answered_page(alert))


@bp.post("/answered/<int:answered_id>/contact")
@approved_required
def reveal_answered_contact(answered_id: int):
    """A coordinator of the alert's country (or an admin) sees the reporter's contact: the
    access is logged, the page is never cached."""
    alert = _visible_answered(answered_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    contact = visible_contact(alert, current_user)
    if contact is None:
        abort(403)
    record_access(current_user, "contact_revealed", "alert", alert.id)
    db.session.commit()
    return never_cached(
        render_template("arena/answered_alert.html", **_answered_page(alert), contact=contact)
    )


@bp.post("/answered/<int:answered_id>/case")
@approved_required
def open_answered_case(answered_id: int):
    """A member opens a case on an answered alert: it goes to the experts like a forwarded
    alert, and the member lands on the new case."""
    alert = db.session.get(Alert, answered_id)
    if alert is None or not answered.can_see_answered(current_user, alert):
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if alert.is_forwarded:  # a second click, or another member was quicker
        return _to_case(alert)
    if answered.visible_answered_alert(current_user, alert.id) is None:
        abort(404)  # withdrawn or erased meanwhile
    try:
        case = answered.open_case(alert, current_user)
        commit()
    except IntegrityError:  # another member opened its case at the same moment
        db.session.rollback()
        return _to_case(alert)
    flash(_("The report is a case for the experts now."), "success")
    return redirect(url_for("arena.view_case", case_id=case.id))


def _visible_answered(answered_id: int) -> Alert:
    """The answered alert the member may see, else 404; a forwarded one redirects to its case
    (raised as an HTTP exception by abort)."""
    alert = answered.visible_answered_alert(current_user, answered_id)
    if alert is not None:
        return alert
    forwarded = db.session.get(Alert, answered_id)
    if (
        forwarded is not None
        and forwarded.is_forwarded
        and forwarded.purged_at is None
        and answered.can_see_answered(current_user, forwarded)
    ):
        abort(_to_case(forwarded))
    abort(404)


def _to_case(alert: Alert):
    """Redirect to the case of a forwarded alert (404 while it has none yet)."""
    case = case_for_alert(alert)
    if case is None:
        abort(404)
    return redirect(url_for("arena.view_case", case_id=case.id))


def _answered_page(alert: Alert) -> dict:
    """Everything the answered alert's page shows."""
    return {
        "alert": alert,
        "groups": grouped(stored_recommendations(alert.matches)),
        "may_reveal_contact": bool(alert.contact_email) and current_user.coordinates(alert.country),
        "action_form": ActionForm(),
        **MATCH_HELPERS,
    }
