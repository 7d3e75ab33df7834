"""Case board and case page, with the case's life: lead, assign, merge, close, reopen, lesson."""

from __future__ import annotations

from datetime import UTC, datetime

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
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.accounts.access import approved_required
from app.accounts.models import User
from app.alerts.services import visible_contact
from app.arena import bp
from app.arena.forms import (
    ANY,
    ActionForm,
    AssignForm,
    BoardFilterForm,
    CloseForm,
    CommentForm,
    MergeForm,
    MessageForm,
)
from app.arena.models import Case, Comment, Recommendation
from app.arena.services import answered, board, cases, discussion, lessons, urgent
from app.arena.services.access import (
    can_close,
    can_coordinate,
    can_release,
    can_see_contact,
    comment_editable,
)
from app.arena.services.cases import CaseError
from app.arena.services.handles import member_handle
from app.arena.views.helpers import (
    back_to_case,
    case_error,
    commit,
    coordinated_case,
    never_cached,
    visible_case,
)
from app.core.access_log import record_access
from app.core.mail import absolute_url
from app.extensions import db
from app.library.models import ContentItem
from app.library.publishing import notify_reviewers


@bp.get("/")
@approved_required
def index():
    """The case board of the member's country (admins: all), filtered, newest first."""
    form = BoardFilterForm(request.args)
    form.city.choices = [*ANY, *(SelectChoice(c, c) for c in board.communities(current_user))]
    filters = _filters(form, request.args)
    page = db.paginate(
        board.board_query(current_user, filters),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["PAGE_SIZE"], error_out=False,
    )
    counts = board.status_counts(current_user, filters)
    base_args = {k: v for k, v in request.args.items() if k not in ("page", "status")}
    return render_template("arena/board.html", form=form, page=page, counts=counts,
                           filters=filters, base_args=base_args, summary=board.summary,
                           waiting=urgent.unacknowledged_minutes, action_form=ActionForm(),
                           lanes=answered.lane_counts(current_user))


def _filters(form: BoardFilterForm, args) -> board.BoardFilters:
    """Board filters from a validated form (invalid values are ignored, never fatal)."""
    form.validate()
    for absent in (f for f in form if f.name not in args):
        absent.errors = []  # only filters in the address are checked
    return board.BoardFilters(
        status=form.status.data or "" if not form.status.errors else "",
        category=form.category.data or "" if not form.category.errors else "",
        city=form.city.data or "",
        date_from=None if form.date_from.errors else form.date_from.data,
        date_to=None if form.date_to.errors else form.date_to.data,
        no_response=bool(form.no_response.data),
    )


@bp.get("/cases/<int:case_id>")
@approved_required
def view_case(case_id: int):
    """The case page: the alert without the reporter's contact, matches, people, discussion."""
    case = visible_case(case_id)
    record_access(current_user, "case_opened", "case", case.id)
    db.session.commit()
    return render_template("arena/case.html", **case_page(case))


@bp.post("/cases/<int:case_id>/contact")
@approved_required
def reveal_contact(case_id: int):
    """A coordinator of the case's country asks to see the reporter's contact: the access is
    logged, then the case page shows it (never cached)."""
    case = visible_case(case_id)
    if not can_see_contact(current_user, case):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    contact = visible_contact(case.alert, current_user)
    if contact:
        record_access(current_user, "contact_revealed", "case", case.id)
        db.session.commit()
    return never_cached(render_template("arena/case.html", **case_page(case), contact=contact))


def case_page(case: Case, **forms) -> dict:
    """Everything the case page shows; forms passed in keep what the member typed."""
    user = current_user
    now = datetime.now(UTC)
    comments = db.session.scalars(
        select(Comment).where(Comment.case_id == case.id).order_by(Comment.id)).all()
    recs = db.session.scalars(
        select(Recommendation).where(Recommendation.case_id == case.id)
        .order_by(Recommendation.id)).all()
    return {
        "case": case, "alert": case.alert, "comments": comments, "recommendations": recs,
        "resources": _resources(recs),
        "may_reveal_contact": can_see_contact(user, case) and bool(case.alert.contact_email)
        and case.alert.status != "withdrawn",
        "editable": {c.id for c in comments if comment_editable(user, c, now)},
        "releasable": {r.id for r in recs if can_release(user, r) and not r.is_released},
        "coordinator": can_coordinate(user, case), "may_close": can_close(user, case),
        "waiting_minutes": urgent.unacknowledged_minutes(case),
        "following": cases.is_following(case, user), "handle": member_handle,
        "reporter_messages": discussion.reporter_messages(case),
        "may_message": bool(discussion.reporter_alerts(case)),
        "members": _members_of(case) if can_coordinate(user, case) else [],
        "comment_form": forms.get("comment_form") or CommentForm(),
        "message_form": forms.get("message_form") or MessageForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "assign_form": AssignForm(), "action_form": ActionForm(),
    }


