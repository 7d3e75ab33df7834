"""Results in another language than the page carry lang on the entry with title and summary."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.usefixtures("library_index")


def _entry(html: str, title: str) -> str:
    """The opening <li> tag of the list entry whose heading links to `title`."""
    found = re.search(rf"(<li[^>]*>)\s*<h[23]><a [^>]*>{re.escape(title)}</a>", html)
    assert found, title
    return found.group(1)


def _meta_line(html: str, title: str) -> str:
    """The opening tag of the meta paragraph that follows the entry's heading."""
    after = html[html.index(f">{title}</a>"):]
    return re.search(r'<p class="meta"[^>]*>', after).group(0)


def test_a_search_result_in_another_language_carries_its_lang(client, make_item):
    make_item(slug="mentoring", language="pl", title="Mentoring rówieśniczy",
              body="Starsi uczniowie wspierają młodszych.")
    html = client.get("/en/library/").get_data(as_text=True)
    assert _entry(html, "Mentoring rówieśniczy") == '<li lang="pl">'


def test_the_result_snippet_sits_inside_the_entry_with_the_lang(client, make_item):
    make_item(slug="mentoring", language="pl", title="Mentoring rówieśniczy",
              body="Starsi uczniowie wspierają młodszych.")
    html = client.get("/en/library/?q=uczniowie").get_data(as_text=True)
    entry = html[html.index('<li lang="pl">'):]
    entry = entry[:entry.index("</li>")]
    assert 'class="snippet"' in entry


def test_the_meta_line_of_a_foreign_result_is_in_the_page_language(client, make_item):
    make_item(slug="mentoring", language="pl", title="Mentoring rówieśniczy")
    html = client.get("/en/library/").get_data(as_text=True)
    assert _meta_line(html, "Mentoring rówieśniczy") == '<p class="meta" lang="en">'


def test_a_result_in_the_page_language_has_no_lang_of_its_own(client, make_item):
    make_item(slug="circles", language="en", title="Listening circles")
    html = client.get("/en/library/").get_data(as_text=True)
    assert _entry(html, "Listening circles") == "<li>"


def test_a_browse_list_entry_in_another_language_carries_its_lang(client, make_item):
    make_item(type="trainer", slug="akademie", language="de", title="Akademie für Prävention",
              summary="Fortbildungen für Lehrkräfte.")
    html = client.get("/en/library/trainers").get_data(as_text=True)
    assert _entry(html, "Akademie für Prävention") == '<li lang="de">'
    entry = html[html.index('<li lang="de">'):]
    assert entry.index("Fortbildungen für Lehrkräfte.") < entry.index("</li>")


def test_a_browse_list_entry_meta_line_is_in_the_page_language(client, make_item):
    make_item(type="trainer", slug="akademie", language="de", title="Akademie für Prävention")
    html = client.get("/en/library/trainers").get_data(as_text=True)
    assert _meta_line(html, "Akademie für Prävention") == '<p class="meta" lang="en">'
