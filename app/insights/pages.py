"""The trends page's charts, built from the service's figures in the reader's language."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _

from app.alerts.choices import CATEGORY_LABELS, SETTING_LABELS
from app.insights.charts import Chart, ChartText, Datum, column_chart, row_chart
from app.insights.trends import Cell, Trends


def hidden_marker() -> str:
    """What every hidden figure shows, in tables and charts alike."""
    return _("hidden")


def summary(data: list[Datum]) -> str:
    """A chart's text alternative: its highest figure and how many figures are hidden."""
    shown = [d for d in data if d.value is not None]
    hidden = len(data) - len(shown)
    if not shown:
        return _("All figures are hidden.")
    top = max(shown, key=lambda d: d.value or 0)
    sentences = [
        ngettext(
            "The highest figure is %(label)s with %(num)s alert.",
            "The highest figure is %(label)s with %(num)s alerts.",
            top.value or 0,
            label=top.label,
        )
    ]
    if hidden:
        sentences.append(
            ngettext("%(num)s figure is hidden.", "%(num)s figures are hidden.", hidden)
        )
    return " ".join(sentences)


def month_data(trends: Trends) -> list[Datum]:
    """One datum per month: abbreviated month, and the year under January and under the
    first month (unless December: its year would touch January's)."""
    data = []
    for index, cell in enumerate(trends.months):
        first = _month_start(cell)
        short = (format_date(first, "LLL"),)
        if first.month == 1 or (index == 0 and first.month < 12):
            short += (format_date(first, "yyyy"),)
        data.append(Datum(format_date(first, "LLLL yyyy"), cell.value, short))
    return data


def _month_start(cell: Cell) -> date:
    """The first day of the cell's 'YYYY-MM' month."""
    year, month = cell.key.split("-")
    return date(int(year), int(month), 1)


def labelled(cells: list[Cell], labels: dict) -> list[Datum]:
    """One datum per category or setting, with its translated label."""
    return [Datum(str(labels[cell.key]), cell.value) for cell in cells]


def chart_text(title: str, label_heading: str, data: list[Datum]) -> ChartText:
    """The words of a trends chart: the figures are alerts, hidden ones show the marker."""
    return ChartText(title, summary(data), label_heading, _("Alerts"), hidden_marker())


def trend_charts(trends: Trends) -> list[Chart]:
    """The three charts of a trends page: by month, by category, by setting."""
    months = month_data(trends)
    categories = labelled(trends.categories, CATEGORY_LABELS)
    settings = labelled(trends.settings, SETTING_LABELS)
    return [
        column_chart("chart-months", months, chart_text(_("Alerts by month"), _("Month"), months),
                     format_decimal),
        row_chart("chart-categories", categories,
                  chart_text(_("Alerts by category"), _("Category"), categories), format_decimal),
        row_chart("chart-settings", settings,
                  chart_text(_("Alerts by setting"), _("Setting"), settings), format_decimal),
    ]  # fmt: skip
