"""Facet counts count items and equal what their links show, for any words and filters."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from app.library.browse import facet_groups, query_from_args
from app.search.backend import FACETS
from app.search.services import search_library

WORDS = ["radicalisation", "schule", "szkole", "online", "hate", "roma", "police", ""]
TYPES = ["case", "practice", "lesson", "training"]
TOPICS = ["schools", "hate_speech", "online_radicalisation", "multi_agency", "roundtables"]
COUNTRIES = ["DE", "PL", "RO", "HU", "EU"]
LANGUAGES = ["en", "de", "pl", "ro", "hu"]
TEXTS = {
    "en": "Radicalisation online and hate at school; police and roma families.",
    "de": "Radikalisierung online und Hass in der Schule; Polizei und Roma-Familien.",
    "pl": "Radykalizacja online i nienawiść w szkole; policja i rodziny romskie.",
    "ro": "Radicalizare online și ură la școală; poliția și familiile rome.",
    "hu": "Radikalizálódás online és gyűlölet az iskolában; rendőrség és roma családok.",
}


@pytest.fixture
def random_library(make_item):
    """Forty items, each in one to five languages, with random types, topics and countries
    (all versions of an item share them, as translations do); the index rebuilt."""
    from app.search.services import rebuild_index

    rng = random.Random(8)
    for number in range(40):
        kind, topics = rng.choice(TYPES), rng.sample(TOPICS, rng.randint(1, 3))
        countries = rng.sample(COUNTRIES, rng.randint(1, 2))
        for language in rng.sample(LANGUAGES, rng.randint(1, 5)):
            words = TEXTS[language].split()
            make_item(type=kind, slug=f"item-{number}", language=language,
                      title=" ".join(rng.sample(words, 3)), summary=" ".join(rng.sample(words, 5)),
                      body=TEXTS[language], topics=topics, countries=countries,
                      evidence="inspiring" if kind == "practice" else None)
    rebuild_index()


filters = st.dictionaries(
    st.sampled_from(["type", "topic", "country", "language"]),
    st.lists(st.sampled_from(TYPES + TOPICS + COUNTRIES + LANGUAGES), min_size=1, max_size=2),
    max_size=2,
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.sampled_from(WORDS), chosen=filters, language=st.sampled_from(LANGUAGES))
def test_every_facet_count_is_what_its_link_shows(app, random_library, text, chosen, language):
    """Follow each unchosen facet value's link: the page lists exactly its count of items."""
    args = MultiDict([("q", text)] + [(n, v) for n, values in chosen.items() for v in values])
    query = query_from_args(args, language, per_page=100)
    page = search_library(query)
    with app.test_request_context(f"/{language}/library/"):
        groups = facet_groups(page.facets, query, args)
    for group in groups:
        for value in (v for v in group.values if not v.selected):
            linked = query_from_args(MultiDict(
                [(k, x) for k, xs in value.args.items() for x in xs]), language, per_page=100)
            assert search_library(linked).total == value.count, (group.name, value.value)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.sampled_from(WORDS), language=st.sampled_from(LANGUAGES))
def test_each_item_is_one_result(random_library, text, language):
    """An item in five languages is one hit, counted once, and the page lists all of them."""
    page = search_library(query_from_args(MultiDict([("q", text)]), language, per_page=100))
    slugs = [hit.slug for hit in page.hits]
    assert len(slugs) == len(set(slugs))
    assert page.total == len(slugs)
    assert page.total <= 40


def test_each_item_is_shown_in_the_page_language_when_it_has_it(random_library):
    """The hit's language is the page's whenever the item exists in it."""
    page = search_library(query_from_args(MultiDict([("q", "online")]), "pl", per_page=100))
    assert page.hits
    for hit in page.hits:
        assert hit.language == "pl" if "pl" in hit.languages else hit.language != "pl"


def test_language_facet_counts_items_not_versions(random_library):
    """Without words, the language facet's counts add up to the item-language pairs."""
    page = search_library(query_from_args(MultiDict(), "en", per_page=100))
    languages = dict(page.facets["language"])
    assert page.total == 40
    assert max(languages.values()) <= 40
    assert set(languages) == set(LANGUAGES)
    assert set(FACETS) == set(page.facets)


def test_overlap_tiers_count_how_many_sets_hold_each_item():
    """Items in three, two and one of the sets land in the tiers 3, 2 and 1."""
    from app.search.facets import overlap_tiers

    a, b, c = 0b0111, 0b0011, 0b0001  # item 0 in all three, item 1 in two, item 2 in one
    assert overlap_tiers([a, b, c], 0b1111) == [(3, 0b0001), (2, 0b0010), (1, 0b0100)]
