"""ALERT matching through the search interface: ranking, reasons, language tie-break."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.search.backend import MatchRequest
from app.search.services import match_documents


def test_match_explains_terms_and_topics(search_corpus):
    """Each hit names the key terms it contains and the topics it shares."""
    hits = match_documents(MatchRequest(
        terms=["radykalizacja", "szkole", "internet"], topics=["online_radicalisation", "schools"],
        language="pl", countries=["PL"],
    ))
    top = hits[0]
    assert top.slug == "radykalizacja-w-szkole"
    assert set(top.matched_terms) >= {"radykalizacja", "szkole"}
    assert top.shared_topics == ["online_radicalisation", "schools"]
    assert 0.5 < top.relevance <= 1.0
    assert "<mark>" in top.snippet


def test_topics_find_items_in_other_languages(search_corpus):
    """A Polish alert's topics reach English and German items that share no word with it."""
    hits = match_documents(MatchRequest(terms=["uczeń"], topics=["schools"], language="pl"))
    assert {"preventing-radicalisation", "hakenkreuz-schule"} <= {h.slug for h in hits}
    english = next(h for h in hits if h.slug == "preventing-radicalisation")
    assert english.matched_terms == [] and english.shared_topics == ["schools"]


def test_country_weights_the_ranking(search_corpus):
    """Among items sharing a topic, the alert's country comes first."""
    hungarian = match_documents(MatchRequest(terms=[], topics=["schools"], countries=["HU"]))
    german = match_documents(MatchRequest(terms=[], topics=["schools"], countries=["DE"]))
    assert hungarian[0].slug == "gyuloletbeszed-iskola"
    assert german[0].slug in {"hakenkreuz-schule", "preventing-radicalisation"}


def test_reporter_language_breaks_ties(search_corpus):
    """Equally relevant results: the reporter's language first."""
    for language, slug in (("hu", "gyuloletbeszed-iskola"), ("de", "hakenkreuz-schule")):
        hits = match_documents(MatchRequest(terms=[], topics=["schools"], language=language))
        assert hits[0].slug == slug


def test_types_filter_and_limit(search_corpus):
    """Matching can be limited to some types and a number of hits."""
    hits = match_documents(MatchRequest(terms=["school", "Schule"], topics=["schools"],
                                        types=["case"], limit=5))
    assert [h.type for h in hits] == ["case"]


def test_unrelated_alert_matches_nothing(search_corpus):
    """No shared word and no shared topic: no match (so ALERT forwards to ARENA)."""
    assert match_documents(MatchRequest(terms=["zzzqqq"], topics=[])) == []


def test_match_works_without_index(search_corpus, app):
    """With the index gone, matching answers from the database with the same reasons."""
    shutil.rmtree(Path(app.config["INDEX_DIR"]))
    hits = match_documents(MatchRequest(terms=["Hakenkreuz"], topics=["schools"], language="de"))
    assert hits[0].slug == "hakenkreuz-schule"
    assert hits[0].matched_terms == ["Hakenkreuz"] and "schools" in hits[0].shared_topics


def test_match_snippet_marks_words_and_escapes_html(make_item, search_corpus):
    """The passage shown with a match marks the matched word and never passes markup."""
    from app.search.services import rebuild_index

    make_item(title="Graffiti <b>report</b>", language="en",
              summary="Stickers <script>x</script> near the stadium with hooligans.",
              topics=["sports_and_fans"])
    rebuild_index()
    hit = match_documents(MatchRequest(terms=["hooligan"], topics=[]))[0]
    assert "<mark>hooligans</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_concepts_join_items_in_any_language(search_corpus):
    """A concept id named by the alert reaches the item naming it in another language."""
    hits = match_documents(MatchRequest(terms=["swastyka"], concepts=["swastika"],
                                        language="pl"))
    german = next(h for h in hits if h.slug == "hakenkreuz-schule")
    assert german.shared_concepts == ["swastika"] and german.matched_terms == []


def test_both_backends_rank_the_whole_pool_with_the_requests_ranking(search_corpus):
    """The ranking sees every candidate, not the engine's best few, on the index and on the
    database; -inf leaves a candidate out."""
    from app.search.database_backend import DatabaseBackend

    request = {"terms": ["school", "Schule", "szkole", "iskola"], "topics": ["schools"]}
    for match in (match_documents, DatabaseBackend().match):
        everything = match(MatchRequest(**request, limit=999))
        assert len(everything) > 2
        worst_first = match(MatchRequest(**request, limit=1, ranking=lambda pool: -pool.engine))
        assert [hit.slug for hit in worst_first] == [everything[-1].slug]
        assert match(MatchRequest(**request, ranking=lambda pool: pool.engine - float("inf"))) \
            == []
