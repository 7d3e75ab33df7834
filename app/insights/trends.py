"""Public trends: alerts per month, category and setting for the network and each country,
counted in the database, with every small figure (and every figure that would let a reader
subtract their way to a small one) hidden before a template sees it.

What counts: alerts reported (created_at, UTC) in the last 12 full calendar months; the
running month is left out, so the page changes once a month and a visitor cannot watch a
figure move when someone reports. Withdrawn and erased alerts do not count; alerts purged by
retention do (the purge keeps categories, setting, country and dates: app/admin/retention.py).
An alert with two categories counts in both. Alerts from other EU countries count in the
network, never on a page of their own.

Hiding ("suppression"): a figure under TRENDS_MIN_COUNT is hidden. Readers can add and
subtract: the months of a page add up to its total, so do its settings, and the four
countries plus the other EU countries add up to the network, figure by figure. Whenever the
published figures of such a sum would reveal a small hidden figure (one worked out by
subtraction), or hidden figures holding between 1 and TRENDS_MIN_COUNT - 1 alerts together,
the smallest published figure of the sum is hidden too, until no sum does (`hidden_cells`).
That some hidden figures are zero may be worked out: no alert, nobody to recognise. Every
hidden figure looks the same, so a reader cannot tell a small one from one hidden to
protect it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import String, distinct, func, or_, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from app.alerts.choices import CATEGORY_LABELS, SETTING_LABELS
from app.alerts.models import Alert
from app.extensions import db

PAGE_COUNTRIES = ("DE", "PL", "RO", "HU")
NETWORK = "network"
OTHER = "other"  # alerts from other EU countries: in the network's figures only
MONTHS = 12
TOTAL = ("total", "all")

# A figure is (page, dimension, key), e.g. ("DE", "month", "2026-03") or ("network", *TOTAL).
CellId = tuple[str, str, str]


@dataclass(frozen=True)
class Cell:
    """One published figure: `value` is None whenever `suppressed`."""

    key: str
    value: int | None
    suppressed: bool


@dataclass(frozen=True)
class Trends:
    """The figures of one page (the network or a country), oldest month first."""

    country: str | None
    months: list[Cell]
    categories: list[Cell]
    settings: list[Cell]
    total: Cell
    first_month: date
    last_month: date
    threshold: int


class month_key(FunctionElement):
    """'YYYY-MM' of a timestamp (UTC as stored), on SQLite and PostgreSQL alike."""

    type = String()
    inherit_cache = True
    name = "month_key"


@compiles(month_key, "sqlite")
def _month_key_sqlite(element, compiler, **kw) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_key, "postgresql")
def _month_key_postgresql(element, compiler, **kw) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


def reporting_window(today: date) -> tuple[date, date]:
    """First day of the first counted month and first day of the running (uncounted) month."""
    end = today.replace(day=1)
    months = end.year * 12 + end.month - 1 - MONTHS
    return date(months // 12, months % 12 + 1, 1), end


def month_starts(start: date) -> list[date]:
    """The first days of the MONTHS counted months, oldest first."""
    first = start.year * 12 + start.month - 1
    return [date((first + n) // 12, (first + n) % 12 + 1, 1) for n in range(MONTHS)]


def counted(start: date, end: date) -> list[ColumnElement[bool]]:
    """Alerts reported in the window that still count: not withdrawn, not erased."""
    return [
        Alert.created_at >= start,
        Alert.created_at < end,
        Alert.status != "withdrawn",
        or_(Alert.purge_reason.is_(None), Alert.purge_reason != "erased"),
    ]


def counts_by_month(start: date, end: date) -> Iterable[tuple[str, str, int]]:
    """(country, 'YYYY-MM', alerts), grouped in the database."""
    month = month_key(Alert.created_at)
    return db.session.execute(
        select(Alert.country, month, func.count())
        .where(*counted(start, end))
        .group_by(Alert.country, month)
    )


def counts_by_setting(start: date, end: date) -> Iterable[tuple[str, str, int]]:
    """(country, setting, alerts), grouped in the database."""
    return db.session.execute(
        select(Alert.country, Alert.setting, func.count())
        .where(*counted(start, end))
        .group_by(Alert.country, Alert.setting)
    )


def counts_by_category(start: date, end: date) -> Iterable[tuple[str, str, int]]:
    """(country, category, alerts): the JSON list unnested in the database (json_each on
    SQLite, json_array_elements_text on PostgreSQL); an alert counts once per category."""
    if db.session.get_bind().dialect.name == "postgresql":
        values = func.json_array_elements_text(Alert.categories).table_valued("value")
        values = values.render_derived()
    else:
        values = func.json_each(Alert.categories).table_valued("value")
    return db.session.execute(
        select(Alert.country, values.c.value, func.count(distinct(Alert.id)))
        .select_from(Alert)
        .join(values, true())
        .where(*counted(start, end))
        .group_by(Alert.country, values.c.value)
    )


def raw_counts(start: date, end: date) -> dict[CellId, int]:
    """Every figure of every page (the network as the sum of its countries), unhidden."""
    counts: dict[CellId, int] = defaultdict(int)
    for country, month, number in counts_by_month(start, end):
        _add(counts, country, "month", month, number)
        _add(counts, country, *TOTAL, number)
    for country, setting, number in counts_by_setting(start, end):
        _add(counts, country, "setting", setting if setting in SETTING_LABELS else "other", number)
    for country, category, number in counts_by_category(start, end):
        if category in CATEGORY_LABELS:
            _add(counts, country, "category", category, number)
    return counts


def _add(counts: dict[CellId, int], country: str, dimension: str, key: str, number: int) -> None:
    """Add to the country's page (other EU countries: OTHER) and to the network."""
    page = country if country in PAGE_COUNTRIES else OTHER
    counts[(page, dimension, key)] += number
    counts[(NETWORK, dimension, key)] += number


