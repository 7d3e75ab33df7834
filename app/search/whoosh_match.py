"""ALERT matching on the Whoosh index: a flat OR of key terms, concepts and topics, explained.

The OR is scored here, straight from the postings, with Whoosh's own BM25F arithmetic (the same
floats, added in the same order, so the same ranking as `searcher.search`), one numpy operation
per clause: Whoosh's matchers spend about a microsecond of Python per posting and per candidate.
Every scored item forms the pool that the request's ranking weighs as a whole (no cut by the
engine's score first). Facet postings (topic, country, language, type, setting) are read once
per segment reader and kept; a word's postings are read once per match and also tell which
hits hold it.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import NamedTuple
from weakref import WeakKeyDictionary

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from app.core.text import LANGUAGES
from app.search.analysis import WordAnalyzer
from app.search.backend import (
    MatchHit,
    MatchPool,
    MatchRequest,
    best_language,
    engine_ranking,
    ranked_candidates,
    relevance,
)
from app.search.snippets import marked_snippet
from app.search.whoosh_schema import FIELD_BOOSTS, term_text

TOPIC_BOOST = 2.0  # a shared topic weighs like a well-placed key word
CONCEPT_BOOST = 2.0  # a shared thesaurus concept weighs like a well-placed key word, per BM25
COMMON_SHARE, COMMON_MIN_DOCS = 0.1, 1000  # ignore words in >10% of 1,000+ documents
KEPT_FIELDS = frozenset({"topic", "country", "language", "type", "setting"})  # few terms
# Reader -> its kept postings and lengths. No lock: a reader belongs to one thread's searcher
# (WhooshBackend keeps one per thread), and the threads only get and set their own keys.
_KEPT: WeakKeyDictionary = WeakKeyDictionary()


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
    """Rank items for an alert: key terms, concepts and topics are scored over the whole
    candidate pool, the request's ranking weighs every candidate; each hit is explained."""
    terms = list(dict.fromkeys(t.strip() for t in request.terms if t.strip()))[:max_terms]
    clauses, token_map = _term_clauses(searcher, terms)
    signals = [Clause("topic", topic, TOPIC_BOOST) for topic in request.topics]
    signals += [Clause("concept", concept, CONCEPT_BOOST) for concept in request.concepts]
    if not clauses and not signals:
        return []
    kept = _discriminating(searcher, clauses)
    scores, marks, read = _scores(searcher, kept + signals, token_map)
    pool, docnums = _pool(searcher, scores, marks, request, terms)
    if not len(pool):
        return []
    final = (request.ranking or engine_ranking)(pool)
    spoken = _mask(searcher, "language", [request.language])[docnums]
    chosen = ranked_candidates(final, spoken, request.limit)
    found = _found(read, [int(docnums[at]) for at in chosen])
    scored = set(kept)
    _skipped_matches(searcher, [c for c in clauses if c not in scored], found)
    return [_match_hit(searcher.stored_fields(int(docnums[at])), float(final[at]), request,
                       terms, token_map, found[int(docnums[at])], _shared(pool, at))
            for at in chosen]


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


def _scores(searcher, clauses: list[Clause], token_map: dict
            ) -> tuple[np.ndarray, dict[tuple[str, str], np.ndarray], list[Read]]:
    """Every document's score, summed clause after clause like Whoosh's array union; which
    documents hold each request term, topic and concept; and the text clauses' postings."""
    size = searcher.doc_count_all()
    scores = np.zeros(size)
    marks: dict[tuple[str, str], np.ndarray] = {}
    read: list[Read] = []
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        for clause in clauses:
            ids, values = _clause_scores(searcher, reader, clause)
            if not len(ids):
                continue
            at = np.asarray(ids, dtype=np.int64) + offset
            scores[at] += values
            key = _mark_key(clause, token_map)
            if key not in marks:
                marks[key] = np.zeros(size, dtype=bool)
            marks[key][at] = True
            if clause.field not in KEPT_FIELDS:
                read.append(Read(clause, offset, ids))
    return scores, marks, read


def _mark_key(clause: Clause, token_map: dict) -> tuple[str, str]:
    """What a clause stands for: ("term", request term), ("topic", key), ("concept", id)."""
    if clause.field in ("topic", "concept"):
        return clause.field, clause.token
    return "term", token_map[(clause.field, clause.token)]


def _clause_scores(searcher, reader, clause: Clause) -> tuple[Sequence[int], np.ndarray]:
    """A clause's documents in one segment and its score in each: BM25F exactly as Whoosh
    computes it, element by element (weight x boost for fields that are not scorable)."""
    ids, weights = _postings(reader, clause.field, clause.token)
    tf = np.asarray(weights, dtype=np.float64)
    if not searcher.schema[clause.field].scorable:
        return ids, tf * clause.boost
    idf = searcher.idf(clause.field, clause.token)
    k1 = searcher.weighting.K1 + 1
    norms = _length_norms(searcher, clause.field)[_lengths(reader, clause.field)[ids]]
    return ids, idf * ((tf * k1) / (tf + norms)) * clause.boost


