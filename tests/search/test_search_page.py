"""The search page: word forms in five languages, folding, facets, spelling help, safe syntax."""

from __future__ import annotations

import pytest

from app.search.backend import SearchQuery
from app.search.services import search_library


@pytest.mark.parametrize(
    ("query", "expected_title"),
    [
        ("radykalizacji", "Radykalizacja młodzieży w szkole"),  # pl genitive -> nominative
        ("radykalizację", "Radykalizacja młodzieży w szkole"),  # pl accusative
        ("Schulen", "Hakenkreuz an der Schule"),  # de plural -> singular
        ("iskolákban", "Gyűlöletbeszéd az iskola folyosóján"),  # hu plural inessive
        ("gyűlöletet", "Gyűlöletbeszéd az iskola folyosóján"),  # hu accusative
        ("radicalizarea", "Radicalizare online: ghid pentru profesori"),  # ro definite form
        ("profesorilor", "Radicalizare online: ghid pentru profesori"),  # ro genitive plural
        ("schools", "Preventing radicalisation in schools"),
    ],
)
def test_inflected_forms_find_the_item(search_corpus, search_page, query, expected_title):
    """A word form the text does not contain still finds the item written in that language."""
    assert expected_title in search_page(query)


@pytest.mark.parametrize(
    ("query", "expected_title"),
    [
        ("Dabrowa Gornicza", "Radykalizacja młodzieży w szkole"),
        ("Dąbrowie Górniczej", "Radykalizacja młodzieży w szkole"),
        ("gyulolet", "Gyűlöletbeszéd az iskola folyosóján"),
        ("violenta", "Radicalizare online: ghid pentru profesori"),
        ("Schuler", "Hakenkreuz an der Schule"),
    ],
)
def test_diacritics_are_optional(search_corpus, search_page, query, expected_title):
    """Typing without (or with other) diacritics finds the same items."""
    assert expected_title in search_page(query)


def test_results_in_other_languages_are_labelled_and_highlighted(search_corpus, search_page):
    """A hit in another language says which, and the matched word is marked in the snippet."""
    html = search_page("Dabrowa")
    assert 'lang="pl">Polski' in html or '<span lang="pl">' in html
    assert "<mark>Dąbrowa</mark>" in html or "<mark>Dąbrowie</mark>" in html


def test_title_outranks_body(search_corpus):
    """An item with the word in its title comes before one with it only in the body."""
    page = search_library(SearchQuery(text="roundtable", language="en"))
    assert page.hits[0].slug == "roundtable/02-first-meeting"


def test_drafts_are_not_found(search_corpus, search_page):
    """Unpublished items never appear in search."""
    assert "Secret draft" not in search_page("radicalisation")


def test_facet_counts_and_combined_filters(search_corpus):
    """Counts per value; OR within one facet, AND across facets."""
    everything = search_library(SearchQuery(text="", filters={"topic": ["schools"]}))
    assert everything.total == 4
    assert dict(everything.facets["language"]) == {"pl": 1, "de": 1, "hu": 1, "en": 1}
    either = search_library(SearchQuery(filters={"language": ["pl", "de"]}))
    assert {hit.language for hit in either.hits} == {"pl", "de"}
    both = search_library(SearchQuery(filters={"language": ["pl", "de"], "type": ["case"]}))
    assert [hit.slug for hit in both.hits] == ["hakenkreuz-schule"]
    # A value's count is what its link lists: a chosen value the page now, another one the
    # page with it added (OR within a facet, AND across facets).
    assert dict(both.facets["language"]) == {"de": 1, "pl": 1}
    assert dict(both.facets["type"]) == {"practice": 2, "case": 1}


def test_facet_links_are_bookmarkable_and_marked(search_corpus, search_page):
    """The active facet link carries aria-current and the URL keeps the query."""
    html = search_page("school", type="practice")
    assert 'aria-current="true"' in html
    assert "q=school" in html and "type=practice" in html
    assert "Hakenkreuz" not in html


