"""Feedback on library items: members say whether the items linked to a case helped;
coordinators see the feedback per item."""

from __future__ import annotations

from flask import abort, current_app, flash, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required, coordinator_required
from app.alerts.feedback import SUMMARY_ORDERS, FeedbackRefused, answer_message, feedback_summary
from app.alerts.forms import FeedbackForm
from app.alerts.matching import topic_label
from app.arena import bp
from app.arena.services.feedback import (
    CaseFeedback,
    linked_items,
    member_feedback_panel,
    record_member_feedback,
)
from app.arena.views.helpers import back_to_case, visible_case
from app.core.i18n import select_locale
from app.core.negotiation import wants_json
from app.extensions import db


@bp.context_processor
def feedback_helpers() -> dict:
    """case_feedback(case) for the case page's "Did the linked items help?" section."""
    return {"case_feedback": case_feedback}


def case_feedback(case) -> CaseFeedback:
    """The items linked to a case and the current member's feedback buttons for them."""
    return CaseFeedback(items=linked_items(case), panel=member_feedback_panel(case, current_user))


@bp.post("/cases/<int:case_id>/feedback")
@approved_required
def give_case_feedback(case_id: int):
    """A member of the case's country says whether one linked item helped (first answer
    counts)."""
    case = visible_case(case_id)
    form = FeedbackForm()
    if not form.validate():
        abort(400)
    helped = form.helped.data == "yes"
    try:
        recorded = record_member_feedback(case, current_user, form.doc_id.data, helped)
    except FeedbackRefused as refused:
        if str(refused) == "not_linked":
            abort(404)
        flash(_("The reporter withdrew this alert; it takes no new feedback."), "error")
        return back_to_case(case, "feedback")
    db.session.commit()
    message = answer_message(recorded, helped)
    if wants_json():
        return jsonify(message=message, recorded=recorded)
    flash(message, "success")
    return back_to_case(case, "feedback")


@bp.get("/feedback")
@coordinator_required
def feedback_overview():
    """Coordinators and admins: every item with feedback, newest vote or most votes first."""
    order = request.args.get("sort", "recent")
    if order not in SUMMARY_ORDERS:
        order = "recent"
    page = feedback_summary(request.args.get("page", 1, type=int),
                            current_app.config["PAGE_SIZE"], order, select_locale())
    return render_template("arena/feedback.html", page=page, order=order, topic_label=topic_label)
