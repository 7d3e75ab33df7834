"""Joint evaluations: written by managers in a working language, about a past meeting or a
closed adopted case, and turned once into a de-identified library lesson draft in review."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import utcnow
from app.arena.services import cases as arena_cases
from app.extensions import db
from app.library.models import ContentItem
from app.library.publishing import review_queue
from app.roundtables.models import Evaluation, Meeting
from app.roundtables.services import cases, evaluations
from tests.fixtures.app import csrf_token_from

WORKED = ("Our teacher Martin Kowalski called the youth worker at once and wrote to "
          "martin.k@example.org, so the school and the police met within a week.")


@pytest.fixture
def world(roundtable_world):
    """The people and the Berlin roundtable (working languages de, en) of roundtable_world."""
    return roundtable_world["people"], roundtable_world["roundtable"]


def _token(client) -> str:
    return csrf_token_from(client.get("/en/roundtables/actions").get_data(as_text=True))


def _evaluation(roundtable, author, **fields) -> Evaluation:
    evaluation = Evaluation(roundtable=roundtable, author_id=author.id,
                            title=fields.pop("title", "After the spring cycle"),
                            language=fields.pop("language", "en"),
                            worked=fields.pop("worked", WORKED),
                            to_change=fields.pop("to_change", "Invite health services too."),
                            **fields)
    db.session.add(evaluation)
    db.session.commit()
    return evaluation


def _lesson(client, evaluation):
    return client.post(f"/en/roundtables/evaluations/{evaluation.id}/lesson",
                       data={"csrf_token": _token(client)})


def test_secretariat_writes_an_evaluation(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/evaluations/new", data={
        "csrf_token": _token(client), "title": "Spring", "language": "de",
        "worked": "Monthly meetings.", "did_not_work": "", "to_change": "", "who_should_know": ""})
    assert response.status_code == 302
    evaluation = db.session.scalar(select(Evaluation))
    assert evaluation.language == "de"
    assert evaluations.evaluations_of(roundtable) == [evaluation]


def test_evaluation_language_must_be_a_working_language(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/evaluations/new", data={
        "csrf_token": _token(client), "title": "Wiosna", "language": "pl", "worked": "Dobrze."})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Evaluation.id))) == 0


def test_empty_evaluation_is_shown_again_with_the_text_kept(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    response = client.post(f"/en/roundtables/{roundtable.id}/evaluations/new", data={
        "csrf_token": _token(client), "title": "Nothing to say", "language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="Nothing to say"' in html
    assert "Please answer at least one of the questions." in html


def test_evaluation_of_a_meeting_still_to_come_is_not_found(client, act_as, world):
    people, roundtable = world
    upcoming = Meeting(roundtable=roundtable, title="Next", starts_at=utcnow() + timedelta(days=3),
                       ends_at=utcnow() + timedelta(days=3, hours=2))
    db.session.add(upcoming)
    db.session.commit()
    act_as(people["secretariat"])
    url = f"/en/roundtables/{roundtable.id}/evaluations/new?meeting_id={upcoming.id}"
    assert client.get(url).status_code == 404


def test_evaluation_of_a_past_meeting_is_linked_to_it(client, act_as, world):
    people, roundtable = world
    past = Meeting(roundtable=roundtable, title="Last", starts_at=utcnow() - timedelta(days=3),
                   ends_at=utcnow() - timedelta(days=3, hours=-2))
    db.session.add(past)
    db.session.commit()
    act_as(people["secretariat"])
    client.post(f"/en/roundtables/{roundtable.id}/evaluations/new?meeting_id={past.id}", data={
        "csrf_token": _token(client), "title": "Last", "language": "en", "worked": "Good."})
    assert db.session.scalar(select(Evaluation)).meeting_id == past.id


def test_evaluation_of_an_adopted_case_needs_it_closed(client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="DE")
    cases.adopt_case(roundtable, people["secretariat"], case.id)
    db.session.commit()
    act_as(people["secretariat"])
    url = f"/en/roundtables/{roundtable.id}/evaluations/new?case_id={case.id}"
    assert client.get(url).status_code == 404
    arena_cases.close(case, None, "resolved", "Settled.")
    db.session.commit()
    assert client.get(url).status_code == 200


def test_lesson_draft_is_de_identified_and_in_review(client, act_as, world):
    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"])
    act_as(people["secretariat"])
    assert _lesson(client, evaluation).status_code == 302
    item = db.session.scalar(select(ContentItem))
    text = item.title + item.summary + item.body + item.body_html
    assert "Kowalski" not in text
    assert "martin.k@example.org" not in text
    assert "youth worker" in item.body
    assert item.status == "in_review"


def test_lesson_draft_fields(client, act_as, world):
    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"], language="de")
    act_as(people["secretariat"])
    _lesson(client, evaluation)
    item = db.session.scalar(select(ContentItem))
    db.session.refresh(evaluation)
    assert item.type == "lesson"
    assert item.language == "de"
    assert item.countries == ["DE"]
    assert item.author_id == people["secretariat"].id
    assert evaluation.lesson_id == item.id
    assert f"## {evaluations.section_headings('de')['worked']}" in item.body


def test_no_second_lesson_draft(client, act_as, world):
    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"])
    act_as(people["secretariat"])
    _lesson(client, evaluation)
    response = _lesson(client, evaluation)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(ContentItem.id))) == 1


def test_lesson_draft_waits_in_the_coordinators_review_queue(client, act_as, world):
    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"])
    act_as(people["secretariat"])
    _lesson(client, evaluation)
    item = db.session.scalar(select(ContentItem))
    assert review_queue(people["coordinator"]) == [item]


def test_coordinator_finds_the_review_link_on_the_evaluation(client, act_as, world):
    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"])
    act_as(people["secretariat"])
    _lesson(client, evaluation)
    item = db.session.scalar(select(ContentItem))
    act_as(people["coordinator"])
    html = client.get(f"/en/roundtables/evaluations/{evaluation.id}").get_data(as_text=True)
    assert f"/library/review/{item.id}" in html


def test_member_reads_the_evaluation_without_the_lesson_button(client, act_as, world):
    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"])
    act_as(people["member"])
    html = client.get(f"/en/roundtables/evaluations/{evaluation.id}").get_data(as_text=True)
    assert "Kowalski" in html
    assert "Turn into a library lesson draft" not in html


def test_manager_edits_the_evaluation(client, act_as, world):
    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"])
    act_as(people["coordinator"])
    response = client.post(f"/en/roundtables/evaluations/{evaluation.id}/edit", data={
        "csrf_token": _token(client), "title": "Renamed", "language": "de", "worked": "Fine."})
    assert response.status_code == 302
    db.session.refresh(evaluation)
    assert evaluation.title == "Renamed"


def test_author_opens_the_lesson_draft_in_the_library(app, client, act_as, world):
    from app.library.links import library_url

    people, roundtable = world
    evaluation = _evaluation(roundtable, people["secretariat"])
    act_as(people["secretariat"])
    _lesson(client, evaluation)
    item = db.session.scalar(select(ContentItem))
    with app.test_request_context("/en/"):
        url = library_url(item.type, item.slug, lang_code="en", version=item.language)
    html = client.get(f"/en/roundtables/evaluations/{evaluation.id}").get_data(as_text=True)
    assert url.replace("&", "&amp;") in html
    assert client.get(url).status_code == 200
