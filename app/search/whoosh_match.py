"""ALERT matching on the Whoosh index: a flat OR of key terms and topics over items, explained.

The OR is scored here, straight from the postings, with Whoosh's own BM25F arithmetic (the same
floats, added in the same order, so the same ranking as `searcher.search`): Whoosh's matchers
spend about a microsecond of Python per posting and per candidate, which at 10,000 items was
most of a match. Facet postings (topic, country, language, type) are read once per segment
reader and kept; a word's postings are read once per match and also tell which hits hold it.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from weakref import WeakKeyDictionary

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from app.core.text import LANGUAGES
from app.search.analysis import WordAnalyzer
from app.search.backend import MatchHit, MatchRequest, best_language, relevance
from app.search.snippets import marked_snippet
from app.search.whoosh_schema import FIELD_BOOSTS

TOPIC_BOOST = 2.0  # a shared topic weighs like a well-placed key word
COUNTRY_BONUS = 0.15  # a match in the alert's country scores 15% more
COMMON_SHARE, COMMON_MIN_DOCS = 0.1, 1000  # ignore words in >10% of 1,000+ documents
CANDIDATES_PER_HIT = 2  # country and language reorder the best 2 x limit items by raw score
KEPT_FIELDS = frozenset({"topic", "country", "language", "type"})  # few terms, asked every time
_KEPT: WeakKeyDictionary = WeakKeyDictionary()  # reader -> its kept postings and lengths


class Clause(NamedTuple):
    """One token in one field, with its boost (and, for words, how many items hold it)."""

    field: str
    token: str
    boost: float
    docs: int = 0


class Read(NamedTuple):
    """A text clause's postings in one segment, kept to tell which hits hold its token."""

    clause: Clause
    offset: int
    ids: Sequence[int]


def match_in(searcher, request: MatchRequest, max_terms: int) -> list[MatchHit]:
    """Rank documents for an alert: key terms and topics (one flat OR), then country and
    language weigh the best candidates; each hit is explained."""
    terms = list(dict.fromkeys(t.strip() for t in request.terms if t.strip()))[:max_terms]
    clauses, token_map = _term_clauses(searcher, terms)
    topics = [Clause("topic", topic, TOPIC_BOOST) for topic in request.topics]
    if not clauses and not topics:
        return []
    kept = _discriminating(searcher, clauses)
    scores, read = _scores(searcher, kept + topics)
    if request.types:
        allowed = _docs_with(searcher, "type", request.types, scores)
        scores = {docnum: score for docnum, score in scores.items() if docnum in allowed}
    ranked = _reweighed(searcher, _top(scores, request.limit * CANDIDATES_PER_HIT), request)
    ranked = ranked[: request.limit]
    found = _found(read, [docnum for docnum, _score in ranked])
    scored = set(kept)
    _skipped_matches(searcher, [c for c in clauses if c not in scored], found)
    return [_match_hit(searcher.stored_fields(docnum), score, request, terms, token_map,
                       found[docnum]) for docnum, score in ranked]


def _term_clauses(searcher, terms: list[str]) -> tuple[list[Clause], dict]:
    """Clauses for every language field where a term's token is indexed (one look-up tells
    whether and how often); (field, token) -> the request term, to explain matches."""
    reader = searcher.reader()
    clauses: list[Clause] = []
    token_map: dict[tuple[str, str], str] = {}
    for lang in LANGUAGES:
        # title, summary and body of a language share one analyzer: analyse each term once.
        analyzer = searcher.schema[f"body_{lang}"].analyzer
        tokens = [(term, _tokens(analyzer, term)) for term in terms]
        for part, boost in FIELD_BOOSTS.items():
            name = f"{part}_{lang}"
            for term, token in ((term, t) for term, found in tokens for t in found):
                docs = 0 if (name, token) in token_map else reader.doc_frequency(name, token)
                if docs:
                    token_map[(name, token)] = term
                    clauses.append(Clause(name, token, boost, docs))
    return clauses, token_map


def _tokens(analyzer, term: str) -> set[str]:
    """A term's index keys (the app's analyzer lists them without building Whoosh tokens)."""
    if isinstance(analyzer, WordAnalyzer):
        return set(analyzer.texts(term))
    return {token.text for token in analyzer(term)}


