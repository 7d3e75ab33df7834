"""A roundtable's members: directory, invitations, requests to join, secretariat, leaving."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.access import approved_required
from app.accounts.models import User
from app.extensions import db
from app.roundtables import access, bp
from app.roundtables.forms.members import ButtonForm, InviteForm, OthersSeatForm, SeatForm
from app.roundtables.models import Roundtable, RoundtableMember
from app.roundtables.services import members
from app.roundtables.services.members import MemberError, Seat
from app.roundtables.views.helpers import commit, managed_roundtable, visible_roundtable

MEMBER_ERRORS = {
    "last_secretariat": lambda: _("A roundtable always needs at least one secretariat member: "
                                  "name another one first."),
    "already_seated": lambda: _("This member already has a seat, an invitation or a request."),
    "not_eligible": lambda: _("Only approved members of the roundtable's country can join."),
}


@bp.get("/<int:roundtable_id>/members")
@approved_required
def list_members(roundtable_id: int):
    """Who sits for which agency; managers also see invitations and requests."""
    roundtable = visible_roundtable(roundtable_id)
    return _members_page(roundtable, _invite_form(roundtable))


@bp.post("/<int:roundtable_id>/members/invite")
@approved_required
def invite_member(roundtable_id: int):
    """Invite an approved member of the country; they are notified."""
    roundtable = managed_roundtable(roundtable_id)
    form = _invite_form(roundtable)
    if not form.validate_on_submit():
        return _members_page(roundtable, form, status=400)
    invitee = db.session.get(User, form.member.data)
    try:
        members.invite(roundtable, invitee, current_user, _seat(form))
    except MemberError as error:
        return _refused(roundtable, error)
    commit()
    flash(_("%(name)s was invited.", name=invitee.name), "success")
    return _to_members(roundtable)


@bp.get("/<int:roundtable_id>/invitation")
@approved_required
def view_invitation(roundtable_id: int):
    """The invitation, for the invitee only (404 to anyone else); once accepted, the
    invitation's notification leads to the roundtable."""
    roundtable = db.session.get(Roundtable, roundtable_id)
    seat = access.membership(current_user, roundtable) if roundtable is not None else None
    if seat is not None and seat.is_active:
        return redirect(url_for("roundtables.view_roundtable", roundtable_id=roundtable_id))
    roundtable, seat = _own_seat(roundtable_id, "invited")
    return _invitation_page(roundtable, seat, SeatForm(obj=seat))


@bp.post("/<int:roundtable_id>/invitation/accept")
@approved_required
def accept_invitation(roundtable_id: int):
    """The invitee accepts, possibly correcting agency, organisation and mandate."""
    roundtable, seat = _own_seat(roundtable_id, "invited")
    form = SeatForm()
    if not form.validate_on_submit():
        return _invitation_page(roundtable, seat, form, status=400)
    members.accept_invitation(seat, _seat(form))
    commit()
    flash(_("Welcome to %(name)s.", name=roundtable.name), "success")
    return redirect(url_for("roundtables.view_roundtable", roundtable_id=roundtable.id))


@bp.post("/<int:roundtable_id>/invitation/decline")
@approved_required
def decline_invitation(roundtable_id: int):
    """The invitee declines: the invitation goes."""
    _roundtable, seat = _own_seat(roundtable_id, "invited")
    _require_button()
    members.decline(seat, "invited")
    commit()
    flash(_("You declined the invitation."), "success")
    return redirect(url_for("roundtables.list_roundtables"))


@bp.route("/<int:roundtable_id>/join", methods=["GET", "POST"])
@approved_required
def ask_to_join(roundtable_id: int):
    """Ask to join a roundtable of one's country (the secretariat decides)."""
    roundtable = db.session.get(Roundtable, roundtable_id)
    if roundtable is None or not access.can_ask_to_join(current_user, roundtable):
        abort(404)
    form = SeatForm(organisation=current_user.organisation)
    if form.validate_on_submit():
        members.ask_to_join(roundtable, current_user, _seat(form))
        commit()
        flash(_("Your request was sent to the secretariat of %(name)s.", name=roundtable.name),
              "success")
        return redirect(url_for("roundtables.list_roundtables"))
    return render_template("roundtables/join.html", roundtable=roundtable, form=form), (
        400 if form.errors else 200)


@bp.post("/<int:roundtable_id>/members/<int:member_id>/<any(accept, decline):decision>")
@approved_required
def decide_request(roundtable_id: int, member_id: int, decision: str):
    """The secretariat accepts (the member is notified) or declines a request to join."""
    roundtable = managed_roundtable(roundtable_id)
    seat = _seat_at(roundtable, member_id, status="requested")
    _require_button()
    if decision == "accept":
        members.accept_request(seat)
        flash(_("%(name)s is now a member.", name=seat.user.name), "success")
    else:
        members.decline(seat, "requested")
        flash(_("The request was declined."), "success")
    commit()
    return _to_members(roundtable)


@bp.post("/<int:roundtable_id>/members/<int:member_id>/remove")
@approved_required
def remove_member(roundtable_id: int, member_id: int):
    """Remove a member, or withdraw an invitation (never the last secretariat member)."""
    roundtable = managed_roundtable(roundtable_id)
    seat = _seat_at(roundtable, member_id)
    _require_button()
    try:
        members.remove(seat)
    except MemberError as error:
        return _refused(roundtable, error)
    commit()
    flash(_("The seat was removed."), "success")
    return _to_members(roundtable)


