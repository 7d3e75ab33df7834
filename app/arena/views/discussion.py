"""Comments, recommendations (written, released) and messages with the reporter."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app.accounts.access import approved_required
from app.arena import bp
from app.arena.forms import ActionForm, CommentForm, MessageForm, RecommendationForm
from app.arena.models import Comment, Recommendation
from app.arena.services import discussion
from app.arena.services.access import can_release, can_see_case, comment_editable
from app.arena.services.cases import CaseError
from app.arena.views.board import case_page
from app.arena.views.helpers import back_to_case, case_error, commit, visible_case
from app.extensions import db
from app.library.models import ContentItem

RESOURCE_CHOICES = 20


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


def _slugs(form: RecommendationForm) -> list[str]:
    """The library slugs typed into the comma-separated box."""
    return [s.strip() for s in (form.resource_slugs.data or "").split(",") if s.strip()]


def _resource_choices(form: RecommendationForm) -> list[ContentItem]:
    """Published library items found by title, plus the ones already picked or named by slug."""
    published = select(ContentItem).where(ContentItem.status == "published")
    found: dict[int, ContentItem] = {}
    picked = [int(i) for i in request.form.getlist("resources") if str(i).isdigit()]
    if picked:
        found.update((i.id, i) for i in db.session.scalars(
            published.where(ContentItem.id.in_(picked))))
    slugs = _slugs(form)
    if slugs:
        found.update((i.id, i) for i in db.session.scalars(
            published.where(ContentItem.slug.in_(slugs))))
    text = (form.resource_query.data or "").strip()
    if text:
        hits = published.where(ContentItem.title.ilike(f"%{text}%")).limit(RESOURCE_CHOICES)
        found.update((i.id, i) for i in db.session.scalars(hits))
    return list(found.values())


@bp.route("/cases/<int:case_id>/recommendations/new", methods=["GET", "POST"])
@approved_required
def new_recommendation(case_id: int):
    """Write a structured recommendation; "Find" re-renders with library resources to tick."""
    case = visible_case(case_id)
    form = RecommendationForm()
    items = _resource_choices(form) if request.method == "POST" else []
    form.resources.choices = [SelectChoice(i.id, i.title) for i in items]
    searching = "find" in request.form
    if request.method == "POST" and not searching and form.validate_on_submit():
        try:
            discussion.add_recommendation(
                case, current_user, action=form.action.data, reason=form.reason.data,
                actors=form.actors.data, urgency=form.urgency.data,
                resource_ids=[i.id for i in items if i.id in (form.resources.data or [])]
                + _named_by_slug(form, items),
            )
        except CaseError as error:
            case_error(error)
            return back_to_case(case)
        commit()
        flash(_("Your recommendation was saved. Release it when the reporter may see it."),
              "success")
        return back_to_case(case, "recommendations")
    return render_template("arena/recommendation_form.html", form=form, case=case,
                           searching=searching)


def _named_by_slug(form: RecommendationForm, items: list[ContentItem]) -> list[int]:
    """Items named in the slug box that were not also ticked."""
    slugs = set(_slugs(form))
    ticked = set(form.resources.data or [])
    return [i.id for i in items if i.slug in slugs and i.id not in ticked]


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
    if case.alert.status == "withdrawn":
        flash(_("The reporter withdrew this alert; messages can no longer be sent."), "error")
        return back_to_case(case, "reporter")
    if not form.validate_on_submit():
        return render_template("arena/case.html", **case_page(case, message_form=form)), 400
    discussion.message_reporter(case, current_user, form.body.data)
    commit()
    flash(_("Your message was sent to the reporter."), "success")
    return back_to_case(case, "reporter")
