"""The trends service counts in the database what plain Python counts from the fixture, and
hides every small figure and every figure a reader could subtract a small one from."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.insights.trends import (
    NETWORK,
    PAGE_COUNTRIES,
    TOTAL,
    public_trends,
    raw_counts,
    reporting_window,
)
from tests.fixtures.insights import TrendAlert, expected_figures, random_trend_alerts

PAGES = (NETWORK, *PAGE_COUNTRIES)


def today():
    """The service's today (UTC)."""
    return datetime.now(UTC).date()


def published(trends) -> dict[str, dict[str, int | None]]:
    """A page's figures by dimension and key (None where hidden)."""
    return {
        "month": {c.key: c.value for c in trends.months},
        "category": {c.key: c.value for c in trends.categories},
        "setting": {c.key: c.value for c in trends.settings},
        "total": {"all": trends.total.value},
    }


def test_the_window_is_the_twelve_full_months_before_the_running_one():
    start, end = reporting_window(datetime(2026, 3, 15).date())
    assert start == datetime(2025, 3, 1).date()
    assert end == datetime(2026, 3, 1).date()


def test_the_database_counts_what_python_counts_from_the_fixture(add_trend_alerts):
    alerts = add_trend_alerts(random_trend_alerts(seed=13, count=400))
    counts = raw_counts(*reporting_window(today()))
    for page in PAGES:
        expected = expected_figures(alerts, None if page == NETWORK else page)
        for dimension, figures in expected.items():
            for key, number in figures.items():
                assert counts.get((page, dimension, key), 0) == number, (page, dimension, key)


@pytest.mark.parametrize("threshold", [5, 3])
def test_every_published_figure_is_exact_and_never_small(add_trend_alerts, threshold):
    alerts = add_trend_alerts(random_trend_alerts(seed=threshold, count=300))
    pages = public_trends(today(), threshold)
    for page in PAGES:
        expected = expected_figures(alerts, None if page == NETWORK else page)
        for dimension, figures in published(pages[page]).items():
            for key, value in figures.items():
                if value is not None:
                    assert value == expected[dimension][key], (page, dimension, key)
                    assert value >= threshold, (page, dimension, key)


def test_hidden_figures_carry_no_value(add_trend_alerts):
    add_trend_alerts(random_trend_alerts(seed=2, count=120))
    cells = [
        c
        for t in public_trends(today(), 5).values()
        for c in (*t.months, *t.categories, *t.settings, t.total)
    ]
    assert any(c.suppressed for c in cells)
    assert all(c.value is None for c in cells if c.suppressed)


@pytest.mark.parametrize("seed", [1, 7, 21])
def test_no_sum_reveals_a_small_hidden_remainder(add_trend_alerts, seed):
    """Months and settings add up to a page's total; countries (and other EU countries,
    never shown) add up to the network: a published whole minus its published parts is
    never a small remainder (zero alerts may be worked out: they are no one)."""
    alerts = add_trend_alerts(random_trend_alerts(seed=seed, count=250))
    pages = {page: published(t) for page, t in public_trends(today(), 5).items()}
    for page in PAGES:
        total = pages[page]["total"]["all"]
        for dimension in ("month", "setting"):
            _assert_remainder_safe(total, list(pages[page][dimension].values()))
    for dimension in ("month", "setting", "category", "total"):
        for key, whole in pages[NETWORK][dimension].items():
            parts = [pages[c][dimension][key] for c in PAGE_COUNTRIES]
            # Other EU countries are never published: always part of the remainder.
            _assert_remainder_safe(whole, [*parts, None])
    assert alerts


def _assert_remainder_safe(whole: int | None, parts: list[int | None]) -> None:
    """If the whole is published and some part is not, the hidden parts hold no alert or
    at least 5 together."""
    if whole is None or all(part is not None for part in parts):
        return
    assert whole - sum(part for part in parts if part is not None) not in range(1, 5)


def test_one_small_month_hides_a_second_one(add_trend_alerts):
    add_trend_alerts(
        [
            TrendAlert("DE", back, ("hate_speech",), "school")
            for back in range(1, 13)
            for _ in range(2 if back == 4 else 9)
        ]
    )
    months = public_trends(today(), 5)["DE"].months
    assert sum(cell.suppressed for cell in months) == 2


def test_withdrawn_and_erased_alerts_do_not_count_but_purged_ones_do(add_trend_alerts):
    add_trend_alerts(
        [TrendAlert("PL", 2, ("hate_speech",), "online")] * 4
        + [TrendAlert("PL", 2, ("hate_speech",), "online", purge_reason="retention")] * 2
        + [TrendAlert("PL", 2, ("hate_speech",), "online", status="withdrawn")] * 3
        + [TrendAlert("PL", 2, ("hate_speech",), "online", "withdrawn", "erased")] * 3
    )
    counts = raw_counts(*reporting_window(today()))
    assert counts[("PL", *TOTAL)] == 6


def test_the_running_month_and_older_months_are_left_out(add_trend_alerts):
    add_trend_alerts([TrendAlert("HU", back, ("other",), "family") for back in (0, 13, 1)])
    counts = raw_counts(*reporting_window(today()))
    assert counts[("HU", *TOTAL)] == 1


def test_other_eu_countries_count_for_the_network_only(add_trend_alerts):
    add_trend_alerts([TrendAlert("EU", 3, ("antisemitism",), "online")] * 6)
    counts = raw_counts(*reporting_window(today()))
    assert counts[(NETWORK, "category", "antisemitism")] == 6
    assert all(counts.get((c, "category", "antisemitism"), 0) == 0 for c in PAGE_COUNTRIES)


def test_an_alert_counts_once_in_each_of_its_categories(add_trend_alerts):
    add_trend_alerts([TrendAlert("RO", 1, ("hate_speech", "antisemitism"), "school")])
    counts = raw_counts(*reporting_window(today()))
    assert counts[("RO", "category", "hate_speech")] == 1
    assert counts[("RO", "category", "antisemitism")] == 1
    assert counts[("RO", *TOTAL)] == 1
