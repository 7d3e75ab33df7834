"""The member's notifications: list, open (marks read), mark all read, delivery preferences."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, update

from app.accounts.access import approved_required
from app.accounts.models import utcnow
from app.arena import bp
from app.arena.forms import ActionForm, preferences_form
from app.arena.models import Notification
from app.arena.services import notifications as service
from app.extensions import db


@bp.app_context_processor
def notification_count() -> dict:
    """The header's unread count (approved members only; nothing for others)."""
    def unread() -> int:
        """Counted only when the header asks for it."""
        if current_user.is_authenticated and current_user.is_approved:
            return service.unread_count(current_user)
        return 0

    return {"arena_unread_count": unread}


@bp.get("/notifications")
@approved_required
def notifications():
    """The member's notifications, newest first."""
    query = (select(Notification).where(Notification.user_id == current_user.id)
             .order_by(Notification.created_at.desc(), Notification.id.desc()))
    page = db.paginate(query, page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("arena/notifications.html", page=page, describe=service.describe,
                           form=ActionForm())


@bp.post("/notifications/<int:note_id>")
@approved_required
def open_notification(note_id: int):
    """Mark one notification read and go to what it is about (only one's own: else 404); a
    POST, so a link preview or a prefetching browser never marks anything read."""
    note = db.session.get(Notification, note_id)
    if note is None or note.user_id != current_user.id:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return redirect(url_for(note.endpoint, **note.endpoint_args))


@bp.post("/notifications/read")
@approved_required
def mark_notifications_read():
    """Mark every notification of the member read."""
    if not ActionForm().validate_on_submit():
        abort(400)
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("arena.notifications"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@approved_required
def notification_settings():
    """Per kind: e-mail immediately, in a daily digest, or off."""
    form = preferences_form(service.preferences(current_user))()
    if form.validate_on_submit():
        service.set_preferences(
            current_user, {kind: form[kind].data for kind in service.DEFAULT_DELIVERY})
        db.session.commit()
        flash(_("Your notification settings were saved."), "success")
        return redirect(url_for("arena.notification_settings"))
    return render_template("arena/notification_settings.html", form=form)
