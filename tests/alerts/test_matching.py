"""Matching: key terms, explained and grouped results, cross-lingual, forwarding."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.alerts import matching, services
from app.alerts.models import Alert
from app.core.signals import alert_forwarded
from tests.fixtures.alerts import valid_alert

POLISH_HATE = ("Uczniowie w klasowym czacie od tygodni wrzucają hejt i obraźliwe wyzwiska wobec "
               "kolegi z Ukrainy; nauczycielka pyta, co robić w szkole.")


def test_key_terms_leave_out_stop_words_and_stay_few(app):
    long_text = " ".join(f"word{chr(97 + i % 26)}{chr(97 + i // 26)} and the" for i in range(200))
    terms = matching.extract_key_terms("the swastika and the " + long_text)
    assert len(terms) <= app.config["MATCH_MAX_TERMS"]
    assert "the" not in terms and "and" not in terms
    assert max(terms, key=terms.get) == "swastika"  # a lexicon word outweighs the rest


def test_a_clear_description_finds_the_right_prior_case_first(app, alert_library):
    recs = matching.match_alert(valid_alert()["description"], "en", ["extremist_propaganda"],
                                "DE", "school")
    cases = [r for r in recs if r.type == "case"]
    assert cases[0].slug == "swastika-school-toilets"
    assert cases[0].level == "strong"
    assert cases[0].response and cases[0].outcome
    assert "swastika" in cases[0].matched_terms
    assert "extremist_propaganda" in cases[0].shared_topics


def test_results_are_grouped_and_explained(app, alert_library):
    recs = matching.match_alert(valid_alert()["description"], "en", ["extremist_propaganda"],
                                "DE", "school")
    groups = dict(matching.grouped(recs))
    assert {"cases", "practices", "chapters", "training", "people"} <= set(groups)
    for rec in recs:
        assert rec.level in ("strong", "partial")
        assert rec.score >= app.config["MATCH_MIN_THRESHOLD"]
        assert rec.shared_topics or rec.matched_terms


def test_a_polish_alert_finds_an_english_practice(app, alert_library):
    recs = matching.match_alert(POLISH_HATE, "pl", ["hate_speech"], "PL", "school")
    practice = next(r for r in recs if r.slug == "peer-mediation-online-hate")
    assert practice.language == "en"
    assert "hate_speech" in practice.shared_topics


def test_the_reporters_language_comes_first_among_translations(app, alert_library):
    text = "Swastika graffiti and extremist symbols appeared on our school building."
    in_polish = matching.match_alert(text, "pl", ["extremist_propaganda"], "DE", "school")
    in_english = matching.match_alert(text, "en", ["extremist_propaganda"], "DE", "school")
    assert [r.language for r in in_polish if r.slug == "mobile-counselling"] == ["pl"]
    assert [r.language for r in in_english if r.slug == "mobile-counselling"] == ["en"]


def test_the_text_language_is_detected_when_it_differs_from_the_page(app):
    query = matching.build_query(POLISH_HATE, "en", [], "PL", None)
    assert (query.language, query.languages) == ("pl", ("pl",))


def test_result_page_explains_matches_with_highlighted_words(send_alert, alert_library):
    page = send_alert().get_data(as_text=True)
    assert "Swastika graffiti in school toilets" in page
    assert "Strong match" in page and "Why this matches:" in page
    assert "<mark>swastika</mark>" in page.lower()
    assert page.index("Similar cases") < page.index("Practices that work")


def test_no_match_forwards_automatically(send_alert, db, alert_library):
    forwarded = []
    with alert_forwarded.connected_to(lambda sender, **kw: forwarded.append(sender.id)):
        page = send_alert(description="Our choir rehearsal room smells of paint and nobody "
                          "knows who left the ladders there.", categories=["other"],
                          setting="other").get_data(as_text=True)
    alert = db.session.scalars(select(Alert)).one()
    assert (alert.status, alert.forward_reason, forwarded) == ("forwarded", "no_match", [alert.id])
    assert "forwarded your report to the experts" in page


def test_reporter_can_forward_even_when_matches_exist(send_alert, post_form, client, db,
                                                      alert_library):
    page = send_alert().get_data(as_text=True)
    alert = db.session.scalars(select(Alert)).one()
    assert alert.status == "answered" and "This does not answer my situation" in page
    response = post_form("/en/alert/", {}, action=f"/en/alert/{alert.id}/forward")
    db.session.refresh(alert)
    assert (alert.status, alert.forward_reason) == ("forwarded", "reporter")
    assert "What happens next" in response.get_data(as_text=True)


def test_someone_else_cannot_forward_an_alert(send_alert, app, db, alert_library):
    send_alert()
    alert = db.session.scalars(select(Alert)).one()
    from tests.fixtures.app import csrf_token_from

    stranger = app.test_client()  # a valid form token of its own, but not the reporter's session
    token = csrf_token_from(stranger.get("/en/alert/").get_data(as_text=True))
    response = stranger.post(f"/en/alert/{alert.id}/forward", data={"csrf_token": token})
    assert response.status_code == 403
    assert db.session.get(Alert, alert.id).status == "answered"


def test_live_preview_returns_similar_cases(client, alert_library):
    from tests.fixtures.app import csrf_token_from

    token = csrf_token_from(client.get("/en/alert/").get_data(as_text=True))
    response = client.post("/en/alert/preview", data={
        "description": valid_alert()["description"], "country": "DE", "setting": "school",
        "categories": "extremist_propaganda"}, headers={"X-CSRFToken": token})
    assert response.status_code == 200
    assert "Swastika graffiti in school toilets" in response.get_data(as_text=True)
    assert client.post("/en/alert/preview", data={"description": "x" * 40}).status_code == 400


def test_submit_alert_service_stores_the_match_snapshot(app, alert_library):
    submission = services.submit_alert(services.AlertInput(
        description=valid_alert()["description"], categories=["extremist_propaganda"],
        country="DE", setting="school", urgency="high", reporter_role="teacher",
        page_language="en"))
    assert submission.alert.matches[0]["doc_id"] == submission.recommendations[0].doc_id
    assert "schools" in submission.alert.topics


def test_a_match_found_in_another_language_is_shown_in_the_reporters(app, make_item):
    make_item(type="case", slug="graffiti", language="de", title="Hakenkreuze an der Schule",
              extra={"response": "Die Schule informierte die Polizei."})
    polish = make_item(type="case", slug="graffiti", language="pl",
                       title="Swastyki na ścianach szkoły", summary="Szkoła i policja.",
                       extra={"response": "Szkoła powiadomiła policję."})
    from app.search.services import rebuild_index

    rebuild_index()
    found = matching.match_alert("Hakenkreuze an der Schule, die Polizei ermittelt wegen "
                                 "Hakenkreuze.", "pl", ["extremist_propaganda"], "DE", "school")
    graffiti = [rec for rec in found if rec.slug == "graffiti"]
    assert [(r.language, r.title, r.item_id) for r in graffiti] == [
        ("pl", polish.title, polish.id)]
    assert graffiti[0].response == "Szkoła powiadomiła policję."
    # Why it matched: the concept the German words name; the words themselves are in the
    # German version, which is not the one shown, so they are not listed as found there.
    assert "swastika" in graffiti[0].shared_concepts and graffiti[0].matched_terms == []
    assert matching.concept_pair(graffiti[0], "swastika", "pl") == "Hakenkreuze / swastyka"


def test_urgent_alerts_also_go_to_the_experts_although_the_library_answers(
        send_alert, db, alert_library):
    forwarded = []
    with alert_forwarded.connected_to(lambda sender, **kw: forwarded.append(sender.id)):
        danger_page = send_alert(danger="y").get_data(as_text=True)
        send_alert(urgency="high")
    alerts = db.session.scalars(select(Alert).order_by(Alert.id)).all()
    assert [(a.status, a.forward_reason) for a in alerts] == [("forwarded", "urgent")] * 2
    assert forwarded == [a.id for a in alerts]
    assert "Swastika graffiti in school toilets" in danger_page
    assert "Because your report is urgent, the coordinators of ARENA for Germany" in danger_page


def test_an_ordinary_answered_alert_is_not_forwarded(send_alert, db, alert_library):
    send_alert(urgency="low")
    assert db.session.scalars(select(Alert)).one().forward_reason is None


def test_matched_words_shown_are_the_reporters_own(app, alert_library):
    recs = matching.match_alert(POLISH_HATE, "pl", ["hate_speech"], "PL", "school")
    own = set(matching.WORD_RE.findall(POLISH_HATE.lower()))
    assert recs and all(set(rec.matched_terms) <= own for rec in recs)
    practice = next(r for r in recs if r.slug == "peer-mediation-online-hate")
    assert "hate_speech" in practice.shared_topics  # the topic explains the match instead


def test_topic_labels_are_separated_and_snippets_start_with_a_spaced_ellipsis(send_alert,
                                                                              alert_library):
    page = send_alert().get_data(as_text=True)
    # Each label keeps its comma on its line, and a space separates it from the next.
    assert re.search(r'</span>,</span> <span class="nowrap"><span class="tag">', page)
    assert str(matching.match_snippet("…<mark>Schule</mark> und")) == "… <mark>Schule</mark> und"
    assert str(matching.match_snippet("… Schule")) == "… Schule"


def test_the_result_page_offers_a_copy_button_without_inline_script(send_alert):
    page = send_alert().get_data(as_text=True)
    assert re.search(r'<button type="button"[^>]*data-copy="receipt-code"[^>]*hidden>Copy code<',
                     page)
    assert 'id="receipt-code"' in page and "js/alerts.js" in page
    assert "-<wbr>" in page  # the code wraps between its groups on a phone
    assert "<script>" not in page and "onclick" not in page


def test_a_shared_concept_joins_two_languages_and_says_so(app, make_item, client):
    make_item(type="case", slug="hooked-cross", language="en",
              title="Swastika sprayed on a sports hall",
              summary="Pupils found a swastika on the wall.", topics=[],
              extra={"response": "The school called the police and removed it."})
    from app.search.services import rebuild_index

    rebuild_index()
    recs = matching.match_alert("Jemand hat ein Hakenkreuz an die Wand gesprüht.", "de",
                                [], "DE", None)
    case = next(rec for rec in recs if rec.slug == "hooked-cross")
    assert case.language == "en" and "swastika" in case.shared_concepts
    assert not case.matched_terms  # no word in common: the concept alone joined them
    assert case.reporter_words["swastika"] == ["Hakenkreuz", "de"]
    assert matching.concept_pair(case, "swastika", "en") == "Hakenkreuz / swastika"
    from tests.fixtures.app import csrf_token_from

    token = csrf_token_from(client.get("/de/alert/").get_data(as_text=True))
    page = client.post("/de/alert/preview", data={
        "description": "Jemand hat ein Hakenkreuz an die Wand gesprüht.", "country": "DE"},
        headers={"X-CSRFToken": token}).get_data(as_text=True)
    assert "gemeinsame Begriffe:" in page
    assert "Hakenkreuz / swastika" in page


def test_a_text_naming_nothing_of_the_domain_is_shown_nothing(app, alert_library):
    for text in ("The printer in the staff room is broken again and nobody fixes it.",
                 "asdfgh jkl qwertz uiop", "Die Heizung in der Schule ist seit Montag kaputt."):
        assert matching.match_alert(text, "en", [], "DE", "school") == [], text


def test_the_ranking_weighs_the_whole_pool_not_the_engines_best(app, alert_library):
    from app.search.backend import MatchRequest
    from app.search.services import match_documents

    def engine_order(ranking=None) -> list[str]:
        hits = match_documents(MatchRequest(terms=["school", "swastika", "hate"],
                                            limit=3, ranking=ranking))
        return [hit.slug for hit in hits]

    everything = match_documents(MatchRequest(terms=["school", "swastika", "hate"], limit=999))
    assert len(everything) > 3
    lowest_first = engine_order(lambda pool: -pool.engine)
    assert lowest_first[0] == everything[-1].slug  # the engine's last, ranked first
    assert engine_order(lambda pool: pool.engine * 0 - float("inf")) == []


def test_the_engines_best_hit_stays_when_concepts_and_words_match(app):
    """Topic sets differ and the shared concept is not one of what happened, but the engine's
    best hit shares it and enough words: kept; the same facts far down the engine's order:
    dropped."""
    import numpy as np

    from app.search.backend import MatchPool

    query = matching.AlertQuery(
        page_language="en", language="en",
        terms={"spray": 1.0, "wall": 1.0, "night": 1.0, "paint": 1.0, "red": 1.0},
        topics=["hate_speech"], concepts={"bus_stop": 0.6}, country="DE",
        subject_topics=frozenset({"hate_speech"}), words={"bus_stop": ["bus stop", "en"]})
    yes, no = np.array([True, True]), np.array([False, False])
    pool = MatchPool(
        engine=np.array([10.0, 1.0]),  # two words of five: too few to match on wording alone
        terms={"spray": yes, "wall": yes, "night": no, "paint": no, "red": no},
        topics={"hate_speech": no}, concepts={"bus_stop": yes},
        local=yes, elsewhere=no, setting=no, types=np.array(["case", "case"]))
    scores = matching.alert_ranking(query)(pool)
    assert np.isfinite(scores[0]) and not np.isfinite(scores[1])
