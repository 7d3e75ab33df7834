"""The reporter's feedback on ALERT's recommendations: "helped" or "did not help", once per
item, from the result page (which stays on screen with JavaScript) or the follow-up page."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, url_for

from app.alerts import bp
from app.alerts.access import followed_alert, reporter_may_act_on
from app.alerts.feedback import (
    REPORTER,
    FeedbackPanel,
    FeedbackRefused,
    answer_message,
    recommended_doc_ids,
    record_feedback,
    votes_of,
)
from app.alerts.forms import FeedbackForm
from app.alerts.matching import grouped, match_anchor, stored_recommendations
from app.alerts.models import Alert
from app.core.negotiation import wants_json
from app.extensions import db


@bp.context_processor
def feedback_helpers() -> dict:
    """reporter_feedback(alert) and match_anchor(doc_id) for ALERT's recommendation lists."""
    return {"reporter_feedback": reporter_feedback, "match_anchor": match_anchor}


def reporter_feedback(alert: Alert) -> FeedbackPanel | None:
    """The reporter's feedback buttons for an alert, or None when this browser may not vote."""
    if alert is None or not reporter_may_act_on(alert):
        return None
    return FeedbackPanel(action=url_for("alerts.give_feedback", alert_id=alert.id),
                         votes=votes_of(alert.id, REPORTER))


@bp.post("/<int:alert_id>/feedback")
def give_feedback(alert_id: int):
    """The reporter says whether one recommended item helped (the first answer counts)."""
    alert = db.get_or_404(Alert, alert_id)
    if not reporter_may_act_on(alert):
        abort(403)
    form = FeedbackForm()
    if not form.validate():
        abort(400)
    helped = form.helped.data == "yes"
    try:
        recorded = record_feedback(alert, form.doc_id.data, helped, REPORTER,
                                   recommended_doc_ids(alert))
    except FeedbackRefused:
        abort(404)  # not one of this alert's recommendations
    db.session.commit()
    message = answer_message(recorded, helped)
    if wants_json():
        return jsonify(message=message, recorded=recorded)
    flash(message, "success")
    return redirect(_back_to_matches(alert, form.doc_id.data), code=303)


def _back_to_matches(alert: Alert, doc_id: str) -> str:
    """The follow-up page when this browser follows the alert, else its recommendations."""
    anchor = match_anchor(doc_id)
    followed = followed_alert()
    if followed is not None and followed.id == alert.id:
        return url_for("alerts.follow_up", _anchor=anchor)
    return url_for("alerts.show_recommendations", alert_id=alert.id, _anchor=anchor)


@bp.get("/<int:alert_id>/recommendations")
def show_recommendations(alert_id: int):
    """The recommendations of the alert this browser has just sent, with its feedback (where
    the result page's buttons lead without JavaScript; the receipt code is not shown again)."""
    alert = db.get_or_404(Alert, alert_id)
    if not reporter_may_act_on(alert):
        abort(403)
    return render_template("alerts/recommendations.html", alert=alert,
                           groups=grouped(stored_recommendations(alert.matches)))
