"""The dashboard's period and country filter (GET) and its export buttons (POST, logged)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Optional

from app.accounts.choices import COUNTRIES
from app.accounts.forms import choice_list
from app.core.forms import PortalForm
from app.insights.exports import EXPORTS

LONGEST_PERIOD_DAYS = 3 * 366  # three years: enough for any funder's report, one page of months


class DashboardFilterForm(PortalForm):
    """Country (admins only) and period (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Country"), choices=[SelectChoice("", _l("All countries")),
                                                   *choice_list(COUNTRIES)],
                          validators=[Optional()])  # fmt: skip
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])


class ExportForm(DashboardFilterForm):
    """One export button: which file, for the period and country shown (CSRF: it is logged)."""

    class Meta:
        csrf = True

    export = HiddenField(validators=[InputRequired(), AnyOf(EXPORTS)])


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1), today
