"""A lesson draft under review: its removals highlighted (template helper) and one restored."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required
from app.arena import bp
from app.arena.choices import REMOVAL_KIND_LABELS
from app.arena.forms import ActionForm
from app.arena.models import Case
from app.arena.services import lessons
from app.arena.services.access import can_coordinate
from app.extensions import db
from app.library.models import ContentItem
from app.library.publishing import can_review


def _reviewable_case(item: ContentItem | None) -> Case | None:
    """The case behind a lesson draft the current member coordinates, else None."""
    if item is None or item.is_published or not current_user.is_authenticated:
        return None
    case = lessons.lesson_case(item)
    return case if case is not None and can_coordinate(current_user, case) else None


@bp.app_template_global("lesson_removals")
def lesson_removals(item: ContentItem) -> dict | None:
    """For a lesson draft and a coordinator of its case: the sections with their removals
    (see lessons.highlighted), a button form and the kind labels; None for anyone else."""
    if item.type != "case" or not lessons.removals(item) or _reviewable_case(item) is None:
        return None
    return {"sections": lessons.highlighted(item), "form": ActionForm(),
            "kinds": REMOVAL_KIND_LABELS}


@bp.post("/lessons/<int:item_id>/removals/<int:index>/restore")
@approved_required
def restore_removal(item_id: int, index: int):
    """A coordinator of the case's country (or an admin) puts a wrongly removed text back."""
    item = db.session.get(ContentItem, item_id)
    if _reviewable_case(item) is None:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        original = lessons.restore_removal(item, index)
    except LookupError:
        abort(404)
    db.session.commit()
    flash(_("“%(text)s” is back in the draft.", text=original), "success")
    if can_review(item, current_user) and item.status == "in_review":
        target = url_for("library.review_item", item_id=item.id)
    else:
        target = url_for("library.show_item", item_type=item.type, slug=item.slug,
                         lang_code=item.language)
    return redirect(f"{target}#removals")
