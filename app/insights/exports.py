"""Exports of the dashboard for funders' reports: the aggregates and the case list, as CSV
(UTF-8 with a byte order mark, so Excel reads the accents) and XLSX. Nothing personal: no
alert text, place, contact, message or name ever reaches a cell (the case rows carry none).

The figures are one file in sections: every row is (section, key, value), keys as stored
(category, setting, topic and language keys, 'YYYY-MM' months), so a spreadsheet can pivot
them; labels stay on the page, in the reader's language.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import xlsxwriter

from app.insights.dashboard import CaseRow, Dashboard

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CASE_COLUMNS = (
    "case_id", "country", "status", "created_at", "forwarded_at", "closed_at", "categories",
    "setting", "topics", "comments", "recommendations", "hours_to_first_response",
    "hours_to_first_released_recommendation",
)  # fmt: skip
FIGURE_COLUMNS = ("section", "key", "value")
EXPORTS = ("figures-csv", "figures-xlsx", "cases-csv", "cases-xlsx")


def safe_cell(value) -> str | int | float:
    """A cell a spreadsheet will not run: text starting like a formula gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def figure_rows(dashboard: Dashboard) -> list[tuple]:
    """(section, key, value) for every aggregate of the dashboard."""
    d = dashboard
    rows: list[tuple] = [
        ("scope", "country", d.scope.country or "all"),
        ("scope", "from", d.scope.start.isoformat()),
        ("scope", "to", d.scope.end.isoformat()),
        ("alerts", "total", d.alerts_total),
    ]
    for section, figures in (
        ("alerts_by_month", d.alerts_by_month),
        ("alerts_by_status", d.alerts_by_status),
        ("alerts_by_category", d.alerts_by_category),
        ("alerts_by_setting", d.alerts_by_setting),
        ("alerts_by_topic", d.alerts_by_topic),
        ("alerts_by_language", d.alerts_by_language),
        ("cases_by_status", d.cases_by_status),
    ):
        rows += [(section, key, value) for key, value in sorted(figures.items())]
    rows += [
        ("cases", "median_hours_to_first_response", _rounded(d.median_hours_to_first_response)),
        ("cases", "median_hours_to_first_release", _rounded(d.median_hours_to_first_release)),
        ("recommendations", "released", d.recommendations_released),
        ("members", "new_approved", d.new_members),
        ("members", "pending_vetting", d.pending_vettings),
    ]
    rows += [("most_recommended_items", item.key, item.count) for item in d.most_recommended]
    rows += [("unhelpful_items", item.key, item.count) for item in d.unhelpful]
    return rows


def _rounded(hours: float | None) -> float | None:
    """Hours to one decimal (None stays empty)."""
    return None if hours is None else round(hours, 1)


def case_row_cells(row: CaseRow) -> tuple:
    """The export columns of one case (CASE_COLUMNS): dates in ISO, lists joined by ';'."""
    return (
        row.id, row.country, row.status, _iso(row.created_at), _iso(row.forwarded_at),
        _iso(row.closed_at), ";".join(row.categories or []), row.setting,
        ";".join(row.topics or []), row.comments, row.recommendations,
        _rounded(row.hours_to_first_response), _rounded(row.hours_to_first_release),
    )  # fmt: skip


def _iso(moment) -> str:
    """A stored moment as ISO 8601 to the second (UTC), or empty."""
    return "" if moment is None else moment.replace(microsecond=0).isoformat()


def to_csv(header: tuple, rows: Iterable[tuple]) -> bytes:
    """CSV with a byte order mark, every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(sheet: str, header: tuple, rows: Iterable[tuple]) -> bytes:
    """A one-sheet workbook; strings are written as strings (never as formulas or URLs)."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    with xlsxwriter.Workbook(buffer, options) as workbook:
        worksheet = workbook.add_worksheet(sheet)
        for number, row in enumerate([header, *rows]):
            worksheet.write_row(number, 0, [safe_cell(cell) for cell in row])
    return buffer.getvalue()


def build_export(name: str, dashboard: Dashboard | None, rows: list[CaseRow] | None) -> bytes:
    """The bytes of export `name` (one of EXPORTS)."""
    if name.startswith("figures"):
        header, cells, sheet = FIGURE_COLUMNS, figure_rows(dashboard), "figures"
    else:
        header, cells, sheet = CASE_COLUMNS, [case_row_cells(row) for row in rows], "cases"
    if name.endswith("csv"):
        return to_csv(header, cells)
    return to_xlsx(sheet, header, cells)