def _length_norms(searcher, field: str) -> np.ndarray:
    """BM25's length normalisation for each of the 256 length bytes Whoosh stores."""
    kept = _kept(searcher.reader())
    key = ("norms", field)
    if key not in kept:
        b, k1 = searcher.weighting.B, searcher.weighting.K1
        average = searcher.avg_field_length(field) or 1
        kept[key] = np.array([k1 * ((1 - b) + b * byte_to_length(byte) / average)
                              for byte in range(256)])
    return kept[key]


def _lengths(reader, field: str) -> np.ndarray:
    """A segment's field length byte of every document, read in one piece and kept (asking
    Whoosh per document cost 4 microseconds a posting)."""
    kept = _kept(reader)
    key = ("lengths", field)
    if key not in kept:
        column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        raw = column._dbfile.get(column._basepos, column._count) if column else b""
        kept[key] = np.frombuffer(raw.ljust(reader.doc_count_all(), b"\0"), dtype=np.uint8)
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


def _pool(searcher, scores: np.ndarray, marks: dict, request: MatchRequest,
          terms: list[str]) -> tuple[MatchPool, np.ndarray]:
    """Every scored document as a MatchPool, and the document numbers behind its rows."""
    docnums = np.flatnonzero(scores > 0)
    every_type, placed, eu_wide = _facts(searcher)
    if request.types:
        docnums = docnums[np.isin(every_type[docnums], request.types)]
    local = _mask(searcher, "country", request.countries)[docnums]

    def column(kind: str, key: str) -> np.ndarray:
        mark = marks.get((kind, key))
        return mark[docnums] if mark is not None else np.zeros(len(docnums), dtype=bool)

    pool = MatchPool(
        engine=scores[docnums], types=every_type[docnums], local=local,
        elsewhere=placed[docnums] & ~eu_wide[docnums] & ~local,
        setting=_mask(searcher, "setting", [request.setting] if request.setting else [])[docnums],
        terms={term: column("term", term) for term in terms},
        topics={topic: column("topic", topic) for topic in request.topics},
        concepts={concept: column("concept", concept) for concept in request.concepts},
    )
    return pool, docnums


def _mask(searcher, field: str, values: Iterable[str]) -> np.ndarray:
    """Which documents have one of the values in a facet field (from kept postings)."""
    mask = np.zeros(searcher.doc_count_all(), dtype=bool)
    for leaf, offset in searcher.leaf_searchers():
        for value in values:
            ids, _weights = _postings(leaf.reader(), field, value)
            mask[np.asarray(ids, dtype=np.int64) + offset] = True
    return mask


def _values(searcher, field: str) -> list[str]:
    """Every value of a facet field in the index."""
    return [term_text(value) for value in searcher.reader().lexicon(field)]


def _facts(searcher) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every document's type, whether it is placed in any country, whether EU-wide: the same
    for every match on this searcher's index, so built once and kept with its reader."""
    kept = _kept(searcher.reader())
    if "facts" not in kept:
        types = np.full(searcher.doc_count_all(), "", dtype=object)
        for value in _values(searcher, "type"):
            types[_mask(searcher, "type", [value])] = value
        kept["facts"] = (types, _mask(searcher, "country", _values(searcher, "country")),
                         _mask(searcher, "country", ["EU"]))
    return kept["facts"]


def _shared(pool: MatchPool, at: int) -> tuple[list[str], list[str]]:
    """The request's topics and concepts a candidate shares."""
    return ([topic for topic, has in pool.topics.items() if has[at]],
            [concept for concept, has in pool.concepts.items() if has[at]])


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
               token_map: dict, tokens: set, shared: tuple[list[str], list[str]]) -> MatchHit:
    """A MatchHit with its reasons (query words found, shared topics and concepts), its final
    score and snippet (the first passage of the shown version with a matched word)."""
    versions = stored["versions"]
    shown = best_language(versions, request.page_language, request.language)
    # Words are named only where the reader sees them: in the version shown.
    seen = {(field, token) for field, token in tokens if field.endswith(f"_{shown}")}
    found = {token_map.get(key) for key in seen}
    matched = [term for term in terms if term in found]
    topics, concepts = shared
    item_id, title, summary, body = versions[shown]
    return MatchHit(
        doc_id=stored["doc_id"], score=score, type=stored["type"], slug=stored["slug"],
        language=shown, title=title, item_id=item_id, languages=sorted(versions),
        matched_terms=matched, shared_topics=topics, shared_concepts=concepts,
        snippet=marked_snippet(summary, body, {token for _field, token in seen}),
        relevance=relevance(len(matched), len(terms), len(topics), len(request.topics)),
        countries=[c for c in (stored.get("country") or "").split(",") if c],
    )