def _discriminating(searcher, clauses: list[Clause]) -> list[Clause]:
    """Leave out words found in more than COMMON_SHARE of a large index: they barely change
    the ranking but cost most of the time (they still count as matched words)."""
    total = searcher.doc_count()
    if total < COMMON_MIN_DOCS:
        return clauses
    return [clause for clause in clauses if clause.docs <= COMMON_SHARE * total]


def _scores(searcher, clauses: list[Clause]) -> tuple[dict[int, float], list[Read]]:
    """Every matching document's score, summed clause after clause like Whoosh's array union;
    and the text clauses' postings."""
    scores: dict[int, float] = {}
    read: list[Read] = []
    get = scores.get
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for clause in clauses:
            ids, values = _clause_scores(searcher, reader, clause)
            for docnum, value in zip(ids, values, strict=True):
                docnum += offset
                scores[docnum] = get(docnum, 0.0) + value
            if clause.field not in KEPT_FIELDS:
                read.append(Read(clause, offset, ids))
    return scores, read


def _clause_scores(searcher, reader, clause: Clause) -> tuple[Sequence[int], list[float]]:
    """A clause's documents in one segment and its score in each: BM25F exactly as Whoosh
    computes it (weight x boost for fields that are not scorable, like topics)."""
    ids, weights = _postings(reader, clause.field, clause.token)
    boost = clause.boost
    if not searcher.schema[clause.field].scorable:
        return ids, [weight * boost for weight in weights]
    idf = searcher.idf(clause.field, clause.token)
    k1 = searcher.weighting.K1 + 1
    norms, lengths = _length_norms(searcher, clause.field), _lengths(reader, clause.field)
    return ids, [idf * ((tf * k1) / (tf + norms[lengths[docnum]])) * boost
                 for docnum, tf in zip(ids, weights, strict=True)]


def _length_norms(searcher, field: str) -> list[float]:
    """BM25's length normalisation for each of the 256 length bytes Whoosh stores."""
    kept = _kept(searcher.reader())
    key = ("norms", field)
    if key not in kept:
        b, k1 = searcher.weighting.B, searcher.weighting.K1
        average = searcher.avg_field_length(field) or 1
        kept[key] = [k1 * ((1 - b) + b * byte_to_length(byte) / average) for byte in range(256)]
    return kept[key]


def _lengths(reader, field: str) -> bytes:
    """A segment's field length byte of every document, read in one piece and kept (asking
    Whoosh per document cost 4 microseconds a posting)."""
    kept = _kept(reader)
    key = ("lengths", field)
    if key not in kept:
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count) if column else b""
        kept[key] = raw.ljust(reader.doc_count_all(), b"\0")
    return kept[key]


def _postings(reader, field: str, token: str) -> tuple[Sequence[int], Sequence[float]]:
    """A token's document numbers and weights in a segment; facet terms are kept."""
    if field not in KEPT_FIELDS:
        return _read_postings(reader, field, token)
    kept = _kept(reader)
    if (field, token) not in kept:
        ids, weights = _read_postings(reader, field, token)
        kept[(field, token)] = (array("I", ids), array("f", weights))
    return kept[(field, token)]


def _read_postings(reader, field: str, token: str) -> tuple[list[int], list[float]]:
    """A token's document numbers and weights in a segment, deleted items left out."""
    try:
        matcher = reader.postings(field, token)
    except TermNotFound:  # a topic or country no item has (word clauses are known to exist)
        return [], []
    if isinstance(matcher, W3LeafMatcher):
        return _whole_blocks(matcher)
    if isinstance(matcher, FilterMatcher) and isinstance(matcher.child, W3LeafMatcher):
        # The segment has deleted items (an edit replaces its item): filter them out here.
        ids, weights = _whole_blocks(matcher.child)
        deleted = reader.deleted_docs_set
        kept = [at for at, docnum in enumerate(ids) if docnum not in deleted]
        return [ids[at] for at in kept], [weights[at] for at in kept]
    ids, weights = [], []
    while matcher.is_active():  # short postings stored with the term, or another codec
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return ids, weights


