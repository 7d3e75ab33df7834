"""Comments, recommendations (written, released) and messages with the reporter."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.accounts.access import approved_required
from app.arena import bp
from app.arena.forms import ActionForm, CommentForm, MessageForm, RecommendationForm
from app.arena.models import Comment, Recommendation
from app.arena.services import discussion, resources
from app.arena.services.access import can_release, can_see_case, comment_editable
from app.arena.services.cases import CaseError
from app.arena.views.board import case_page
from app.arena.views.helpers import back_to_case, case_error, commit, visible_case
from app.core.i18n import select_locale
from app.extensions import db
from app.library.models import ContentItem


@bp.post("/cases/<int:case_id>/comments")
@approved_required
def add_comment(case_id: int):
    """Post a comment; errors re-render the case page with the text kept."""
    case = visible_case(case_id)
    form = CommentForm()
    if not form.validate_on_submit():
        return render_template("arena/case.html", **case_page(case, comment_form=form)), 400
    comment = discussion.add_comment(case, current_user, form.body.data)
    commit()
    flash(_("Your comment was posted."), "success")
    return back_to_case(case, f"comment-{comment.id}")


def _own_comment(comment_id: int) -> Comment:
    """A comment on a visible case (else 404); only its author within 15 minutes may edit."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or not can_see_case(current_user, comment.case):
        abort(404)
    if not comment_editable(current_user, comment, datetime.now(UTC)):
        abort(403)
    return comment


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@approved_required
def edit_comment(comment_id: int):
    """Edit one's own comment within 15 minutes of posting."""
    comment = _own_comment(comment_id)
    form = CommentForm(data={"body": comment.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        discussion.edit_comment(comment, current_user, form.body.data)
        commit()
        flash(_("Your comment was changed."), "success")
        return back_to_case(comment.case, f"comment-{comment.id}")
    return render_template("arena/comment_edit.html", form=form, comment=comment)


def _named(form: RecommendationForm) -> dict[str, ContentItem | None]:
    """Each address or slug typed into the box, with the published item it names (or None)."""
    return {text: resources.resolve_reference(text, select_locale())
            for text in resources.split_references(form.resource_slugs.data)}


def _resource_choices(form: RecommendationForm, named: list[ContentItem]) -> list[ContentItem]:
    """Library items found by search, plus the ones already ticked or named by address."""
    picked = [int(i) for i in request.form.getlist("resources") if str(i).isdigit()]
    found: dict[int, ContentItem] = {}
    if picked:
        found.update((i.id, i) for i in db.session.scalars(select(ContentItem).where(
            ContentItem.status == "published", ContentItem.id.in_(picked))))
    found.update((i.id, i) for i in named)
    text = (form.resource_query.data or "").strip()
    if text:
        found.update((i.id, i) for i in resources.find_resources(text, select_locale()))
    return list(found.values())


def _example() -> str | None:
    """A real library address to show in the hint."""
    example = resources.example_address(select_locale())
    return url_for("library.show_item", item_type=example[0], slug=example[1],
                   _external=True) if example else None


def _unknown_references(form: RecommendationForm, named: dict) -> bool:
    """Flag addresses that name no published library page; True when there were any."""
    for text, item in named.items():
        if item is None:
            form.resource_slugs.errors.append(
                _("Not found in the library: %(address)s", address=text))
    return bool(form.resource_slugs.errors)


@bp.route("/cases/<int:case_id>/recommendations/new", methods=["GET", "POST"])
@approved_required
def new_recommendation(case_id: int):
    """Write a structured recommendation; "Find" re-renders with library resources to tick."""
    case = visible_case(case_id)
    form = RecommendationForm()
    named = _named(form) if request.method == "POST" else {}
    linked = [i for i in named.values() if i is not None]
    items = _resource_choices(form, linked) if request.method == "POST" else []
    form.resources.choices = [SelectChoice(i.id, i.title) for i in items]
    searching = "find" in request.form
    if not searching and form.validate_on_submit() and not _unknown_references(form, named):
        ticked = set(form.resources.data or [])
        try:
            discussion.add_recommendation(
                case, current_user, action=form.action.data, reason=form.reason.data,
                actors=form.actors.data, urgency=form.urgency.data,
                resource_ids=list(dict.fromkeys(
                    [i.id for i in items if i.id in ticked] + [i.id for i in linked])),
            )
        except CaseError as error:
            case_error(error)
            return back_to_case(case)
        commit()
        flash(_("Your recommendation was saved. Release it when the reporter may see it."),
              "success")
        return back_to_case(case, "recommendations")
    return render_template("arena/recommendation_form.html", form=form, case=case,
                           searching=searching, example=_example())


@bp.post("/recommendations/<int:rec_id>/release")
@approved_required
def release_recommendation(rec_id: int):
    """Its author or a coordinator releases a recommendation to the reporter's follow-up page."""
    rec = db.session.get(Recommendation, rec_id)
    if rec is None or not can_see_case(current_user, rec.case):
        abort(404)
    if not can_release(current_user, rec):
        abort(403)
    if not ActionForm().validate_on_submit():
        abort(400)
    discussion.release_recommendation(rec, current_user)
    commit()
    flash(_("The reporter can now see this recommendation."), "success")
    return back_to_case(rec.case, f"rec-{rec.id}")


@bp.post("/cases/<int:case_id>/messages")
@approved_required
def message_reporter(case_id: int):
    """Write to the reporter through the follow-up channel (nobody's identity is shown)."""
    case = visible_case(case_id)
    form = MessageForm()
    if not discussion.reporter_alerts(case):
        flash(_("The reporter withdrew this alert; messages can no longer be sent."), "error")
        return back_to_case(case, "reporter")
    if not form.validate_on_submit():
        return render_template("arena/case.html", **case_page(case, message_form=form)), 400
    discussion.message_reporter(case, current_user, form.body.data)
    commit()
    flash(_("Your message was sent to the reporter."), "success")
    return back_to_case(case, "reporter")
