"""A roundtable's joint work: action items, "my actions", and the ARENA cases it adopted."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.access import approved_required
from app.accounts.models import User
from app.alerts.choices import CATEGORY_LABELS
from app.arena.choices import CASE_STATUS_LABELS
from app.arena.models import Case
from app.extensions import db
from app.roundtables import access, bp
from app.roundtables.choices import ACTION_STATUS_LABELS
from app.roundtables.forms.members import ButtonForm
from app.roundtables.forms.work import ActionStatusForm, AdoptCaseForm, action_form
from app.roundtables.models import ActionItem, Meeting, Roundtable
from app.roundtables.services import actions, cases
from app.roundtables.views.helpers import commit, managed_roundtable, visible_roundtable

# The pages other helpers own that these views send members back to.
ROUNDTABLE_PAGE = "roundtables.view_roundtable"
MEETING_PAGE = "roundtables.view_meeting"
ACTION_ERRORS = {
    "owner": lambda: _("Choose an active member of this roundtable."),
    "meeting": lambda: _("Choose a meeting of this roundtable."),
}
STATUS_CHANGED = {
    "done": lambda title: _("“%(title)s” is done.", title=title),
    "dropped": lambda title: _("“%(title)s” was dropped.", title=title),
    "open": lambda title: _("“%(title)s” is open again.", title=title),
}
ADOPTION_ERRORS = {
    "missing": lambda: _("There is no such case on your board."),
    "country": lambda: _("Only cases of the roundtable's country can be adopted."),
    "adopted": lambda: _("The roundtable already adopted this case."),
    "closed": lambda: _("Only open cases can be adopted."),
}


def roundtable_page(roundtable: Roundtable, anchor: str = ""):
    """Redirect to the roundtable's page (optionally to a section)."""
    return redirect(url_for(ROUNDTABLE_PAGE, roundtable_id=roundtable.id, _anchor=anchor or None))


def back_from_action(action: ActionItem, back: str | None):
    """Redirect to where the status button was pressed (a key, never an address)."""
    if back == "mine":
        return redirect(url_for("roundtables.my_actions", _anchor=f"action-{action.id}"))
    if back == "case" and action.case_id:
        return redirect(url_for("arena.view_case", case_id=action.case_id,
                                _anchor="roundtables"))
    if back == "meeting" and action.meeting_id:
        return redirect(url_for(MEETING_PAGE, meeting_id=action.meeting_id, _anchor="actions"))
    return roundtable_page(action.roundtable, "actions")


# Actions -----------------------------------------------------------------------------------


@bp.post("/<int:roundtable_id>/actions")
@approved_required
def add_action(roundtable_id: int):
    """A manager records an action for an active member (the owner is told)."""
    roundtable = managed_roundtable(roundtable_id)
    form = action_form(roundtable)
    meeting = _chosen_meeting(roundtable, form.chosen_id("meeting"))
    if form.validate_on_submit():
        case_id = form.chosen_id("case")
        if case_id is not None and cases.adoption(roundtable, case_id) is None:
            form.case.errors = [_("Choose a case this roundtable adopted.")]
        else:
            return _save_action(roundtable, form, meeting, case_id)
    return render_template("roundtables/action_form.html", roundtable=roundtable,
                           meeting=meeting, form=form), 400


def _chosen_meeting(roundtable: Roundtable, meeting_id: int | None) -> Meeting | None:
    """The chosen meeting when it belongs to the roundtable (else none)."""
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    return meeting if meeting is not None and meeting.roundtable_id == roundtable.id else None


def _save_action(roundtable: Roundtable, form, meeting: Meeting | None, case_id: int | None):
    """Record the validated action, or show why it was refused."""
    owner = db.session.get(User, int(form.owner.data)) if form.owner.data.isdigit() else None
    try:
        action = actions.add_action(roundtable, current_user, form.title.data, owner,
                                    form.due_on.data, meeting, case_id)
    except actions.ActionError as error:
        db.session.rollback()
        form[str(error)].errors = [ACTION_ERRORS[str(error)]()]
        return render_template("roundtables/action_form.html", roundtable=roundtable,
                               meeting=meeting, form=form), 400
    commit()
    flash(_("The action was added."), "success")
    return back_from_action(action, "meeting" if meeting else "roundtable")


