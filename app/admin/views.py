"""Vetting pages: thin views over app.admin.services."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import admin_required, coordinator_required
from app.accounts.choices import COUNTRIES, ROLES, STATUSES
from app.admin import bp, services
from app.admin.forms import RoleForm, StatusForm


def _member_or_404(member_id: int):
    """The member if the current coordinator may manage them; another country's is a 404."""
    member = services.member_for(current_user, member_id)
    if member is None:
        abort(404)
    return member


@bp.get("/members")
@coordinator_required
def members():
    """Members to vet: pending first, filter by status (and country for admins), paginated."""
    status = request.args.get("status") if request.args.get("status") in STATUSES else None
    country = request.args.get("country") if request.args.get("country") in COUNTRIES else None
    page = request.args.get("page", 1, type=int)
    pagination = services.list_members(
        current_user, status, country, max(page, 1), current_app.config["PAGE_SIZE"]
    )
    return render_template(
        "admin/members.html", pagination=pagination, status=status, country=country
    )


@bp.get("/members/<int:member_id>")
@coordinator_required
def view_member(member_id: int):
    """One member's registration, with the decisions that fit their status."""
    member = _member_or_404(member_id)
    return _member_page(member)


def _member_page(member, status_form=None, role_form=None, code: int = 200):
    """Render the member page with its forms (one of them may carry errors)."""
    actions = services.available_actions(member)
    status_form = status_form or StatusForm(formdata=None)
    return render_template(
        "admin/member.html",
        member=member,
        status_form=status_form.set_actions(actions),
        role_form=role_form or RoleForm(formdata=None, role=member.role),
    ), code


@bp.post("/members/<int:member_id>/status")
@coordinator_required
def change_status(member_id: int):
    """Apply a decision; the member gets the reason by e-mail."""
    member = _member_or_404(member_id)
    form = StatusForm().set_actions(services.available_actions(member))
    if not form.validate_on_submit():
        return _member_page(member, status_form=form, code=400)
    services.change_status(current_user, member, form.action.data, form.reason.data or "")
    status = STATUSES[member.status]
    flash(_("Saved: %(name)s: %(status)s.", name=member.name, status=status), "success")
    return redirect(url_for("admin.members"))


@bp.post("/members/<int:member_id>/role")
@admin_required
def change_role(member_id: int):
    """Admins appoint a coordinator or remove one."""
    member = _member_or_404(member_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _member_page(member, role_form=form, code=400)
    try:
        services.change_role(current_user, member, form.role.data)
    except services.VettingError:
        form.role.errors.append(_("Only approved members can become coordinators."))
        return _member_page(member, role_form=form, code=400)
    role = ROLES[member.role]
    flash(_("Saved: %(name)s is now %(role)s.", name=member.name, role=role), "success")
    return redirect(url_for("admin.view_member", member_id=member.id))
