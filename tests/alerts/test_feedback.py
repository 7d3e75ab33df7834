"""The reporter's "helped" / "did not help" on the result and follow-up pages: once per item,
only on their own alert's recommendations, kept after withdrawal, explained on the next result."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.alerts.feedback import FeedbackRefused, record_feedback
from app.alerts.models import Alert, RecommendationFeedback
from tests.fixtures.alerts import receipt_from
from tests.fixtures.app import csrf_token_from
from tests.fixtures.feedback import (
    CLASS_TALK,
    FEEDBACK_ALERT,
    SYMBOL_WORKSHOP,
    TOILETS,
)

pytestmark = pytest.mark.usefixtures("feedback_library")


def _send(send_alert, db) -> tuple[Alert, str]:
    """Send the fixture alert; returns it and its result page."""
    page = send_alert(description=FEEDBACK_ALERT).get_data(as_text=True)
    return db.session.scalars(select(Alert)).one(), page


def _vote(client, alert: Alert, page: str, doc_id: str, helped: str = "yes", **kwargs):
    data = {"csrf_token": csrf_token_from(page), "doc_id": doc_id, "helped": helped}
    return client.post(f"/en/alert/{alert.id}/feedback", data=data, **kwargs)


def _votes(db) -> list[tuple[str, str, bool]]:
    return [(v.doc_id, v.voter, v.helped) for v in db.session.scalars(
        select(RecommendationFeedback).order_by(RecommendationFeedback.id))]


def test_the_result_page_asks_whether_each_recommendation_helped(send_alert, db):
    alert, page = _send(send_alert, db)
    assert page.count('class="feedback-form"') == len(alert.matches)
    assert f'value="{CLASS_TALK}"' in page
    assert "js/feedback.js" in page


def test_a_vote_is_recorded_once_with_the_alerts_topics_and_no_text(client, send_alert, db):
    alert, page = _send(send_alert, db)
    first = _vote(client, alert, page, CLASS_TALK, "yes")
    assert first.status_code == 303
    again = _vote(client, alert, page, CLASS_TALK, "no", follow_redirects=True)
    assert _votes(db) == [(CLASS_TALK, "reporter", True)]
    assert "your first answer counts" in again.get_data(as_text=True)
    vote = db.session.scalars(select(RecommendationFeedback)).one()
    assert vote.topics == alert.topics
    assert "swastika" not in repr(vars(vote)).lower()


def test_without_javascript_the_vote_leads_to_the_recommendations_with_the_answer(
    client, send_alert, db
):
    alert, page = _send(send_alert, db)
    response = _vote(client, alert, page, SYMBOL_WORKSHOP, "no")
    assert response.headers["Location"].endswith(
        f"/en/alert/{alert.id}/recommendations#match-practice-symbol-workshop")
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you: you said this did not help." in shown
    assert "You said this did not help." in shown
    assert shown.count('class="feedback-form"') == len(alert.matches) - 1
    assert 'class="receipt-code"' not in shown  # the code is shown only once


def test_the_pages_script_gets_a_short_json_answer(client, send_alert, db):
    alert, page = _send(send_alert, db)
    response = _vote(client, alert, page, CLASS_TALK, headers={"Accept": "application/json"})
    assert response.get_json() == {"message": "Thank you: you said this helped.",
                                   "recorded": True}


def test_the_follow_up_page_takes_feedback_and_comes_back_to_it(client, send_alert, post_form,
                                                                 db):
    alert, page = _send(send_alert, db)
    post_form("/en/alert/follow-up", {"code": receipt_from(page)})
    follow_up = client.get("/en/alert/follow-up").get_data(as_text=True)
    assert 'class="feedback-form"' in follow_up
    response = _vote(client, alert, follow_up, CLASS_TALK)
    assert response.headers["Location"].endswith("/en/alert/follow-up#match-practice-class-talk")
    assert "You said this helped." in client.get("/en/alert/follow-up").get_data(as_text=True)


def test_only_items_recommended_for_the_alert_take_a_vote(client, send_alert, db):
    alert, page = _send(send_alert, db)
    assert TOILETS not in [m["doc_id"] for m in alert.matches]
    assert _vote(client, alert, page, TOILETS).status_code == 404
    assert _votes(db) == []


def test_another_browser_cannot_vote_on_the_alert(app, send_alert, db):
    alert, _page = _send(send_alert, db)
    stranger = app.test_client()
    token_page = stranger.get("/en/alert/").get_data(as_text=True)
    assert _vote(stranger, alert, token_page, CLASS_TALK).status_code == 403
    assert stranger.get(f"/en/alert/{alert.id}/recommendations").status_code == 403
    assert _votes(db) == []


def test_a_vote_needs_the_form_token(client, send_alert, db):
    alert, _page = _send(send_alert, db)
    response = client.post(f"/en/alert/{alert.id}/feedback",
                           data={"doc_id": CLASS_TALK, "helped": "yes"})
    assert response.status_code == 400
    assert _votes(db) == []


def test_a_vote_is_helped_or_not_nothing_else(client, send_alert, db):
    alert, page = _send(send_alert, db)
    assert _vote(client, alert, page, CLASS_TALK, "maybe").status_code == 400
    assert _votes(db) == []


def test_votes_outlive_a_withdrawal_but_the_alert_takes_no_new_one(client, send_alert,
                                                                   post_form, db):
    alert, page = _send(send_alert, db)
    _vote(client, alert, page, CLASS_TALK)
    post_form("/en/alert/follow-up", {"code": receipt_from(page)})
    post_form("/en/alert/follow-up", {}, action="/en/alert/follow-up/withdraw")
    assert db.session.get(Alert, alert.id).status == "withdrawn"
    assert _votes(db) == [(CLASS_TALK, "reporter", True)]
    assert _vote(client, alert, page, SYMBOL_WORKSHOP).status_code == 403
    with pytest.raises(FeedbackRefused):
        record_feedback(alert, SYMBOL_WORKSHOP, True, "member:1", {SYMBOL_WORKSHOP})
    assert len(_votes(db)) == 1


def test_the_next_result_page_says_when_feedback_moved_an_item(send_alert, add_votes, db):
    add_votes(SYMBOL_WORKSHOP, helped=0, unhelpful=5)
    add_votes(CLASS_TALK, helped=4, unhelpful=1)
    page = send_alert(description=FEEDBACK_ALERT).get_data(as_text=True)
    assert page.index("Talking with the class") < page.index("Pupils study neo-Nazi symbols")
    assert ("Moved up: 4 of 5 people with a similar situation said it helped." in page)
    assert ("Moved down: 5 of 5 people with a similar situation said it did not help." in page)


def test_no_explanation_when_feedback_moved_nothing(send_alert, add_votes):
    add_votes(SYMBOL_WORKSHOP, helped=5)
    page = send_alert(description=FEEDBACK_ALERT).get_data(as_text=True)
    assert "Moved up" not in page
    assert "Moved down" not in page
