"""Browsing the library: facets with counts, filters in the URL, own pages, empty states."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.usefixtures("library_index")


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    assert "results come from a simpler search" not in html  # the real index answered
    return html


def test_library_shows_facets_with_counts(client, make_item):
    make_item(title="School mediation", topics=["schools"], countries=["DE"])
    make_item(title="Family talks", topics=["families"], countries=["PL"])
    make_item(type="case", title="A hard case", topics=["schools"], countries=["PL"])
    html = _page(client, "/en/library/")
    assert "3 resources" in html
    assert re.search(r'topic=schools"[^>]*>Schools</a> <span class="count">\(2\)', html)
    assert re.search(r'type=case"[^>]*>Prior case</a> <span class="count">\(1\)', html)


def test_facets_combine_and_live_in_the_url(client, make_item):
    make_item(title="School mediation DE", topics=["schools"], countries=["DE"])
    make_item(title="School mediation PL", topics=["schools"], countries=["PL"])
    make_item(title="Family talks PL", topics=["families"], countries=["PL"])
    html = _page(client, "/en/library/?topic=schools&country=PL")
    assert "School mediation PL" in html
    assert "School mediation DE" not in html and "Family talks PL" not in html
    assert "1 resource" in html
    assert "Clear all filters" in html


def test_facet_links_keep_search_sort_and_filters_but_nothing_else(client, make_item):
    make_item(title="School mediation", topics=["schools"], countries=["DE"])
    html = _page(client, "/en/library/?q=mediation&sort=title&topic=schools&page=1&ref=mail")
    link = re.search(r'href="([^"]*country=DE[^"]*)"', html).group(1)
    assert "q=mediation" in link and "sort=title" in link and "topic=schools" in link
    assert "ref=" not in link and "page=" not in link


def test_misspelt_search_is_corrected_keeping_the_filters(client, make_item):
    make_item(title="Mediation in schools", topics=["schools"])
    html = _page(client, "/en/library/?q=mediaton&topic=schools")
    assert "Mediation in schools" in html
    assert "Showing results for <strong>mediation</strong>." in html
    assert re.search(r'Search instead for <a href="/en/library/\?[^"]*q=mediaton[^"]*'
                     r'spell=off[^"]*">mediaton</a>', html)


def test_library_sorts_by_title(client, make_item):
    make_item(title="Zebra crossing talks")
    make_item(title="Apple project")
    html = _page(client, "/en/library/?sort=title")
    assert html.index("Apple project") < html.index("Zebra crossing talks")


def test_library_paginates(app, client, make_item):
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_item(title=f"Practice number {n}")
    html = _page(client, "/en/library/?sort=title")
    assert 'rel="next"' in html and "page=2" in html
    assert "Practice number 4" in _page(client, "/en/library/?sort=title&page=3")


def test_drafts_are_not_listed(client, make_item):
    make_item(title="Secret draft", status="draft")
    html = _page(client, "/en/library/")
    assert "Secret draft" not in html
    assert "Nothing found." in html


def test_search_box_has_autocomplete(client):
    html = _page(client, "/en/library/")
    assert 'data-autocomplete="/en/search/suggest"' in html


def test_donors_show_open_calls_first(client, make_item):
    make_item(type="donor", title="Closed fund", deadline=date.today() - timedelta(days=1))
    make_item(type="donor", title="Rolling fund", extra={"rolling": True})
    make_item(type="donor", title="Soon fund", deadline=date.today() + timedelta(days=9))
    make_item(type="donor", title="Unannounced fund")
    html = _page(client, "/en/library/donors")
    open_part, closed_part = html.split('id="closed-heading"')
    assert "Unannounced fund" in closed_part
    assert html.count("Unannounced fund") == 1
    assert "Rolling fund" in open_part and "Soon fund" in open_part
    assert "Closed fund" in closed_part
    assert open_part.index("Soon fund") < open_part.index("Rolling fund")


def test_donors_filter_by_country(client, make_item):
    make_item(type="donor", title="Polish fund", countries=["PL"], extra={"rolling": True})
    make_item(type="donor", title="German fund", countries=["DE"], extra={"rolling": True})
    html = _page(client, "/en/library/donors?country=PL")
    assert "Polish fund" in html and "German fund" not in html


def test_trainers_filter_by_training_language(client, make_item):
    make_item(type="trainer", title="Romanian trainers", extra={"languages": ["ro"]})
    make_item(type="trainer", title="Hungarian trainers", extra={"languages": ["hu"]})
    html = _page(client, "/en/library/trainers?speaks=hu")
    assert "Hungarian trainers" in html and "Romanian trainers" not in html
    assert "No trainers match" in _page(client, "/en/library/trainers?country=RO&speaks=pl")


def test_experts_list_public_approved_members_and_listed_experts(login, make_user, make_item):
    make_user(name="Visible Expert", public_profile=True, expertise=["schools"])
    make_user(name="Private Expert", public_profile=False)
    make_user(name="Pending Expert", public_profile=True, status="pending")
    make_item(type="expert", title="Institute for Prevention", topics=["schools"])
    html = _page(login(make_user()), "/en/library/experts")  # profiles: approved members only
    assert "Visible Expert" in html and "Institute for Prevention" in html
    assert "Private Expert" not in html and "Pending Expert" not in html


def test_empty_own_pages_say_so(client):
    assert "No open calls" in _page(client, "/en/library/donors")
    assert "No listed expert matches" in _page(client, "/en/library/experts")


def test_browsing_lists_each_item_once_in_the_page_language(client, make_item):
    make_item(slug="mediation", language="pl", title="Mediacja szkolna")
    make_item(slug="mediation", language="en", title="School mediation")
    make_item(slug="english-only", language="en", title="Peer mentoring")
    html = _page(client, "/pl/library/")
    assert "Mediacja szkolna" in html
    assert "School mediation" not in html
    assert "Peer mentoring" in html  # an item without a Polish version is still listed
    assert "2 materiały" in html


def test_adding_a_language_keeps_the_page_language(client, make_item):
    make_item(slug="talks", language="pl", title="Rozmowy z rodzinami")
    make_item(slug="talks", language="de", title="Gespräche mit Familien")
    make_item(slug="other", language="hu", title="Családi beszélgetések")
    html = _page(client, "/pl/library/?language=pl&language=de")
    assert "Rozmowy z rodzinami" in html
    assert "Gespräche mit Familien" not in html  # one item, shown once, in Polish
    assert '?version=de" lang="de" hreflang="de">Deutsch</a>' in html  # its other language
    assert "Családi beszélgetések" not in html


def test_words_search_every_language(client, make_item):
    make_item(slug="chapter", language="en", title="Mediation after a hate incident")
    assert "Mediation after a hate incident" in _page(client, "/pl/library/?q=mediation")


def test_trainers_list_is_paginated(app, client, make_item):
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_item(type="trainer", slug=f"trainer-{n}", title=f"Trainer {n}")
    first = _page(client, "/en/library/trainers")
    last = _page(client, "/en/library/trainers?page=3")
    assert first.count('class="result-list"') == 1 and 'rel="next"' in first
    assert "Trainer 4" in last and "Trainer 0" not in last and 'rel="prev"' in last
