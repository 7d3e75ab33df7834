"""The coordinators' and admins' dashboard and its exports (logged downloads, hence POST)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required
from app.accounts.choices import COUNTRIES
from app.accounts.models import User
from app.arena.choices import CASE_STATUS_LABELS
from app.core.access_log import record_access
from app.extensions import db
from app.insights.dashboard import Scope, build_dashboard, case_rows
from app.insights.dashboard_pages import dashboard_charts
from app.insights.exports import build_export
from app.insights.forms import LONGEST_PERIOD_DAYS, DashboardFilterForm, ExportForm, default_period

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.before_request
@approved_required
def coordinators_only():
    """Coordinators and admins; any other member finds no such page (404)."""
    if not current_user.is_coordinator:
        abort(404)


def scope_from(form: DashboardFilterForm, user: User) -> tuple[Scope, list[str]]:
    """The scope the form asks for (a coordinator: always their country), and the errors
    that made it fall back to the last twelve months."""
    form.validate()
    start, end = default_period(datetime.now(UTC).date())
    errors = [str(error) for error in form.date_from.errors + form.date_to.errors]
    if form.date_from.errors or form.date_to.errors:
        errors = [_("The dates could not be read: please use the form YYYY-MM-DD.")]
    elif form.date_from.data or form.date_to.data:
        wanted = (form.date_from.data or start, form.date_to.data or end)
        errors = period_errors(*wanted)
        start, end = (start, end) if errors else wanted
    country = form.country.data if form.country.data in COUNTRIES else None
    return Scope(country if user.is_admin else user.country, start, end), errors


def period_errors(start, end) -> list[str]:
    """Why a period cannot be shown (none when it can)."""
    if end < start:
        return [_("The end of the period is before its start.")]
    if (end - start).days > LONGEST_PERIOD_DAYS:
        return [_("Please choose a period of at most three years.")]
    return []


@bp.get("")
def show_dashboard():
    """The figures of the chosen country and period, with charts, tables and exports."""
    form = DashboardFilterForm(request.args)
    scope, errors = scope_from(form, current_user)
    dashboard = build_dashboard(scope, str(get_locale()))
    return render_template(
        "insights/dashboard.html",
        dashboard=dashboard,
        charts=dashboard_charts(dashboard),
        form=form,
        errors=errors,
        exports=export_labels(),
        case_statuses=CASE_STATUS_LABELS,
        COUNTRIES=COUNTRIES,
    )


def export_labels() -> list[tuple[str, str]]:
    """The export buttons: (EXPORTS name, label)."""
    return [
        ("figures-csv", _("Figures (CSV)")),
        ("figures-xlsx", _("Figures (Excel)")),
        ("cases-csv", _("Case list (CSV)")),
        ("cases-xlsx", _("Case list (Excel)")),
    ]


@bp.post("/export")
def export():
    """One export of the scope shown: logged (who, when, which file and country), then sent."""
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    scope, errors = scope_from(form, current_user)
    if errors:
        abort(400)
    name = form.export.data
    figures = build_dashboard(scope, str(get_locale())) if name.startswith("figures") else None
    rows = case_rows(scope) if name.startswith("cases") else None
    content = build_export(name, figures, rows)
    record_access(current_user, "report_exported", f"{name}:{scope.country or 'all'}", None)
    db.session.commit()
    return download(content, name, scope)


def download(content: bytes, name: str, scope: Scope) -> Response:
    """The file as an attachment, never cached."""
    kind, extension = name.rsplit("-", 1)
    filename = f"champions-{kind}-{scope.country or 'all'}-{scope.start}-{scope.end}.{extension}"
    response = Response(content, mimetype=MEDIA_TYPES[extension])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
