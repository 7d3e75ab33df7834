"""ALERT matching scores its OR straight from the postings: the ranking must stay Whoosh's own,
across segments, deleted items and type filters, and the index (not the database) answers."""

from __future__ import annotations

import pytest
from flask import current_app
from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from app.search import whoosh_match
from app.search.backend import MatchRequest
from app.search.documents import to_document
from app.search.services import get_backend
from app.search.whoosh_backend import WhooshBackend, top_results
from app.search.whoosh_schema import document_fields

ALERT_WORDS = ["radicalisation", "school", "Schule", "radykalizacja", "teachers", "internet"]
TOPICS = ["schools", "online_radicalisation"]
CONCEPTS = ["school", "swastika", "radicalisation"]


class _ArrayOr(Or):
    """The flat OR the engine used to run through Whoosh."""

    matcher_type = Or.ARRAY_MATCHER


def _live_index():
    """The app's live index, opened afresh (no cache of the backend)."""
    return whoosh_index.open_dir(str(get_backend().primary.live_folder()))


def _searcher():
    """A fresh searcher on the app's live index."""
    return _live_index().searcher()


def _whoosh_ranking(searcher, clauses: list) -> list[tuple[int, float]]:
    """Every document Whoosh's own search finds for the clauses, best first."""
    query = _ArrayOr([Term(c.field, c.token, boost=c.boost) for c in clauses])
    return [(hit.docnum, hit.score) for hit in top_results(searcher, query, 1000)]


def _engine_ranking(searcher, clauses: list) -> list[tuple[int, float]]:
    """The same clauses scored from the postings (one numpy operation per clause)."""
    _words, token_map = whoosh_match._term_clauses(searcher, ALERT_WORDS)
    scores, _marks, _read = whoosh_match._scores(searcher, clauses, token_map)
    found = [(int(docnum), float(scores[docnum])) for docnum in scores.nonzero()[0]]
    return sorted(found, key=lambda pair: (-pair[1], pair[0]))[:1000]


def _clauses(searcher) -> list:
    """The clauses of a typical alert: words in every language's fields, topics, concepts."""
    clauses, _map = whoosh_match._term_clauses(searcher, ALERT_WORDS)
    clauses += [whoosh_match.Clause("topic", t, whoosh_match.TOPIC_BOOST) for t in TOPICS]
    return clauses + [whoosh_match.Clause("concept", c, whoosh_match.CONCEPT_BOOST)
                      for c in CONCEPTS]


def _add_segment_and_delete(make_item) -> None:
    """An item saved after the build in a segment of its own, and an item deleted from the
    first segment (committed without merging, whatever the merge policy would do)."""
    item = make_item(type="case", slug="late-case", language="en",
                     title="Radicalisation at school", summary="Teachers noticed it on the "
                     "internet.", body="School radicalisation.", topics=["schools"],
                     countries=["DE"])
    writer = _live_index().writer()
    writer.update_document(**document_fields(to_document([item])))
    writer.delete_by_term("doc_id", "case:hakenkreuz-schule")
    writer.commit(merge=False)


def test_scores_equal_whoosh_search(search_corpus):
    """Same documents, same scores (to the last bit), same order as Whoosh's search."""
    with _searcher() as searcher:
        clauses = _clauses(searcher)
        assert _engine_ranking(searcher, clauses) == _whoosh_ranking(searcher, clauses)


def test_scores_equal_whoosh_across_segments_and_deletions(search_corpus, make_item):
    """Items saved after a build (another segment) and removed ones rank as Whoosh ranks."""
    _add_segment_and_delete(make_item)
    with _searcher() as searcher:
        assert len(searcher.leaf_searchers()) > 1
        assert searcher.doc_count() < searcher.doc_count_all()  # a deleted item is still there
        clauses = _clauses(searcher)
        assert _engine_ranking(searcher, clauses) == _whoosh_ranking(searcher, clauses)


def test_index_explains_hits_of_a_later_segment(search_corpus, make_item):
    """An item in the second segment shows its own words, marked, and a removed one is gone."""
    _add_segment_and_delete(make_item)
    hits = WhooshBackend(current_app.config["INDEX_DIR"]).match(MatchRequest(
        terms=["radicalisation", "internet"], topics=["schools"], countries=["DE"]))
    late = next(hit for hit in hits if hit.slug == "late-case")
    assert late.matched_terms == ["radicalisation", "internet"]
    assert "<mark>internet</mark>" in late.snippet
    assert "hakenkreuz-schule" not in {hit.slug for hit in hits}


def test_index_filters_types(search_corpus):
    """A type filter keeps only those types, from the index itself."""
    hits = WhooshBackend(current_app.config["INDEX_DIR"]).match(MatchRequest(
        terms=["school", "Schule"], topics=["schools"], types=["case"]))
    assert [hit.slug for hit in hits] == ["hakenkreuz-schule"]


def test_common_words_left_out_still_count_as_matched(search_corpus, monkeypatch):
    """Words too common to score (in a large library) are still named as matched words."""
    monkeypatch.setattr(whoosh_match, "COMMON_MIN_DOCS", 1)
    monkeypatch.setattr(whoosh_match, "COMMON_SHARE", 0.0)  # every word counts as common
    hits = WhooshBackend(current_app.config["INDEX_DIR"]).match(MatchRequest(
        terms=["Hakenkreuz"], topics=["schools"], language="de"))
    hakenkreuz = next(hit for hit in hits if hit.slug == "hakenkreuz-schule")
    assert hakenkreuz.matched_terms == ["Hakenkreuz"]


@pytest.mark.parametrize("countries, first", [(["HU"], "gyuloletbeszed-iskola"),
                                              (["PL"], "radykalizacja-w-szkole")])
def test_country_lifts_the_index_ranking(search_corpus, countries, first):
    """Of two items sharing two topics each, the one in the alert's country comes first."""
    hits = WhooshBackend(current_app.config["INDEX_DIR"]).match(MatchRequest(
        terms=[], topics=["schools", "online_radicalisation", "hate_speech"],
        countries=countries))
    assert hits[0].slug == first
