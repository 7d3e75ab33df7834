"""Practitioners' searches against the real bundled library: the right item in the top three."""

from __future__ import annotations

import pytest

from app.search.backend import SearchQuery
from app.search.services import search_library

TOP = 3


def _html(app, **args: str) -> str:
    """The English search page for these arguments."""
    return app.test_client().get("/en/library/", query_string=args).get_data(as_text=True)


def _top(text: str, language: str) -> list[str]:
    """"type/slug" of the first results, as a practitioner sees them."""
    page = search_library(SearchQuery(text=text, language=language, per_page=TOP))
    return [f"{hit.type}/{hit.slug}" for hit in page.hits]


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "hate incident school", "handbook/hate-incident-at-school/"),
        ("en", "fake news class exercise", "media-literacy-toxic-news/04-classroom-exercises"),
        ("en", "warning signs radicalization teenager", "youth-at-risk-and-families/02-warning"),
        ("en", "mosque vandalism", "case/mosque-vandalised-dortmund"),
        ("en", "roma pupils mediators", "practice/roma-school-and-community-mediators"),
        ("de", "Hassvorfall Schule", "handbook/hate-incident-at-school/"),
        ("de", "Runder Tisch", "handbook/running-a-local-roundtable/01-overview"),
        ("de", "Verschworungstheorie Eltern", "case/vaccine-conspiracy-parents-school"),
        ("pl", "mowa nienawisci w szkole", "hate-speech"),
        ("pl", "okragly stol", "handbook/running-a-local-roundtable/01-overview"),
        ("pl", "konspiracja", "conspiracy"),
        ("ro", "discurs instigator la ura scoala", "handbook/hate-incident-at-school/"),
        ("ro", "masa rotunda", "roundtable"),
        ("hu", "gyuloletbeszed iskolaban", "hate-speech"),
        ("hu", "kerekasztal", "handbook/running-a-local-roundtable/01-overview"),
        ("hu", "antiszemita rigmusok", "case/antisemitic-chants-football-match-budapest"),
    ],
)
def test_practitioner_query_finds_the_right_item(bundled_search, language, text, expected):
    """Everyday words, inflections, missing diacritics: the item is among the first three."""
    top = _top(text, language)
    assert any(expected in found for found in top), top


def test_typos_are_corrected_and_say_so(bundled_search):
    """Two typos still open the school handbook, and the page says what it searched for."""
    page = search_library(SearchQuery(text="hate incidnet scool", language="en"))
    assert page.corrected and page.suggestion == "hate incident school"
    assert page.hits[0].slug.startswith("hate-incident-at-school/")


def test_a_chance_match_does_not_hide_the_correction(bundled_search):
    """A typo matching two stray items in another language still shows the corrected search."""
    page = search_library(SearchQuery(text="radicalisaton", language="en"))
    assert page.corrected and page.total > 5


def test_corrected_results_offer_the_original_search(bundled_search):
    """The page says which words it used and links back to exactly what was typed."""
    html = _html(bundled_search, q="hate incidnet scool")
    assert "Showing results for <strong>hate incident school</strong>." in html
    assert "Search instead for <a" in html and "spell=off" in html and "Did you mean" not in html
    assert "Showing results for" not in _html(bundled_search, q="hate incidnet scool", spell="off")


def test_no_result_with_every_word_widens_and_says_so(bundled_search):
    """When no item has every word, items with some of them come, with a notice."""
    html = _html(bundled_search, q="mosque vandalism")
    assert "all of your words" in html  # how many have every word (here: fewer than five)
    assert "/library/case/mosque-vandalised-dortmund" in html


def test_not_keeps_its_meaning_when_the_query_is_widened(bundled_search):
    """Few items have both words: the widened search still leaves out every NOT-ed item."""
    page = search_library(SearchQuery(text="swastika NOT berlin", language="en", per_page=100))
    slugs = [hit.slug for hit in page.hits]
    assert "swastika-graffiti-school-berlin" not in slugs
    assert page.total < 104  # not the whole library
    assert slugs


def test_each_item_comes_once_in_the_readers_language(bundled_search):
    """Every bundled item exists in five languages: "online" lists each once, in English."""
    page = search_library(SearchQuery(text="online", language="en", per_page=100))
    slugs = [hit.slug for hit in page.hits]
    assert len(slugs) == len(set(slugs))
    assert {hit.language for hit in page.hits} == {"en"}
    assert all(len(hit.languages) == 5 for hit in page.hits)


def test_a_widened_search_says_how_many_items_have_every_word(bundled_search):
    """Few items have the word: the page says how many, never that none has it."""
    page = search_library(SearchQuery(text="swastika", language="en"))
    html = _html(bundled_search, q="swastika")
    assert page.broadened
    assert 0 < page.with_every_word < 5
    assert "contain all of your words" in html or "contains all of your words" in html
    assert "No resource contains all of your words" not in html