@bp.route("/<int:roundtable_id>/members/<int:member_id>/edit", methods=["GET", "POST"])
@approved_required
def edit_seat(roundtable_id: int, member_id: int):
    """Correct a seat's agency, organisation and mandate: managers any seat, members their own."""
    roundtable = visible_roundtable(roundtable_id)
    seat = _seat_at(roundtable, member_id)
    if seat.user_id != current_user.id and not access.can_manage(current_user, roundtable):
        abort(403)
    form = (SeatForm if seat.user_id == current_user.id else OthersSeatForm)(obj=seat)
    if form.validate_on_submit():
        members.update_seat(seat, _seat(form))
        commit()
        flash(_("The seat of %(name)s was saved.", name=seat.user.name), "success")
        return _to_members(roundtable)
    return render_template("roundtables/seat_form.html", roundtable=roundtable, seat=seat,
                           form=form), 400 if form.errors else 200


@bp.post("/<int:roundtable_id>/members/<int:member_id>/secretariat")
@approved_required
def toggle_secretariat(roundtable_id: int, member_id: int):
    """Grant or withdraw the secretariat role (never leaving the roundtable without one)."""
    roundtable = managed_roundtable(roundtable_id)
    seat = _seat_at(roundtable, member_id, status="active")
    _require_button()
    try:
        granted = members.toggle_secretariat(seat)
    except MemberError as error:
        return _refused(roundtable, error)
    commit()
    flash(_("%(name)s is now in the secretariat.", name=seat.user.name) if granted else
          _("%(name)s is no longer in the secretariat.", name=seat.user.name), "success")
    return _to_members(roundtable)


@bp.post("/<int:roundtable_id>/leave")
@approved_required
def leave_roundtable(roundtable_id: int):
    """A member leaves (unless they are the last secretariat member)."""
    roundtable, seat = _own_seat(roundtable_id, "active")
    _require_button()
    try:
        members.remove(seat)
    except MemberError as error:
        db.session.rollback()
        flash(MEMBER_ERRORS[str(error)](), "error")
        return redirect(url_for("roundtables.view_roundtable", roundtable_id=roundtable.id))
    commit()
    flash(_("You left %(name)s.", name=roundtable.name), "success")
    return redirect(url_for("roundtables.list_roundtables"))


def _own_seat(roundtable_id: int, status: str) -> tuple[Roundtable, RoundtableMember]:
    """The visitor's own seat in `status` at the roundtable, else 404."""
    roundtable = db.session.get(Roundtable, roundtable_id)
    seat = access.membership(current_user, roundtable) if roundtable is not None else None
    if seat is None or seat.status != status:
        abort(404)
    return roundtable, seat


def _seat_at(roundtable: Roundtable, member_id: int, status: str | None = None):
    """A seat of this roundtable (optionally in `status`), else 404."""
    seat = db.session.get(RoundtableMember, member_id)
    if seat is None or seat.roundtable_id != roundtable.id or (status and seat.status != status):
        abort(404)
    return seat


def _require_button() -> None:
    """Check the CSRF token of a plain button form (400 when it is missing or stale)."""
    if not ButtonForm().validate_on_submit():
        abort(400)


def _seat(form: SeatForm) -> Seat:
    """The seat's fields from a validated form."""
    return Seat(agency=form.agency.data, organisation=form.organisation.data or "",
                mandated=form.mandated.data)


def _invite_form(roundtable: Roundtable) -> InviteForm:
    """The invitation form with the country's approved members who hold no seat yet."""
    form = InviteForm()
    form.member.choices = [SelectChoice(u.id, f"{u.name} · {u.organisation}" if u.organisation
                                        else u.name) for u in members.invitable(roundtable)]
    return form


def _members_page(roundtable: Roundtable, form: InviteForm, status: int = 200):
    """Render the directory; pending seats and the forms only for managers."""
    may_manage = access.can_manage(current_user, roundtable)
    return render_template(
        "roundtables/members.html", roundtable=roundtable, form=form, button=ButtonForm(),
        seats=members.directory(roundtable, with_pending=may_manage), may_manage=may_manage,
        seat=access.membership(current_user, roundtable),
    ), status


def _invitation_page(roundtable: Roundtable, seat: RoundtableMember, form: SeatForm,
                     status: int = 200):
    """Render the invitation with its acceptance form."""
    inviter = db.session.get(User, seat.invited_by_id) if seat.invited_by_id else None
    return render_template("roundtables/invitation.html", roundtable=roundtable, seat=seat,
                           inviter=inviter, form=form, button=ButtonForm()), status


def _refused(roundtable: Roundtable, error: MemberError):
    """Explain a refused change and go back to the directory."""
    db.session.rollback()
    message = MEMBER_ERRORS.get(str(error))
    flash(message() if message else _("This change is not possible."), "error")
    return _to_members(roundtable)


def _to_members(roundtable: Roundtable):
    """Redirect to the roundtable's directory."""
    return redirect(url_for("roundtables.list_members", roundtable_id=roundtable.id))
