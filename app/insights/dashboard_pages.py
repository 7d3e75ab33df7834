"""The dashboard's charts, built from the service's figures in the reader's language."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_decimal, get_locale, ngettext
from flask_babel import gettext as _

from app.alerts.choices import CATEGORY_LABELS, SETTING_LABELS, STATUS_LABELS
from app.arena.choices import CASE_STATUS_LABELS
from app.content import taxonomy
from app.core.i18n import LANGUAGE_LABELS
from app.insights.charts import Chart, ChartText, Datum, column_chart, row_chart
from app.insights.dashboard import Dashboard
from app.insights.pages import hidden_marker
from app.insights.pages import summary as alert_summary


def month_data(months: dict[str, int]) -> list[Datum]:
    """One datum per 'YYYY-MM': abbreviated month, the year under January and the first."""
    data = []
    for index, (key, value) in enumerate(months.items()):
        first = date(int(key[:4]), int(key[5:]), 1)
        short = (format_date(first, "LLL"),)
        if first.month == 1 or index == 0:
            short += (format_date(first, "yyyy"),)
        data.append(Datum(format_date(first, "LLLL yyyy"), value, short))
    return data


def labelled(figures: dict[str, int], label) -> list[Datum]:
    """One datum per key (largest first), with its label (`label(key)`)."""
    ordered = sorted(figures.items(), key=lambda item: (-item[1], item[0]))
    return [Datum(label(key), value) for key, value in ordered]


def from_labels(labels: dict):
    """A label function from a {key: lazy label} mapping (unknown keys: the key itself)."""
    return lambda key: str(labels.get(key, key))


def case_summary(data: list[Datum]) -> str:
    """The text alternative of the case chart: its highest figure."""
    if not data:
        return _("No case was opened in this period.")
    top = max(data, key=lambda d: d.value or 0)
    return ngettext("The highest figure is %(label)s with %(num)s case.",
                    "The highest figure is %(label)s with %(num)s cases.",
                    top.value or 0, label=top.label)  # fmt: skip


def alert_text(title: str, heading: str, data: list[Datum]) -> ChartText:
    """The words of an alert chart (nothing is hidden on the dashboard)."""
    text = alert_summary(data) if data else _("No alert was received in this period.")
    return ChartText(title, text, heading, _("Alerts"), hidden_marker())


def dashboard_charts(dashboard: Dashboard) -> dict[str, Chart]:
    """Every chart of the dashboard, by name."""
    language = str(get_locale())
    d = dashboard
    data = {
        "months": month_data(d.alerts_by_month),
        "statuses": labelled(d.alerts_by_status, from_labels(STATUS_LABELS)),
        "categories": labelled(d.alerts_by_category, from_labels(CATEGORY_LABELS)),
        "settings": labelled(d.alerts_by_setting, from_labels(SETTING_LABELS)),
        "topics": labelled(d.alerts_by_topic, lambda key: taxonomy.label(key, language)),
        "languages": labelled(d.alerts_by_language, from_labels(LANGUAGE_LABELS)),
        "cases": labelled(d.cases_by_status, from_labels(CASE_STATUS_LABELS)),
    }
    titles = {
        "statuses": (_("Answered by the library or forwarded"), _("Outcome")),
        "categories": (_("Alerts by category"), _("Category")),
        "settings": (_("Alerts by setting"), _("Setting")),
        "topics": (_("Alerts by topic"), _("Topic")),
        "languages": (_("Alerts by language"), _("Language")),
    }
    charts = {"months": column_chart("chart-months", data["months"], alert_text(
        _("Alerts by month"), _("Month"), data["months"]), format_decimal)}  # fmt: skip
    for name, (title, heading) in titles.items():
        text = alert_text(title, heading, data[name])
        charts[name] = row_chart(f"chart-{name}", data[name], text, format_decimal)
    cases = ChartText(_("Cases by status"), case_summary(data["cases"]), _("Status"),
                      _("Cases"), hidden_marker())  # fmt: skip
    charts["cases"] = row_chart("chart-cases", data["cases"], cases, format_decimal)
    return charts