@bp.post("/actions/<int:action_id>/status")
@approved_required
def set_action_status(action_id: int):
    """The owner or a manager marks an action open, done or dropped."""
    action = db.session.get(ActionItem, action_id)
    if action is None:
        abort(404)
    visible_roundtable(action.roundtable_id)
    if not actions.can_change(current_user, action):
        abort(403)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        abort(400)
    actions.set_status(action, form.status.data)
    commit()
    flash(STATUS_CHANGED[action.status](action.title), "success")
    return back_from_action(action, form.back.data)


@bp.get("/actions")
@approved_required
def my_actions():
    """The member's open actions across their roundtables; closed ones on request."""
    closed = request.args.get("show") == "closed"
    page = None
    if closed:
        page = db.paginate(actions.my_closed_actions(current_user),
                           page=request.args.get("page", 1, type=int),
                           per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("roundtables/my_actions.html",
                           open_actions=actions.my_open_actions(current_user),
                           closed=closed, page=page, today=actions.today(),
                           status_form=ActionStatusForm())


# Adopted cases -----------------------------------------------------------------------------


@bp.post("/<int:roundtable_id>/cases")
@approved_required
def adopt_case(roundtable_id: int):
    """A manager adopts an open ARENA case of the roundtable's country for joint response."""
    roundtable = managed_roundtable(roundtable_id)
    form = adopt_case_form(roundtable)
    if form.validate_on_submit():
        try:
            cases.adopt_case(roundtable, current_user, form.case.data)
        except cases.AdoptionError as error:
            db.session.rollback()
            form.case.errors = [ADOPTION_ERRORS[str(error)]()]
        else:
            commit()
            flash(_("The roundtable adopted case #%(id)s.", id=form.case.data), "success")
            return roundtable_page(roundtable, "cases")
    return render_template("roundtables/case_form.html", roundtable=roundtable,
                           form=form), 400


def adopt_case_form(roundtable: Roundtable) -> AdoptCaseForm:
    """The adoption form offering the open cases of the country not adopted yet."""
    form = AdoptCaseForm()
    form.case.choices = [SelectChoice(c.id, case_label(c))
                         for c in cases.adoptable_cases(roundtable, current_user)]
    return form


def case_label(case: Case) -> str:
    """"Case #12 – In discussion – Hate speech – Berlin": number, status, categories, city."""
    parts = [_("Case #%(id)s", id=case.id), str(CASE_STATUS_LABELS.get(case.status, case.status)),
             ", ".join(str(CATEGORY_LABELS.get(c, c)) for c in case.categories or []), case.city]
    return " – ".join(part for part in parts if part)


@bp.post("/<int:roundtable_id>/cases/<int:case_id>/release")
@approved_required
def release_case(roundtable_id: int, case_id: int):
    """A manager ends the roundtable's joint response to a case."""
    roundtable = managed_roundtable(roundtable_id)
    if cases.adoption(roundtable, case_id) is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    cases.release_case(roundtable, current_user, case_id)
    commit()
    flash(_("The roundtable released case #%(id)s.", id=case_id), "success")
    return roundtable_page(roundtable, "cases")


@bp.app_template_global("case_roundtables")
def case_roundtables(case: Case) -> dict:
    """For the ARENA case page: the roundtables working on the case, as the viewer may see
    them (links, agenda items and actions only for those who may open the roundtable), with
    today's date and the status labels (the arena pages do not have them)."""
    found = (cases.case_roundtables(case, current_user)
             if getattr(current_user, "is_approved", False) else [])
    return {"roundtables": found, "today": actions.today(), "labels": ACTION_STATUS_LABELS}


def work_helpers() -> dict:
    """Template helpers of the actions partials (roundtable and meeting pages include them)."""
    return {"action_form_for": action_form, "may_change_action": _may_change,
            "is_overdue": actions.is_overdue, "may_manage_roundtable": _may_manage,
            "ActionStatusForm": ActionStatusForm, "adopt_case_form": adopt_case_form,
            "CASE_STATUS_LABELS": CASE_STATUS_LABELS, "CATEGORY_LABELS": CATEGORY_LABELS}


def _may_change(action: ActionItem) -> bool:
    return actions.can_change(current_user, action)


def _may_manage(roundtable: Roundtable) -> bool:
    return access.can_manage(current_user, roundtable)