def _whole_blocks(matcher: W3LeafMatcher) -> tuple[list[int], list[float]]:
    """All postings of a W3 matcher, a block at a time: stepping through them one method
    call per posting cost more than scoring them."""
    ids: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.extend(matcher._ids)
        weights.extend(matcher._weights)
        matcher._next_block()
    return ids, weights


def _kept(reader) -> dict:
    """What is kept for a reader (postings of facet terms, lengths, norms) while it lives."""
    kept = _KEPT.get(reader)
    if kept is None:
        kept = _KEPT[reader] = {}
    return kept


def _top(scores: dict[int, float], count: int) -> list[tuple[int, float]]:
    """The `count` best documents, equal scores in document order (as Whoosh's collector)."""
    if len(scores) > count > 0:
        cut = heapq.nlargest(count, scores.values())[-1]
        scores = {docnum: score for docnum, score in scores.items() if score >= cut}
    return sorted(scores.items(), key=lambda pair: (-pair[1], pair[0]))[:count]


def _reweighed(searcher, best: list[tuple[int, float]],
               request: MatchRequest) -> list[tuple[int, float]]:
    """The alert's country scores more; equal scores (to two decimals) put items in the
    alert's language first."""
    docnums = [docnum for docnum, _score in best]
    local = _docs_with(searcher, "country", request.countries, docnums)
    spoken = _docs_with(searcher, "language", [request.language], docnums)
    weighed = [(docnum, score * (1 + COUNTRY_BONUS * (docnum in local)))
               for docnum, score in best]
    weighed.sort(key=lambda pair: (-round(pair[1], 2), pair[0] not in spoken))
    return weighed


def _docs_with(searcher, field: str, values: list[str], among: Iterable[int]) -> set[int]:
    """Which of `among` have one of the values in a facet field (from kept postings)."""
    among = set(among)
    found: set[int] = set()
    for leaf, offset in searcher.leaf_searchers():
        local = {docnum - offset for docnum in among}
        for value in values:
            ids, _weights = _postings(leaf.reader(), field, value)
            found.update(docnum + offset for docnum in local.intersection(ids))
    return found


def _found(read: list[Read], docnums: list[int]) -> dict[int, set]:
    """Which (field, token) clauses each of a few documents contains."""
    found: dict[int, set] = {docnum: set() for docnum in docnums}
    for clause, offset, ids in read:
        for docnum in {docnum - offset for docnum in docnums}.intersection(ids):
            found[docnum + offset].add((clause.field, clause.token))
    return found


def _skipped_matches(searcher, clauses: list[Clause], found: dict[int, set]) -> None:
    """Add the common words left out of scoring to what the hits contain (posting skips)."""
    ordered = sorted(found)
    reader = searcher.reader()
    for clause in clauses:
        postings = reader.postings(clause.field, clause.token)
        for docnum in ordered:
            if not postings.is_active():
                break
            if postings.id() < docnum:
                postings.skip_to(docnum)
            if postings.is_active() and postings.id() == docnum:
                found[docnum].add((clause.field, clause.token))


def _match_hit(stored: dict, score: float, request: MatchRequest, terms: list[str],
               token_map: dict, tokens: set) -> MatchHit:
    """A MatchHit with its reasons (query words found, shared topics), weighted score and
    snippet (the first passage of the shown version with a matched word)."""
    found = {token_map.get(key) for key in tokens}
    matched = [term for term in terms if term in found]
    doc_topics = [t for t in (stored.get("topic") or "").split(",") if t]
    shared = [topic for topic in request.topics if topic in doc_topics]
    versions = stored["versions"]
    shown = best_language(versions, request.page_language, request.language)
    item_id, title, summary, body = versions[shown]
    return MatchHit(
        doc_id=stored["doc_id"], score=score, type=stored["type"], slug=stored["slug"],
        language=shown, title=title, item_id=item_id, languages=sorted(versions),
        matched_terms=matched, shared_topics=shared,
        snippet=marked_snippet(summary, body, shown, {token for _field, token in tokens}),
        relevance=relevance(len(matched), len(terms), len(shared), len(request.topics)),
        countries=[c for c in (stored.get("country") or "").split(",") if c],
    )
