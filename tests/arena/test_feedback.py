"""ARENA members say whether the items linked to their case helped; coordinators see the
feedback per item."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from app.alerts.models import RecommendationFeedback
from app.alerts.services import withdraw_alert
from app.arena.services import discussion
from app.extensions import db
from tests.fixtures.app import counted_statements, csrf_token_from
from tests.fixtures.feedback import CLASS_TALK, SYMBOL_WORKSHOP, TOILETS, YOUTH_WORK

pytestmark = pytest.mark.usefixtures("feedback_library")


@pytest.fixture
def linked_case(make_case, make_user, feedback_library):
    """A DE case whose alert was shown CLASS_TALK and whose recommendation links YOUTH_WORK."""
    case = make_case(country="DE")
    talk = feedback_library[CLASS_TALK]
    case.alert.matches = [{"doc_id": CLASS_TALK, "item_id": talk.id, "type": "practice",
                           "slug": "class-talk", "language": "en", "title": talk.title,
                           "score": 0.8, "level": "strong"}]
    author = make_user(country="DE")
    discussion.add_recommendation(case, author, action="Talk with the class.", reason="",
                                  actors=["school"], urgency="low",
                                  resource_ids=[feedback_library[YOUTH_WORK].id])
    db.session.commit()
    return case


def _case_url(case) -> str:
    return f"/en/arena/cases/{case.id}"


def _vote(client, case, doc_id: str, helped: str = "yes"):
    token = csrf_token_from(client.get(_case_url(case)).get_data(as_text=True))
    return client.post(f"{_case_url(case)}/feedback",
                       data={"csrf_token": token, "doc_id": doc_id, "helped": helped})


def _votes() -> list[tuple[str, str, bool]]:
    return [(v.doc_id, v.voter, v.helped) for v in db.session.scalars(
        select(RecommendationFeedback).order_by(RecommendationFeedback.id))]


def test_the_case_page_asks_about_every_linked_item(client, act_as, make_user, linked_case):
    act_as(make_user(country="DE"))
    page = client.get(_case_url(linked_case)).get_data(as_text=True)
    section = page[page.index('id="feedback"'):]
    assert section.count('class="feedback-form"') == 2
    assert f'value="{CLASS_TALK}"' in section
    assert f'value="{YOUTH_WORK}"' in section


def test_members_vote_once_each_on_matches_and_recommended_resources(
    client, act_as, make_user, linked_case
):
    first, second = make_user(country="DE"), make_user(country="DE")
    act_as(first)
    assert _vote(client, linked_case, CLASS_TALK, "yes").status_code == 302
    _vote(client, linked_case, YOUTH_WORK, "no")
    again = _vote(client, linked_case, CLASS_TALK, "no")
    assert "your first answer counts" in client.get(again.location).get_data(as_text=True)
    act_as(second)
    _vote(client, linked_case, CLASS_TALK, "no")
    assert _votes() == [(CLASS_TALK, f"member:{first.id}", True),
                        (YOUTH_WORK, f"member:{first.id}", False),
                        (CLASS_TALK, f"member:{second.id}", False)]
    page = client.get(_case_url(linked_case)).get_data(as_text=True)
    assert "You said this did not help." in page


def test_items_not_linked_to_the_case_take_no_vote(client, act_as, make_user, linked_case):
    act_as(make_user(country="DE"))
    assert _vote(client, linked_case, TOILETS).status_code == 404
    assert _vote(client, linked_case, SYMBOL_WORKSHOP).status_code == 404
    assert _votes() == []


def test_members_of_another_country_cannot_vote(client, act_as, make_user, linked_case):
    act_as(make_user(country="DE"))
    token = csrf_token_from(client.get(_case_url(linked_case)).get_data(as_text=True))
    act_as(make_user(country="PL"))
    response = client.post(f"{_case_url(linked_case)}/feedback",
                           data={"csrf_token": token, "doc_id": CLASS_TALK, "helped": "yes"})
    assert response.status_code == 404
    assert _votes() == []


def test_anonymous_visitors_are_sent_to_log_in(app, client, linked_case):
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about rights, not tokens
    response = client.post(f"{_case_url(linked_case)}/feedback",
                           data={"doc_id": CLASS_TALK, "helped": "yes"})
    assert response.status_code == 302
    assert "/login" in response.location
    assert _votes() == []


def test_a_withdrawn_alert_keeps_its_votes_and_takes_no_new_one(client, act_as, make_user,
                                                                 linked_case):
    act_as(make_user(country="DE"))
    _vote(client, linked_case, YOUTH_WORK, "yes")
    token = csrf_token_from(client.get(_case_url(linked_case)).get_data(as_text=True))
    withdraw_alert(linked_case.alert)
    page = client.get(_case_url(linked_case)).get_data(as_text=True)
    assert "it takes no new feedback" in page
    assert 'class="feedback-form"' not in page
    client.post(f"{_case_url(linked_case)}/feedback",
                data={"csrf_token": token, "doc_id": YOUTH_WORK, "helped": "no"})
    assert len(_votes()) == 1


@pytest.mark.parametrize("role,expected", [("member", 403), ("coordinator", 200),
                                           ("admin", 200)])
def test_only_coordinators_and_admins_see_the_feedback_per_item(client, act_as, make_user,
                                                                role, expected):
    act_as(make_user(role=role, country="DE"))
    assert client.get("/en/arena/feedback").status_code == expected
    board = client.get("/en/arena/").get_data(as_text=True)
    assert ("/en/arena/feedback" in board) == (expected == 200)


def test_anonymous_visitors_see_no_feedback_overview(client):
    response = client.get("/en/arena/feedback")
    assert response.status_code == 302
    assert "/login" in response.location


def test_the_overview_counts_answers_per_item_with_topics(client, act_as, make_user, add_votes):
    add_votes(CLASS_TALK, helped=4, unhelpful=1)
    add_votes(YOUTH_WORK, helped=1, topics=["antigypsyism"])
    act_as(make_user(role="coordinator", country="DE"))
    page = client.get("/en/arena/feedback?sort=votes").get_data(as_text=True)
    talk = page[page.index("Talking with the class"):page.index("Youth workers")]
    assert "4 answers: it helped" in talk
    assert "1 answer: it did not help" in talk
    assert "Schools" in talk
    assert "2 items with feedback" in page


def test_the_overview_orders_by_newest_answer_or_by_most_answers(client, act_as, make_user,
                                                                   add_votes):
    add_votes(CLASS_TALK, helped=5)
    add_votes(YOUTH_WORK, helped=1)  # newer
    act_as(make_user(role="coordinator", country="DE"))
    recent = client.get("/en/arena/feedback").get_data(as_text=True)
    most = client.get("/en/arena/feedback?sort=votes").get_data(as_text=True)
    assert recent.index("Youth workers") < recent.index("Talking with the class")
    assert most.index("Talking with the class") < most.index("Youth workers")


def test_the_overview_is_paginated(app, client, act_as, make_user, add_votes):
    app.config["PAGE_SIZE"] = 1
    add_votes(CLASS_TALK, helped=1)
    add_votes(YOUTH_WORK, helped=1)
    act_as(make_user(role="coordinator", country="DE"))
    first = client.get("/en/arena/feedback").get_data(as_text=True)
    second = client.get("/en/arena/feedback?page=2").get_data(as_text=True)
    assert ("Youth workers" in first) != ("Youth workers" in second)
    assert 'rel="next"' in first


def _statements(client, url: str) -> int:
    """How many statements one page runs."""
    with counted_statements() as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_the_overview_asks_the_same_few_queries_whatever_the_items(client, act_as, make_user,
                                                                     add_votes):
    act_as(make_user(role="coordinator", country="DE"))
    add_votes(CLASS_TALK, helped=1)
    g.pop("_login_user", None)
    one = _statements(client, "/en/arena/feedback")
    for doc_id in (YOUTH_WORK, SYMBOL_WORKSHOP, TOILETS):
        add_votes(doc_id, helped=2, unhelpful=1)
    g.pop("_login_user", None)
    assert _statements(client, "/en/arena/feedback") == one