def _resources(recs: list[Recommendation]) -> dict[int, ContentItem]:
    """Library items linked from the recommendations, by id."""
    ids = {i for r in recs for i in (r.resource_ids or [])}
    if not ids:
        return {}
    items = db.session.scalars(select(ContentItem).where(ContentItem.id.in_(ids)))
    return {item.id: item for item in items}


def _members_of(case: Case) -> list[User]:
    """Approved members of the case's country (for assignment)."""
    return list(db.session.scalars(
        select(User).where(User.status == "approved", User.country == case.country)
        .order_by(User.name)))


def _change(case: Case, change, success: str, anchor: str = "people"):
    """Apply a case change, commit and flash; a refused change is explained."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        change()
    except CaseError as error:
        case_error(error)
        return back_to_case(case, anchor)
    commit()
    flash(success, "success")
    return back_to_case(case, anchor)


@bp.post("/cases/<int:case_id>/lead")
@approved_required
def take_lead(case_id: int):
    """The member takes the lead on the case."""
    case = visible_case(case_id)
    return _change(case, lambda: cases.take_lead(case, current_user), _("You lead this case now."))


@bp.post("/cases/<int:case_id>/follow")
@approved_required
def toggle_follow(case_id: int):
    """Follow or stop following the case (replies notify followers)."""
    case = visible_case(case_id)
    if cases.is_following(case, current_user):
        return _change(case, lambda: cases.unfollow(case, current_user),
                       _("You no longer follow this case."))
    return _change(case, lambda: cases.follow(case, current_user), _("You follow this case."))


@bp.post("/cases/<int:case_id>/assign")
@approved_required
def assign_member(case_id: int):
    """A coordinator assigns a member of the case's country."""
    case = coordinated_case(case_id)
    form = AssignForm()
    member = db.session.get(User, form.member.data or 0) if form.validate_on_submit() else None
    if member is None:
        flash(_("Please choose a member."), "error")
        return back_to_case(case, "people")
    return _change(case, lambda: cases.assign(case, member, current_user),
                   _("%(name)s was assigned.", name=member.name))


@bp.post("/cases/<int:case_id>/merge")
@approved_required
def merge_case(case_id: int):
    """A coordinator closes the case as a duplicate of another case of the same country."""
    case = coordinated_case(case_id)
    form = MergeForm()
    target = db.session.get(Case, form.target.data) if form.validate_on_submit() else None
    if target is None or not can_coordinate(current_user, target):
        form.target.errors = [*form.target.errors, _("There is no such case on your board.")]
        return render_template("arena/case.html", **case_page(case, merge_form=form)), 400
    return _change(case, lambda: cases.merge_duplicate(case, target, current_user),
                   _("Merged into case #%(id)s.", id=target.id))


@bp.post("/cases/<int:case_id>/close")
@approved_required
def close_case(case_id: int):
    """The lead or a coordinator closes the case as resolved and records the outcome."""
    case = visible_case(case_id)
    if not can_close(current_user, case):
        abort(403)
    form = CloseForm()
    if not form.validate_on_submit():
        return render_template("arena/case.html", **case_page(case, close_form=form)), 400
    return _change(case, lambda: cases.close(case, current_user, "resolved", form.outcome.data),
                   _("The case is closed."), "outcome")


@bp.post("/cases/<int:case_id>/reopen")
@approved_required
def reopen_case(case_id: int):
    """A coordinator reopens a closed case."""
    case = coordinated_case(case_id)
    return _change(case, lambda: cases.reopen(case, current_user), _("The case is open again."))


@bp.post("/cases/<int:case_id>/acknowledge")
@approved_required
def acknowledge_case(case_id: int):
    """A coordinator of the case's country says with one click: I have this urgent case."""
    case = coordinated_case(case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    if urgent.acknowledge(case, current_user):
        commit()
        flash(_("You acknowledged this urgent case. The other coordinators see that you "
                "have it."), "success")
    else:
        flash(_("There is nothing to acknowledge: the case was already acknowledged, is "
                "closed or is not urgent."), "warning")
    return back_to_case(case)


@bp.post("/cases/<int:case_id>/lesson")
@approved_required
def create_lesson(case_id: int):
    """A coordinator drafts a de-identified library case from a resolved case, for review."""
    case = coordinated_case(case_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        item = lessons.create_lesson_draft(case, current_user)
    except CaseError as error:
        case_error(error)
        return back_to_case(case, "outcome")
    commit()
    notify_reviewers(item, absolute_url("library.review_item", item_id=item.id,
                                        lang_code=item.language))
    flash(_("A de-identified draft is ready. Another coordinator or an administrator reviews "
            "it before it is published."), "success")
    return redirect(url_for("library.show_item", item_type=item.type, slug=item.slug,
                            lang_code=item.language))