def figure_keys(months: list[str]) -> list[tuple[str, str]]:
    """(dimension, key) of every figure a page has."""
    return (
        [("month", m) for m in months]
        + [("setting", s) for s in SETTING_LABELS]
        + [("category", c) for c in CATEGORY_LABELS]
        + [TOTAL]
    )


def all_cells(months: list[str]) -> list[CellId]:
    """Every figure of every page, published or not."""
    return [
        (page, *key) for page in (NETWORK, *PAGE_COUNTRIES, OTHER) for key in figure_keys(months)
    ]


def sums(months: list[str]) -> list[tuple[CellId, list[CellId]]]:
    """Every (whole, parts) a reader can add up: a page's months and its settings to its
    total; the countries (and OTHER) to the network, figure by figure."""
    equations = []
    for page in (NETWORK, *PAGE_COUNTRIES, OTHER):
        equations.append(((page, *TOTAL), [(page, "month", m) for m in months]))
        equations.append(((page, *TOTAL), [(page, "setting", s) for s in SETTING_LABELS]))
    for dimension, key in figure_keys(months):
        equations.append(
            (
                (NETWORK, dimension, key),
                [(page, dimension, key) for page in (*PAGE_COUNTRIES, OTHER)],
            )
        )
    return equations


def derivable(published: set[CellId], equations: list) -> set[CellId]:
    """The figures a reader knows exactly: the published ones, and any figure that is the
    only unknown one of a sum whose other figures are known (repeated until none is)."""
    known = set(published)
    changed = True
    while changed:
        changed = False
        for whole, parts in equations:
            unknown = [cell for cell in (whole, *parts) if cell not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                changed = True
    return known


def hidden_cells(
    counts: dict[CellId, int], cells: list[CellId], equations: list, threshold: int
) -> set[CellId]:
    """Small figures and OTHER's, plus the smallest published figure of every sum that
    would reveal a small hidden figure, or hidden figures holding fewer than `threshold`
    alerts together; repeated until no sum does."""
    hidden = {cell for cell in cells if counts.get(cell, 0) < threshold or cell[0] == OTHER}
    while True:
        known = derivable(set(cells) - hidden, equations)
        leaking = [
            (whole, parts)
            for whole, parts in equations
            if _reveals_small(counts, whole, parts, hidden, known, threshold)
        ]
        if not leaking:
            return hidden
        more = {_protector(counts, whole, parts, hidden) for whole, parts in leaking} - {None}
        if not more:  # no published figure left to hide in those sums: hide everything
            return set(cells)
        hidden |= more


def _reveals_small(
    counts,
    whole: CellId,
    parts: list[CellId],
    hidden: set[CellId],
    known: set[CellId],
    threshold: int,
) -> bool:
    """With the whole known, a reader learns every derivable hidden part and the sum of the
    others (whole minus what is known): is either small? (That some figures are zero may be
    worked out: zero alerts are no incident anyone could recognise.)"""
    if whole not in known:
        return False
    unknown = [part for part in parts if part not in known]
    if unknown and 0 < sum(counts.get(part, 0) for part in unknown) < threshold:
        return True
    return any(
        0 < counts.get(part, 0) < threshold for part in parts if part in hidden and part in known
    )


def _protector(counts, whole: CellId, parts: list[CellId], hidden: set[CellId]) -> CellId | None:
    """The smallest published figure of the sum (its whole when no part is published)."""
    published = [part for part in parts if part not in hidden]
    if published:
        return min(published, key=lambda cell: (counts.get(cell, 0), cell))
    return whole if whole not in hidden else None


def public_trends(today: date, threshold: int) -> dict[str, Trends]:
    """Every public page's figures (NETWORK and each of PAGE_COUNTRIES), hidden as above."""
    start, end = reporting_window(today)
    firsts = month_starts(start)
    months = [f"{first:%Y-%m}" for first in firsts]
    counts = raw_counts(start, end)
    cells = all_cells(months)
    hidden = hidden_cells(counts, cells, sums(months), threshold)

    def cell(page: str, dimension: str, key: str) -> Cell:
        secret = (page, dimension, key) in hidden
        value = None if secret else counts.get((page, dimension, key), 0)
        return Cell(key=key, value=value, suppressed=secret)

    return {
        page: Trends(
            country=None if page == NETWORK else page,
            months=[cell(page, "month", m) for m in months],
            categories=[cell(page, "category", c) for c in CATEGORY_LABELS],
            settings=[cell(page, "setting", s) for s in SETTING_LABELS],
            total=cell(page, *TOTAL),
            first_month=firsts[0],
            last_month=firsts[-1],
            threshold=threshold,
        )
        for page in (NETWORK, *PAGE_COUNTRIES)
    }
