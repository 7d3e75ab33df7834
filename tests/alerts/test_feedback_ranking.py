"""Feedback teaches the ranking: a bounded prior per item and topic, explained, that never lifts
an irrelevant item above a relevant one."""

from __future__ import annotations

import pytest

from app.alerts import matching
from app.alerts.feedback import feedback_priors
from tests.fixtures.app import counted_statements
from tests.fixtures.feedback import (
    CLASS_TALK,
    FEEDBACK_ALERT,
    OTHER_TOPICS,
    SAME_TOPICS,
    SYMBOL_WORKSHOP,
    TOILETS,
    YOUTH_WORK,
)

pytestmark = pytest.mark.usefixtures("feedback_library")


def _ranked() -> list[matching.Recommendation]:
    """The practices recommended for the fixture alert, in the order shown."""
    recs = matching.match_alert(FEEDBACK_ALERT, "en", ["extremist_propaganda"], "DE", "school")
    return [rec for rec in recs if rec.type == "practice"]


def _order() -> list[str]:
    return [rec.doc_id for rec in _ranked()]


def _by_id() -> dict[str, matching.Recommendation]:
    return {rec.doc_id: rec for rec in _ranked()}


def test_without_feedback_relevance_alone_orders_the_practices(app):
    assert _order() == [SYMBOL_WORKSHOP, CLASS_TALK, YOUTH_WORK]
    assert all(rec.feedback_shift == 0 for rec in _ranked())


def test_an_item_that_keeps_not_helping_drops_below_one_that_helped(app, add_votes):
    add_votes(SYMBOL_WORKSHOP, unhelpful=5)
    add_votes(CLASS_TALK, helped=4, unhelpful=1)
    recs = _by_id()
    assert _order()[:2] == [CLASS_TALK, SYMBOL_WORKSHOP]
    assert recs[CLASS_TALK].feedback_moved == 1
    assert recs[SYMBOL_WORKSHOP].feedback_moved == -1
    assert (recs[CLASS_TALK].feedback_helped, recs[CLASS_TALK].feedback_unhelpful) == (4, 1)
    assert recs[CLASS_TALK].feedback_same_topics


def test_feedback_changes_the_order_not_the_level_or_the_score(app, add_votes):
    before = _by_id()
    add_votes(SYMBOL_WORKSHOP, unhelpful=50)
    add_votes(YOUTH_WORK, helped=50)
    after = _by_id()
    for doc_id, rec in before.items():
        assert after[doc_id].level == rec.level
        assert after[doc_id].score == rec.score


def test_feedback_given_for_other_topics_counts_less(app, add_votes):
    add_votes(CLASS_TALK, helped=10, topics=OTHER_TOPICS)
    other = _by_id()[CLASS_TALK]
    assert _order()[:2] == [SYMBOL_WORKSHOP, CLASS_TALK]  # not enough to overtake
    assert not other.feedback_same_topics
    add_votes(CLASS_TALK, helped=10, topics=SAME_TOPICS)
    same = _by_id()[CLASS_TALK]
    assert _order()[:2] == [CLASS_TALK, SYMBOL_WORKSHOP]
    assert 0 < other.feedback_shift < same.feedback_shift


def test_sharing_only_the_setting_is_not_a_similar_situation(app, add_votes):
    add_votes(CLASS_TALK, helped=10, topics=["schools"])  # e.g. bullying at another school
    assert not _by_id()[CLASS_TALK].feedback_same_topics
    assert _order()[:2] == [SYMBOL_WORKSHOP, CLASS_TALK]


def test_a_few_votes_move_nothing(app, add_votes):
    add_votes(CLASS_TALK, helped=app.config["FEEDBACK_MIN_VOTES"] - 1)
    assert _by_id()[CLASS_TALK].feedback_shift == 0


def test_no_amount_of_feedback_lifts_an_irrelevant_item_above_a_relevant_one(app, add_votes):
    add_votes(YOUTH_WORK, helped=1000)
    add_votes(TOILETS, helped=1000)
    add_votes(CLASS_TALK, unhelpful=1000)
    add_votes(SYMBOL_WORKSHOP, unhelpful=1000)
    order = _order()
    assert order[-1] == YOUTH_WORK
    assert TOILETS not in order  # rejected by the ranking: feedback never brings it back
    assert _by_id()[YOUTH_WORK].level == "partial"


def test_the_shift_stays_within_the_configured_share_of_the_score(app, add_votes):
    share = app.config["FEEDBACK_MAX_SHARE"]
    add_votes(YOUTH_WORK, helped=1000)
    add_votes(CLASS_TALK, unhelpful=1000)
    for rec in _ranked():
        assert abs(rec.feedback_shift) <= share * rec.score + 0.001
    assert _by_id()[CLASS_TALK].feedback_shift < -0.9 * share * _by_id()[CLASS_TALK].score


def test_only_the_configured_share_keeps_the_irrelevant_item_down(app, add_votes):
    add_votes(YOUTH_WORK, helped=1000)
    add_votes(CLASS_TALK, unhelpful=1000)
    add_votes(SYMBOL_WORKSHOP, unhelpful=1000)
    app.config["FEEDBACK_MAX_SHARE"] = 0.9  # a misconfiguration: feedback outweighs relevance
    assert _order()[0] == YOUTH_WORK


def test_the_prior_of_all_candidates_is_one_query(app, db, add_votes):
    for doc_id in (CLASS_TALK, SYMBOL_WORKSHOP, YOUTH_WORK):
        add_votes(doc_id, helped=3, unhelpful=2)
        add_votes(doc_id, helped=1, topics=OTHER_TOPICS)
    with counted_statements() as statements:
        priors = feedback_priors([CLASS_TALK, SYMBOL_WORKSHOP, YOUTH_WORK], SAME_TOPICS)
    assert len(statements) == 1
    assert priors[CLASS_TALK].helped == 3


def test_snapshots_stored_before_feedback_still_load(app):
    old = {"doc_id": CLASS_TALK, "item_id": 1, "type": "practice", "slug": "class-talk",
           "language": "en", "title": "T", "score": 0.8, "level": "strong",
           "matched_terms": [], "shared_topics": [], "snippet": ""}
    (rec,) = matching.stored_recommendations([old])
    assert (rec.feedback_shift, rec.feedback_moved) == (0.0, 0)


def test_the_api_explains_the_feedback_too(app, add_votes):
    add_votes(CLASS_TALK, helped=4, unhelpful=1)
    with app.test_request_context("/en/"):
        ranking = matching.api_ranking(_ranked(), "en")
    talk = next(entry for entry in ranking if entry["id"] == CLASS_TALK)
    assert talk["reasons"]["feedback"]["helped"] == 4
    assert talk["reasons"]["feedback"]["shift"] > 0
