"""ALERT matching on the Whoosh index: a flat OR of key terms and topics over items, explained."""

from __future__ import annotations

from whoosh.query import Or, Query, Term

from app.core.text import LANGUAGES
from app.search.backend import MatchHit, MatchRequest, best_language, relevance
from app.search.snippets import marked_snippet
from app.search.whoosh_backend import top_results
from app.search.whoosh_schema import FIELD_BOOSTS

TOPIC_BOOST = 2.0  # a shared topic weighs like a well-placed key word
COUNTRY_BONUS = 0.15  # a match in the alert's country scores 15% more
COMMON_SHARE, COMMON_MIN_DOCS = 0.1, 1000  # ignore words in >10% of 1,000+ documents


class ArrayOr(Or):
    """OR that preloads its matches: far faster than Whoosh's binary union tree for the
    hundreds of term clauses a match query has (15 terms x 15 fields)."""

    matcher_type = Or.ARRAY_MATCHER


def match_in(searcher, request: MatchRequest, max_terms: int) -> list[MatchHit]:
    """Rank documents for an alert: key terms and topics (one flat OR), then country and
    language weigh the best candidates; each hit is explained."""
    terms = list(dict.fromkeys(t.strip() for t in request.terms if t.strip()))
    terms = terms[:max_terms]
    clauses, token_map = _term_clauses(searcher, terms)
    topics = [Term("topic", t, boost=TOPIC_BOOST) for t in request.topics]
    if not clauses and not topics:
        return []
    # Flat, preloaded OR, no per-document term recording and no block-quality bookkeeping
    # (asking an OR of ~50 clauses about block quality cost a fifth of the time): every
    # candidate is simply scored.
    results = top_results(
        searcher, ArrayOr(_discriminating(searcher, clauses) + topics), request.limit * 2,
        optimize=False,
        filter=Or([Term("type", t) for t in request.types]) if request.types else None,
    )
    found = _matched_tokens(searcher, clauses, [hit.docnum for hit in results])
    hits = [_match_hit(hit, request, terms, token_map, found[hit.docnum]) for hit in results]
    hits.sort(key=lambda pair: (-round(pair[0].score, 2),
                                request.language not in pair[0].languages))
    return [_with_snippet(hit, stored, tokens) for hit, stored, tokens in hits[: request.limit]]


def _term_clauses(searcher, terms: list[str]) -> tuple[list[Query], dict]:
    """Term queries for every language field where a term's token is indexed;
    (field, token) -> the request term, to explain matches."""
    reader = searcher.reader()
    clauses: list[Query] = []
    token_map: dict[tuple[str, str], str] = {}
    for lang in LANGUAGES:
        # title, summary and body of a language share one analyzer: analyse each term once.
        analyzer = searcher.schema[f"body_{lang}"].analyzer
        tokens = [(term, {tok.text for tok in analyzer(term)}) for term in terms]
        for part, boost in FIELD_BOOSTS.items():
            name = f"{part}_{lang}"
            for term, token in ((term, t) for term, found in tokens for t in found):
                if (name, token) not in token_map and (name, token) in reader:
                    token_map[(name, token)] = term
                    clauses.append(Term(name, token, boost=boost))
    return clauses, token_map


def _discriminating(searcher, clauses: list[Query]) -> list[Query]:
    """Leave out words found in more than COMMON_SHARE of a large index: they barely change
    the ranking but cost most of the time (they still count as matched words)."""
    total = searcher.doc_count()
    if total < COMMON_MIN_DOCS:
        return clauses
    reader = searcher.reader()
    return [c for c in clauses
            if reader.doc_frequency(c.fieldname, c.text) <= COMMON_SHARE * total]


def _matched_tokens(searcher, clauses: list[Query], docnums: list[int]) -> dict[int, set]:
    """Which (field, token) clauses each of a few documents contains (posting skips)."""
    found: dict[int, set] = {docnum: set() for docnum in docnums}
    ordered = sorted(docnums)
    reader = searcher.reader()
    for clause in clauses:
        if clause.fieldname == "topic":
            continue
        postings = reader.postings(clause.fieldname, clause.text)
        for docnum in ordered:
            if not postings.is_active():
                break
            if postings.id() < docnum:
                postings.skip_to(docnum)
            if postings.is_active() and postings.id() == docnum:
                found[docnum].add((clause.fieldname, clause.text))
    return found


def _match_hit(hit, request: MatchRequest, terms: list[str], token_map: dict,
               tokens: set) -> tuple[MatchHit, dict, set]:
    """A MatchHit with its reasons (query words found, shared topics) and weighted score,
    plus what its snippet needs (made for the kept hits only)."""
    found = {token_map.get(key) for key in tokens}
    matched = [term for term in terms if term in found]
    doc_topics = [t for t in (hit.get("topic") or "").split(",") if t]
    shared = [topic for topic in request.topics if topic in doc_topics]
    countries = [c for c in (hit.get("country") or "").split(",") if c]
    score = (hit.score or 0.0) * (1 + COUNTRY_BONUS * bool(set(countries) & set(request.countries)))
    versions = hit["versions"]
    shown = best_language(versions, request.page_language, request.language)
    result = MatchHit(
        doc_id=hit["doc_id"], score=score, type=hit["type"], slug=hit["slug"],
        language=shown, title=versions[shown][1], item_id=versions[shown][0],
        languages=sorted(versions), matched_terms=matched, shared_topics=shared, snippet="",
        relevance=relevance(len(matched), len(terms), len(shared), len(request.topics)),
        countries=countries,
    )
    return result, hit.fields(), {token for _field, token in tokens}


def _with_snippet(hit: MatchHit, stored: dict, tokens: set[str]) -> MatchHit:
    """Fill in the snippet: the first passage of the shown version with a matched word."""
    _item_id, _title, summary, body = stored["versions"][hit.language]
    hit.snippet = marked_snippet(summary, body, hit.language, tokens)
    return hit
