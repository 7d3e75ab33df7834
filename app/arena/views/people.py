"""Members directory, profiles, "Contact" and private conversations."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required
from app.arena import bp
from app.arena.forms import DirectoryForm, MessageForm
from app.arena.models import Conversation
from app.arena.services import people
from app.arena.services.handles import member_handle
from app.arena.views.helpers import commit
from app.core.forms import valid_filters
from app.extensions import db


@bp.get("/people")
@approved_required
def directory():
    """Approved members who share a public profile, searchable by expertise, country ..."""
    form = DirectoryForm(request.args)
    members = people.directory(_filters(form))
    size = current_app.config["PAGE_SIZE"]
    number = max(request.args.get("page", 1, type=int), 1)
    pages = max((len(members) + size - 1) // size, 1)
    shown = members[(number - 1) * size: number * size]
    return render_template("arena/directory.html", form=form, members=shown,
                           total=len(members), page=number, pages=pages)


DIRECTORY_CHOICES = ("expertise", "country", "language", "profession")


def _filters(form: DirectoryForm) -> people.DirectoryFilters:
    """The valid filters (an empty or unknown choice is dropped quietly)."""
    chosen = valid_filters(form, DIRECTORY_CHOICES)
    return people.DirectoryFilters(text=(form.q.data or "").strip(), **chosen)


@bp.get("/people/<int:user_id>")
@approved_required
def view_profile(user_id: int):
    """What the member chose to share, and their published practices (404 if not public)."""
    member = people.public_member(user_id, current_user)
    if member is None:
        abort(404)
    return render_template("arena/profile.html", member=member, handle=member_handle(member),
                           practices=people.published_practices(member), form=MessageForm())


@bp.route("/people/<int:user_id>/contact", methods=["GET", "POST"])
@approved_required
def contact_member(user_id: int):
    """Send an in-portal message (the member gets an e-mail notification)."""
    member = people.public_member(user_id, current_user)
    if member is None or member.id == current_user.id:
        abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        conversation = people.conversation_between(current_user, member, create=True)
        people.send_message(conversation, current_user, form.body.data)
        commit()
        flash(_("Your message was sent."), "success")
        return redirect(url_for("arena.view_conversation", conversation_id=conversation.id))
    return render_template("arena/contact.html", form=form, member=member)


@bp.get("/messages")
@approved_required
def conversations():
    """The member's conversations, most recent first."""
    return render_template("arena/conversations.html",
                           conversations=people.conversations_of(current_user))


@bp.route("/messages/<int:conversation_id>", methods=["GET", "POST"])
@approved_required
def view_conversation(conversation_id: int):
    """One conversation; only its two members may open it (else 404)."""
    conversation = db.session.get(Conversation, conversation_id)
    if conversation is None or not conversation.includes(current_user):
        abort(404)
    form = MessageForm()
    if form.validate_on_submit():
        people.send_message(conversation, current_user, form.body.data)
        commit()
        flash(_("Your message was sent."), "success")
        return redirect(url_for("arena.view_conversation", conversation_id=conversation.id))
    status = 400 if form.errors else 200
    return render_template("arena/conversation.html", conversation=conversation, form=form,
                           other=conversation.other(current_user)), status
