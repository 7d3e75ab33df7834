"""Joint evaluations: write, read, edit, and turn one into a library lesson draft."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required
from app.core.mail import absolute_url
from app.extensions import db
from app.library.choices import STATUS_LABELS
from app.library.publishing import can_review, notify_reviewers
from app.library.services import can_view
from app.roundtables import access, bp
from app.roundtables.forms.members import ButtonForm
from app.roundtables.forms.work import EvaluationForm, evaluation_form
from app.roundtables.models import Evaluation, Roundtable
from app.roundtables.services import evaluations
from app.roundtables.views.helpers import commit, managed_roundtable, visible_roundtable


def _evaluation(evaluation_id: int, manage: bool = False) -> Evaluation:
    """The evaluation if the visitor may see its roundtable (else 404), or manage it (else 403)."""
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None:
        abort(404)
    if manage:
        managed_roundtable(evaluation.roundtable_id)
    else:
        visible_roundtable(evaluation.roundtable_id)
    return evaluation


def _text(form: EvaluationForm) -> evaluations.EvaluationText:
    """The review's texts from a validated form."""
    return evaluations.EvaluationText(**{name: form[name].data or "" for name in (
        "title", "language", *evaluations.SECTIONS)})


def _subject(roundtable: Roundtable):
    """The past meeting and closed adopted case asked for in the address (404 if not one)."""
    try:
        return (evaluations.evaluated_meeting(roundtable, request.args.get("meeting_id", type=int)),
                evaluations.evaluated_case(roundtable, request.args.get("case_id", type=int)))
    except LookupError:
        abort(404)


@bp.route("/<int:roundtable_id>/evaluations/new", methods=["GET", "POST"])
@approved_required
def new_evaluation(roundtable_id: int):
    """A manager writes a joint evaluation (after a meeting or a closed adopted case)."""
    roundtable = managed_roundtable(roundtable_id)
    meeting, case = _subject(roundtable)
    form = evaluation_form(roundtable)
    if not form.is_submitted() and roundtable.languages:
        form.language.data = roundtable.languages[0]
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("roundtables/evaluation_form.html", roundtable=roundtable,
                               form=form, meeting=meeting, case=case, evaluation=None), status
    evaluation = evaluations.create_evaluation(roundtable, current_user, _text(form),
                                               meeting, case)
    commit()
    flash(_("The evaluation is saved."), "success")
    return redirect(url_for("roundtables.view_evaluation", evaluation_id=evaluation.id))


@bp.get("/evaluations/<int:evaluation_id>")
@approved_required
def view_evaluation(evaluation_id: int):
    """A joint evaluation, for everyone who may see its roundtable."""
    evaluation = _evaluation(evaluation_id)
    lesson = evaluations.lesson_of(evaluation)
    return render_template(
        "roundtables/evaluation.html", evaluation=evaluation, roundtable=evaluation.roundtable,
        manager=access.can_manage(current_user, evaluation.roundtable), lesson=lesson,
        may_open=lesson is not None and can_view(lesson, current_user),
        may_review=lesson is not None and lesson.status == "in_review"
        and can_review(lesson, current_user),
        button_form=ButtonForm(), subject=evaluations.subject_of(evaluation),
        lesson_status=STATUS_LABELS.get(lesson.status, lesson.status) if lesson else "")


@bp.route("/evaluations/<int:evaluation_id>/edit", methods=["GET", "POST"])
@approved_required
def edit_evaluation(evaluation_id: int):
    """A manager corrects an evaluation (a lesson already drafted keeps its own text)."""
    evaluation = _evaluation(evaluation_id, manage=True)
    roundtable = evaluation.roundtable
    form = evaluation_form(roundtable, obj=evaluation)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("roundtables/evaluation_form.html", roundtable=roundtable,
                               form=form, evaluation=evaluation,
                               **evaluations.subject_of(evaluation)), status
    evaluations.update_evaluation(evaluation, _text(form))
    commit()
    flash(_("The evaluation is saved."), "success")
    return redirect(url_for("roundtables.view_evaluation", evaluation_id=evaluation.id))


@bp.post("/evaluations/<int:evaluation_id>/lesson")
@approved_required
def create_lesson(evaluation_id: int):
    """A manager turns the evaluation into a de-identified lesson draft for review."""
    evaluation = _evaluation(evaluation_id, manage=True)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        item = evaluations.create_lesson_draft(evaluation, current_user)
    except evaluations.EvaluationError:
        db.session.rollback()
        flash(_("A lesson was already drafted from this evaluation."), "error")
        return redirect(url_for("roundtables.view_evaluation", evaluation_id=evaluation.id))
    commit()
    notify_reviewers(item, absolute_url("library.review_item", item_id=item.id,
                                        lang_code=item.language))
    flash(_("A de-identified lesson draft is ready. A coordinator or an administrator reviews "
            "it before it is published."), "success")
    return redirect(url_for("roundtables.view_evaluation", evaluation_id=evaluation.id,
                            _anchor="lesson"))
