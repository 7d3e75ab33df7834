"""Admin pages: vetting (app.admin.services), the access log and erasing a report."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.accounts import two_factor
from app.accounts.access import admin_required, coordinator_required
from app.accounts.choices import COUNTRIES, ROLES, STATUSES
from app.admin import bp, retention, services
from app.admin.access_log import LogFilters, access_log_page
from app.admin.forms import (
    ACCESS_ACTION_LABELS,
    AccessLogFilterForm,
    EraseAlertForm,
    RoleForm,
    StatusForm,
)
from app.alerts.models import Alert
from app.arena.models import Case
from app.extensions import db


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


@bp.post("/members/<int:member_id>/two-factor/reset")
@admin_required
def reset_two_factor(member_id: int):
    """Admins reset a member's two-factor authentication (a lost phone and lost codes)."""
    member = _member_or_404(member_id)
    if not FlaskForm().validate_on_submit():  # the CSRF token is the whole form
        abort(400)
    two_factor.reset(member)
    flash(_("Two-factor authentication of %(name)s is reset.", name=member.name), "success")
    return redirect(url_for("admin.view_member", member_id=member.id))


# GDPR operations (issue 11) ----------------------------------------------------------------
@bp.get("/access-log")
@admin_required
def access_log():
    """Who opened which case, revealed which contact, erased which report; filtered, paged."""
    form = AccessLogFilterForm(request.args)
    form.validate()
    filters = LogFilters(
        member_id=None if form.member.errors else form.member.data,
        action=None if form.action.errors else form.action.data or None,
        date_from=None if form.date_from.errors else form.date_from.data,
        date_to=None if form.date_to.errors else form.date_to.data,
    )
    page = access_log_page(filters, max(request.args.get("page", 1, type=int), 1),
                           current_app.config["PAGE_SIZE"])
    return render_template("admin/access_log.html", form=form, page=page,
                           labels=ACCESS_ACTION_LABELS)


@bp.post("/alerts/<int:alert_id>/erase")
@admin_required
def erase_alert(alert_id: int):
    """Erase a report at once (text, place, contact, messages), after the confirmation."""
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        abort(404)
    back = _alert_page(alert)
    if not EraseAlertForm().validate_on_submit():
        flash(_("Tick the confirmation to erase the report."), "error")
        return redirect(back)
    if retention.erase_alert(alert, current_user._get_current_object()):
        flash(_("The report's personal data was erased."), "success")
    else:
        flash(_("This report's personal data was already deleted."), "warning")
    return redirect(back)


def _alert_page(alert: Alert) -> str:
    """The case page of a forwarded alert, the "answered by the library" lane for an answered
    one, else the access log."""
    case_id = db.session.scalar(select(Case.id).where(Case.alert_id == alert.id))
    if case_id is None:
        return url_for("arena.answered_lane" if alert.status == "answered" else "admin.access_log")
    return url_for("arena.view_case", case_id=case_id)
