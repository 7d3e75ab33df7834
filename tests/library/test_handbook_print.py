"""A whole handbook on one page to print, the "Print" buttons, and search within a handbook."""

from __future__ import annotations

import re

import pytest

from tests.fixtures.app import counted_statements

pytestmark = pytest.mark.usefixtures("library_index")


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def add_handbook(make_item, handbook: str, chapters: int, word: str = "") -> None:
    """A handbook of numbered chapters in English; chapter 2 in German too."""
    for position in range(1, chapters + 1):
        slug = f"{handbook}/{position:02d}-part"
        make_item(type="handbook", slug=slug, handbook_slug=handbook, position=position,
                  title=f"{handbook} chapter {position}",
                  body=f"Body of {handbook} chapter {position}. {word if position == 3 else ''}",
                  extra={"handbook_title": f"The {handbook} handbook"} if position == 1 else {})
    make_item(type="handbook", slug=f"{handbook}/02-part", language="de", handbook_slug=handbook,
              position=2, title=f"{handbook} Kapitel 2", body=f"Text von {handbook} Kapitel 2.")


def test_print_page_shows_every_chapter_once_in_order(client, make_item):
    add_handbook(make_item, "hb", 4)
    html = _page(client, "/en/library/handbooks/hb/print")
    bodies = re.findall(r"Body of hb chapter (\d)", html)
    assert bodies == ["1", "2", "3", "4"]


def test_print_page_has_contents_linking_to_each_chapter(client, make_item):
    add_handbook(make_item, "hb", 3)
    html = _page(client, "/en/library/handbooks/hb/print")
    contents = html.split('class="handbook-toc"')[1].split("</nav>")[0]
    assert re.findall(r'href="#(chapter-\d)"', contents) == ["chapter-1", "chapter-2",
                                                            "chapter-3"]
    for number in (1, 2, 3):
        assert f'id="chapter-{number}"' in html


def test_print_page_shows_the_handbook_title(client, make_item):
    add_handbook(make_item, "hb", 2)
    assert "<h1 lang=\"en\">The hb handbook</h1>" in _page(client, "/en/library/handbooks/hb/print")


def test_print_page_uses_the_page_language_version_when_there_is_one(client, make_item):
    add_handbook(make_item, "hb", 3)
    html = _page(client, "/de/library/handbooks/hb/print")
    assert "Text von hb Kapitel 2." in html
    assert "Body of hb chapter 2." not in html
    assert "Body of hb chapter 3." in html  # no German version: the English one


def test_print_page_of_an_unknown_handbook_is_not_found(client):
    _page(client, "/en/library/handbooks/nothing/print", status=404)


def test_print_page_leaves_out_drafts(client, make_item):
    add_handbook(make_item, "hb", 2)
    make_item(type="handbook", slug="hb/03-secret", handbook_slug="hb", position=3,
              title="Secret draft chapter", status="draft")
    assert "Secret draft chapter" not in _page(client, "/en/library/handbooks/hb/print")


def _statements(client, url: str) -> int:
    """Statements a page runs once its caches are warm."""
    assert client.get(url).status_code == 200
    with counted_statements() as seen:
        client.get(url)
    return len(seen)


@pytest.mark.parametrize("url", ["/en/library/handbooks/hb/print",
                                 "/en/library/handbooks/hb?q=chapter"])
def test_statements_do_not_grow_with_the_chapters(client, make_item, url):
    add_handbook(make_item, "hb", 2)
    few = _statements(client, url)
    for position in range(3, 15):
        make_item(type="handbook", slug=f"hb/{position:02d}-more", handbook_slug="hb",
                  position=position, title=f"More chapter {position}", body="More text.")
    assert _statements(client, url) == few


@pytest.mark.parametrize("url", ["/en/library/practice/a-practice",
                                 "/en/library/handbooks/hb", "/en/library/handbooks/hb/01-part",
                                 "/en/library/handbooks/hb/print"])
def test_reading_pages_have_a_print_button(client, make_item, url):
    make_item(slug="a-practice")
    add_handbook(make_item, "hb", 2)
    html = _page(client, url)
    assert re.search(r"<button [^>]*data-print", html)
    assert "/static/js/print.js" in html


def test_handbook_page_links_to_the_whole_handbook_on_one_page(client, make_item):
    add_handbook(make_item, "hb", 2)
    assert 'href="/en/library/handbooks/hb/print"' in _page(client, "/en/library/handbooks/hb")


# Search within one handbook ------------------------------------------------------------------


def _results(html: str) -> str:
    """The results section of a handbook page ("" when there is none)."""
    parts = html.split('class="handbook-results"')
    return parts[1].split("</section>")[0] if len(parts) > 1 else ""


def test_handbook_search_finds_the_chapter_with_the_word(client, make_item):
    add_handbook(make_item, "hb", 4, word="Bürgermeister")
    results = _results(_page(client, "/en/library/handbooks/hb?q=B%C3%BCrgermeister"))
    assert re.findall(r'href="/en/library/handbooks/hb/(\d\d-part)"', results) == ["03-part"]


def test_handbook_search_shows_a_snippet_with_the_word(client, make_item):
    add_handbook(make_item, "hb", 4, word="Bürgermeister")
    results = _results(_page(client, "/en/library/handbooks/hb?q=B%C3%BCrgermeister"))
    assert "<mark>Bürgermeister</mark>" in results


def test_handbook_search_never_shows_another_handbooks_chapters(client, make_item):
    add_handbook(make_item, "hb", 4, word="Bürgermeister")
    add_handbook(make_item, "other", 4, word="Bürgermeister")
    make_item(slug="a-practice", body="Bürgermeister in a practice.")
    results = _results(_page(client, "/en/library/handbooks/hb?q=B%C3%BCrgermeister"))
    assert "/other/" not in results
    assert "a-practice" not in results


def test_handbook_search_forgives_a_typo(client, make_item):
    add_handbook(make_item, "hb", 4, word="mediation")
    results = _results(_page(client, "/en/library/handbooks/hb?q=mediaton"))
    assert 'href="/en/library/handbooks/hb/03-part"' in results


def test_handbook_without_words_shows_no_results_section(client, make_item):
    add_handbook(make_item, "hb", 2)
    assert _results(_page(client, "/en/library/handbooks/hb?q=+")) == ""


def test_handbook_search_without_a_match_says_so_and_offers_the_library(client, make_item):
    add_handbook(make_item, "hb", 2)
    results = _results(_page(client, "/en/library/handbooks/hb?q=zebra"))
    assert "No chapter of this handbook contains zebra." in results
    assert 'href="/en/library/?q=zebra"' in results


def test_handbook_search_in_the_database_fallback_stays_in_the_handbook(app, make_item):
    from app.search.backend import SearchQuery
    from app.search.database_backend import DatabaseBackend

    add_handbook(make_item, "hb", 3, word="Bürgermeister")
    add_handbook(make_item, "other", 3, word="Bürgermeister")
    page = DatabaseBackend().search(SearchQuery(
        text="Bürgermeister", filters={"type": ["handbook"], "handbook": ["hb"]}))
    assert [hit.slug for hit in page.hits] == ["hb/03-part"]


def test_the_alert_receipt_has_a_print_button(send_alert):
    html = send_alert().get_data(as_text=True)
    receipt = html.split('class="receipt card"')[1].split("</section>")[0]
    assert re.search(r"<button [^>]*data-print[^>]*>Print this page</button>", receipt)
