"""The recommendation form's library finder: words not exact titles, one result per translation,
a Find button that ignores the other fields, and library addresses pasted instead of slugs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.alerts.models import Alert
from app.alerts.services import forward_to_arena
from app.arena.models import Recommendation
from app.arena.services import cases, discussion
from app.extensions import db
from tests.fixtures.alerts import receipt_from

pytestmark = pytest.mark.usefixtures("library_index")  # the real search index

REC = {
    "action": "Talk with the pupil and the parents.",
    "reason": "Early adult contact stops imitation.",
    "actors": ["school"],
    "urgency": "high",
}


def _form_url(case, lang: str = "en") -> str:
    return f"/{lang}/arena/cases/{case.id}/recommendations/new"


def _handbook(make_item):
    """A German and an English version of one handbook chapter (one translation group)."""
    slug = "hate-at-school/01-first-steps"
    german = make_item(type="handbook", language="de", slug=slug, handbook_slug="hate-at-school",
                       title="Erste Schritte nach einem Hassvorfall in der Schule",
                       body="Wie Lehrkräfte auf Hassvorfälle in Schulen reagieren.")
    english = make_item(type="handbook", language="en", slug=slug, handbook_slug="hate-at-school",
                        title="First steps after a hate incident at school",
                        body="How teachers respond to hate incidents in schools.")
    return german, english


def test_finder_understands_words_and_shows_each_resource_once_in_page_language(
    act_as, make_user, make_case, make_item, post_form
):
    case = make_case(country="DE")
    german, english = _handbook(make_item)
    act_as(make_user(country="DE"))
    html = post_form(_form_url(case, "de"), {"resource_query": "Hassvorfall Schule",
                                              "find": "1"}).get_data(as_text=True)
    assert german.title in html and english.title not in html
    assert html.count('name="resources"') == 1


def test_finder_tolerates_a_typo(act_as, make_user, make_case, make_item, post_form):
    case = make_case(country="DE")
    _, english = _handbook(make_item)
    act_as(make_user(country="DE"))
    html = post_form(_form_url(case), {"resource_query": "incidnet", "find": "1"})
    assert english.title in html.get_data(as_text=True)


def test_find_works_with_the_rest_of_the_form_empty(act_as, make_user, make_case, make_item,
                                                     client, post_form):
    case = make_case(country="DE")
    _, english = _handbook(make_item)
    act_as(make_user(country="DE"))
    assert "formnovalidate" in client.get(_form_url(case)).get_data(as_text=True)
    response = post_form(_form_url(case), {"resource_query": "hate incident", "find": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and english.title in html
    assert "Please say what should be done." not in html and "error-summary" not in html


def test_pasted_library_addresses_are_linked(act_as, make_user, make_case, make_item, post_form):
    case = make_case(country="DE")
    _, chapter = _handbook(make_item)
    training = make_item(type="training", title="Symbols workshop", slug="symbols-workshop")
    act_as(make_user(country="DE"))
    addresses = (f"http://localhost/en/library/training/{training.slug}\n"
                 f"https://portal.example/en/library/handbooks/{chapter.slug}?version=en")
    response = post_form(_form_url(case), {**REC, "resource_slugs": addresses})
    assert response.status_code == 302
    rec = db.session.scalars(db.select(Recommendation)).one()
    assert set(rec.resource_ids) == {training.id, chapter.id}


def test_unknown_address_is_reported_and_nothing_is_lost(act_as, make_user, make_case,
                                                          post_form):
    case = make_case(country="DE")
    act_as(make_user(country="DE"))
    bad = "http://localhost/en/library/training/no-such-page"
    response = post_form(_form_url(case), {**REC, "resource_slugs": bad})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and f"Not found in the library: {bad}" in html
    assert REC["action"] in html
    assert db.session.scalars(db.select(Recommendation)).all() == []


def test_hint_shows_a_real_library_address(act_as, make_user, make_case, make_item, client):
    case = make_case(country="DE")
    item = make_item(type="practice", slug="class-council", title="Class council")
    act_as(make_user(country="DE"))
    html = client.get(_form_url(case)).get_data(as_text=True)
    assert "Or paste the address of a library page" in html and " slug" not in html
    assert f"For example: http://localhost/en/library/practice/{item.slug}" in html


def test_the_reporter_sees_linked_items_in_the_page_language_where_they_exist(
    client, send_alert, post_form, make_user, make_item
):
    hungarian = make_item(slug="romani-mediation", language="hu", title="Roma mediáció")
    make_item(slug="romani-mediation", language="en", title="Roma mediation")
    only_polish = make_item(slug="peer-talks", language="pl", title="Rozmowy rówieśnicze")
    code = receipt_from(send_alert(country="HU").get_data(as_text=True))
    alert = db.session.scalars(select(Alert)).one()
    forward_to_arena(alert, "reporter")
    case = cases.ensure_case(alert)
    coordinator = make_user(role="coordinator", country="HU")
    rec = discussion.add_recommendation(case, coordinator, action="Ask a Roma mediator.",
                                        resource_ids=[hungarian.id, only_polish.id])
    discussion.release_recommendation(rec, coordinator)
    db.session.commit()
    post_form("/en/alert/follow-up", {"code": code})

    english = client.get("/en/alert/follow-up").get_data(as_text=True)
    assert "Roma mediation" in english and "Roma mediáció" not in english
    assert "Rozmowy rówieśnicze" in english  # no English version: the one there is
    assert "Roma mediáció" in client.get("/hu/alert/follow-up").get_data(as_text=True)
