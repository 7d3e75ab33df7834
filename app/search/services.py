"""Search services: the app's backend, searching with a database fallback, matching, rebuild."""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import dataclass

from flask import Flask, current_app
from markupsafe import escape
from sqlalchemy import or_, select

from app.core.text import content_words
from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import (
    MatchHit,
    MatchRequest,
    SearchBackend,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from app.search.documents import documents_for_rebuild, published_count
from app.search.whoosh_backend import FACETS, WhooshBackend
from app.search.whoosh_match import relevance

log = logging.getLogger(__name__)
EXTENSION_KEY = "search_backend"
FALLBACK_LIMIT = 2000  # rows the database fallback ranks at most


@dataclass
class RebuildSummary:
    """What a rebuild did."""

    count: int
    seconds: float


def init_search(app: Flask) -> None:
    """Create the app's backend and listen for commits that queued index changes."""
    from app.search.hooks import register_session_hooks

    app.extensions[EXTENSION_KEY] = WhooshBackend(
        app.config["INDEX_DIR"],
        lock_timeout=float(app.config.get("SEARCH_LOCK_TIMEOUT", 1.0)),
        max_terms=int(app.config.get("MATCH_MAX_TERMS", 15)),
    )
    register_session_hooks()


def get_backend() -> SearchBackend:
    """The current app's search backend (nothing outside app/search imports Whoosh)."""
    return current_app.extensions[EXTENSION_KEY]


def search_library(query: SearchQuery) -> SearchPage:
    """Search the index; when it is unusable, answer from the database with fallback=True."""
    backend = get_backend()
    if backend.is_healthy():
        try:
            return backend.search(query)
        except Exception as error:  # noqa: BLE001 - a broken index must not break the page
            log.warning("search: index failed, answering from the database (%s)", error)
    return database_search(query)


def suggest(prefix: str, language: str, limit: int = 8) -> list[str]:
    """Autocomplete suggestions; none while the index is unusable."""
    backend = get_backend()
    try:
        return backend.suggest(prefix, language, limit) if backend.is_healthy() else []
    except Exception as error:  # noqa: BLE001
        log.warning("search: suggestions failed (%s)", error)
        return []


def match_documents(request: MatchRequest) -> list[MatchHit]:
    """Rank library items for an alert, explained; from the database when the index is down."""
    backend = get_backend()
    if backend.is_healthy():
        try:
            return backend.match(request)
        except Exception as error:  # noqa: BLE001
            log.warning("search: matching failed, using the database (%s)", error)
    return database_match(request)


def rebuild_index(progress=None) -> RebuildSummary:
    """Build a fresh index from the database, swap it in, and drop the now-applied queue."""
    from app.accounts.models import utcnow
    from app.search.hooks import clear_queue_before

    started, clock = utcnow(), time.perf_counter()
    total = published_count()
    get_backend().rebuild(documents_for_rebuild(), total, progress or (lambda _n: None))
    clear_queue_before(started)
    return RebuildSummary(count=total, seconds=time.perf_counter() - clock)


def index_status() -> dict:
    """Health, reason, document count, queue length and folder, for `flask search status`."""
    from app.search.hooks import pending_count

    backend = get_backend()
    problem = backend.problem()
    return {
        "healthy": problem is None,
        "problem": problem,
        "documents": backend.doc_count() if problem is None else 0,
        "published": published_count(),
        "queued": pending_count(),
        "path": str(backend.path),
    }


# Database fallback -------------------------------------------------------------------------


def _published_rows(text_terms: list[str], require_all: bool) -> list[ContentItem]:
    """Published items whose title, summary or body contains the words (ILIKE)."""
    clauses = [
        or_(*(column.ilike(f"%{_escape_like(word)}%", escape="\\")
              for column in (ContentItem.title, ContentItem.summary, ContentItem.body)))
        for word in text_terms
    ]
    statement = select(ContentItem).where(ContentItem.status == "published")
    if clauses:
        statement = statement.where(*clauses) if require_all else statement.where(or_(*clauses))
    return list(db.session.scalars(statement.order_by(ContentItem.title).limit(FALLBACK_LIMIT)))


def _escape_like(word: str) -> str:
    """Escape LIKE wildcards in user input."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _facet_values(item: ContentItem, name: str) -> list[str]:
    """An item's values for one facet."""
    value = {"type": item.type, "topic": item.topics, "country": item.countries,
             "language": item.language, "audience": item.audience,
             "evidence": item.evidence}[name]
    if isinstance(value, list):
        return [v for v in value if v]
    return [value] if value else []


def _passes(item: ContentItem, filters: dict[str, list[str]], skip: str | None = None) -> bool:
    """AND across facets, OR within one (JSON lists are filtered here, portable across DBs)."""
    return all(
        set(values) & set(_facet_values(item, name))
        for name, values in filters.items()
        if name != skip and name in FACETS and values
    )


def database_search(query: SearchQuery) -> SearchPage:
    """The fallback: ILIKE over published items, facet counts and pages computed here."""
    rows = _published_rows(content_words(query.text)[:10], require_all=True)
    matched = [item for item in rows if _passes(item, query.filters)]
    matched.sort(**_fallback_order(query.sort))
    start = (max(1, query.page) - 1) * query.per_page
    hits = [_fallback_hit(item) for item in matched[start:start + query.per_page]]
    return SearchPage(
        hits=hits, total=len(matched), page=max(1, query.page),
        pages=math.ceil(len(matched) / query.per_page) if matched else 0,
        facets=_fallback_facets(rows, query.filters), fallback=True,
    )


def _fallback_order(sort: str) -> dict:
    """sort() arguments for the fallback's orders (no relevance without an index: newest)."""
    if sort == "title":
        return {"key": lambda item: item.title.casefold()}
    return {"key": lambda item: (item.content_date is not None, item.content_date), "reverse": True}


def _fallback_facets(rows: list[ContentItem], filters: dict) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value, each facet's own filter left out (as the index does)."""
    facets = {}
    for name in FACETS:
        counts = Counter(
            value for item in rows if _passes(item, filters, skip=name)
            for value in _facet_values(item, name)
        )
        facets[name] = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return facets


def _fallback_hit(item: ContentItem) -> SearchHit:
    """A hit whose snippet is the escaped summary."""
    return SearchHit(doc_id=item.doc_id, score=0.0, type=item.type, slug=item.slug,
                     language=item.language, title=item.title, snippet=str(escape(item.summary)))


def database_match(request: MatchRequest) -> list[MatchHit]:
    """Matching without an index: any key term (ILIKE) or shared topic, counted here."""
    terms = [t for t in request.terms if t.strip()][:15]
    rows = _published_rows(terms, require_all=False) if terms else []
    if request.types:
        rows = [item for item in rows if item.type in request.types]
    hits = [_fallback_match_hit(item, request, terms) for item in rows]
    hits = [hit for hit in hits if hit.matched_terms or hit.shared_topics]
    hits.sort(key=lambda h: (-h.score, h.language != request.language))
    return hits[: request.limit]


def _fallback_match_hit(item: ContentItem, request: MatchRequest, terms: list[str]) -> MatchHit:
    """Score by matched terms, shared topics and country."""
    text = " ".join((item.title, item.summary or "", item.body or "")).casefold()
    matched = [term for term in terms if term.casefold() in text]
    shared = [topic for topic in request.topics if topic in (item.topics or [])]
    country = bool(set(request.countries) & set(item.countries or []))
    return MatchHit(
        doc_id=item.doc_id, score=len(matched) + 2 * len(shared) + 0.5 * country,
        type=item.type, slug=item.slug, language=item.language, title=item.title,
        matched_terms=matched, shared_topics=shared, snippet=str(escape(item.summary or "")),
        relevance=relevance(len(matched), len(terms), len(shared), len(request.topics)),
    )