def test_did_you_mean_forgives_a_typo(search_corpus, search_page):
    """A misspelt word shows results for the corrected word and says so."""
    html = search_page("radicalisaton")
    assert "Preventing radicalisation in schools" in html
    assert "radicalisation" in html and "Showing results for" in html


def test_suggestion_link_when_nothing_matches(search_corpus):
    """When even the corrected query finds nothing, no false promise is made."""
    page = search_library(SearchQuery(text="zzzqqq"))
    assert page.total == 0 and not page.corrected


@pytest.mark.parametrize("query", ["title:Preventing", "title_en:Preventing", "body_en:pupil"])
def test_field_syntax_is_ignored(search_corpus, search_page, query):
    """Field prefixes are not syntax: the word after them is searched everywhere."""
    assert "Preventing radicalisation in schools" in search_page(query)


@pytest.mark.parametrize("query", ["*adical", "?chool", "[a TO z]", "school^5", "(", '"', "~"])
def test_odd_syntax_never_breaks_the_page(search_corpus, search_page, query):
    """Wildcards, ranges and stray brackets give a normal page, not an error."""
    assert "Training Yard library" in search_page(query)


def test_snippets_escape_html(make_item, search_corpus, search_page):
    """Text that looks like HTML is shown as text; only <mark> is markup."""
    from app.search.services import rebuild_index

    # A code span keeps the tags as text through the body's sanitiser, so the snippet is what
    # has to escape them; the summary is plain text and is never sanitised.
    make_item(title="Escaping test", summary="Escaping <img src=x onerror=alert(2)> summary",
              body="The word radicalisation `<script>alert(1)</script>` escaping")
    rebuild_index()
    from_body = search_page("radicalisation")
    assert "<script>alert(1)" not in from_body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in from_body
    from_summary = search_page("Escaping")
    assert "<img src=x" not in from_summary
    assert "&lt;img src=x onerror=alert(2)&gt;" in from_summary


def test_sort_by_newest_and_title(search_corpus):
    """Sorting by date puts the newest first; by title alphabetically."""
    newest = search_library(SearchQuery(filters={"topic": ["schools"]}, sort="newest"))
    assert newest.hits[0].slug == "preventing-radicalisation"
    titles = search_library(SearchQuery(filters={"topic": ["schools"]}, sort="title"))
    shown = [h.title for h in titles.hits]
    assert shown == sorted(shown, key=str.casefold)


def test_pages(search_corpus):
    """Results are split into pages."""
    first = search_library(SearchQuery(filters={"country": ["PL", "DE", "HU", "RO", "EU"]},
                                       per_page=2))
    second = search_library(SearchQuery(filters={"country": ["PL", "DE", "HU", "RO", "EU"]},
                                        per_page=2, page=2))
    assert first.pages == 3 and len(first.hits) == 2
    assert {h.doc_id for h in first.hits}.isdisjoint({h.doc_id for h in second.hits})


def test_case_details_are_searchable(search_corpus, search_page):
    """A prior case is found by words from its situation and outcome."""
    assert "Hakenkreuz an der Schule" in search_page("Treppenhaus")


def test_empty_search_lists_the_library(search_corpus, search_page):
    """Without words the one results page lists the library, each item once."""
    html = search_page("")
    assert "Words to search for, in any of the five languages" in html
    assert "Preventing radicalisation in schools" in html
    assert "Secret draft" not in html


def test_autocomplete_suggests_titles_and_words(search_corpus, client):
    """The suggest endpoint answers JSON with titles and words starting with the typed text."""
    data = client.get("/en/search/suggest", query_string={"q": "Prev"}).get_json()
    assert "Preventing radicalisation in schools" in data["suggestions"]
    data = client.get("/pl/search/suggest", query_string={"q": "radyk"}).get_json()
    assert any(s.lower().startswith("radyk") for s in data["suggestions"])
    assert client.get("/en/search/suggest?q=a").get_json() == {"suggestions": []}


def test_did_you_mean_link_with_few_results(search_corpus, search_page):
    """A typo that still finds a little gets a link to the corrected search."""
    html = search_page("Hakenkreuz OR Treppenhaux")
    assert "Did you mean" in html and "Treppenhaus" in html
