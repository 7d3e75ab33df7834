"""The public trends pages: every figure on them is large enough or hidden, charts carry a
title, a summary and a table of the same figures, five languages, and a switch to turn
the pages off."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.app import counted_statements
from tests.fixtures.insights import TrendAlert, page_texts, random_trend_alerts

PAGES = ["/en/trends", "/en/trends/DE", "/en/trends/PL", "/en/trends/RO", "/en/trends/HU"]
LANGUAGES = ["en", "de", "pl", "ro", "hu"]


def numbers_in(text: str) -> list[int]:
    """Every number in a text (digits with a grouping space or dot in between)."""
    return [int(re.sub(r"\D", "", n)) for n in re.findall(r"\d[\d\s.\u00a0\u202f]*\d|\d", text)]


def chart_values_in_order(html: str) -> list[str]:
    """The printed values of every chart's bars, in document order."""
    values = re.findall(r'<text class="chart-value"[^>]*>([^<]*)<', html)
    return [" ".join(value.split()) for value in values]


@pytest.mark.parametrize("threshold", [5, 3])
def test_every_figure_on_every_page_is_large_or_hidden(app, client, add_trend_alerts, threshold):
    app.config["TRENDS_MIN_COUNT"] = threshold
    add_trend_alerts(random_trend_alerts(seed=40 + threshold, count=260))
    for url in PAGES:
        html = client.get(url).get_data(as_text=True)
        cells = page_texts(html)["cells"]
        assert "hidden" in cells, url
        for text in [*cells, *chart_values_in_order(html)]:
            if text != "hidden":
                assert all(n >= threshold for n in numbers_in(text)), (url, text)
            assert numbers_in(text) or text == "hidden", (url, text)


def test_the_total_sentence_shows_no_small_number(app, client, add_trend_alerts):
    add_trend_alerts([TrendAlert("RO", 2, ("hate_speech",), "school")] * 3)
    html = client.get("/en/trends/RO").get_data(as_text=True)
    assert "The total is hidden." in html
    assert ": 3 alerts" not in html


def test_each_chart_has_a_title_a_summary_and_a_table_of_its_figures(client, add_trend_alerts):
    add_trend_alerts(random_trend_alerts(seed=5, count=200))
    html = client.get("/en/trends").get_data(as_text=True)
    texts = page_texts(html)
    assert html.count('role="img"') == 3
    for title in ("Alerts by month", "Alerts by category", "Alerts by setting"):
        assert title in texts["titles"]
        assert f"{title}: the figures" in texts["captions"]
    assert all(desc.startswith(("The highest figure", "All figures")) for desc in texts["descs"])
    assert texts["cells"] == chart_values_in_order(html)


def test_the_table_shows_the_counts(client, add_trend_alerts):
    add_trend_alerts(
        [TrendAlert("HU", 1, ("antisemitism",), "online")] * 7
        + [TrendAlert("HU", 2, ("antisemitism",), "online")] * 6
    )
    html = client.get("/en/trends/HU").get_data(as_text=True)
    rows = dict(
        re.findall(r'<th scope="row">([^<]+)</th><td class="numeric[^"]*">([^<]+)</td>', html)
    )
    assert rows["Antisemitism"] == "13"
    assert rows["Online or social media"] == "13"
    assert "From" in html
    assert "13 alerts" in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_speak_five_languages(client, add_trend_alerts, lang):
    add_trend_alerts(random_trend_alerts(seed=3, count=80))
    response = client.get(f"/{lang}/trends/PL")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_other_countries_are_not_found(client):
    for code in ("EU", "de", "FR", "XX"):
        assert client.get(f"/en/trends/{code}").status_code == 404, code


def test_switched_off_the_pages_and_their_links_are_gone(app, client):
    app.config["TRENDS_ENABLED"] = False
    assert client.get("/en/trends").status_code == 404
    assert client.get("/en/trends/DE").status_code == 404
    assert "/trends" not in client.get("/en/").get_data(as_text=True)


def test_the_footer_and_the_home_page_link_the_trends(client):
    html = client.get("/en/").get_data(as_text=True)
    assert html.count('href="/en/trends"') == 2


def test_statements_per_page_stay_constant_as_alerts_grow(client, add_trend_alerts):
    add_trend_alerts(random_trend_alerts(seed=8, count=20))
    counts = [_statements(client)]
    add_trend_alerts(random_trend_alerts(seed=9, count=300))
    counts.append(_statements(client))
    assert counts[0] == counts[1]
    assert counts[0] <= 5


def _statements(client) -> int:
    """Statements the network page runs (fetched once first, so caches are warm)."""
    assert client.get("/en/trends/DE").status_code == 200
    with counted_statements() as seen:
        client.get("/en/trends/DE")
    return len(seen)
