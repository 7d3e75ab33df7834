"""The database as a search backend: what answers while the index is missing or broken.
ILIKE over a bounded number of published rows, grouped into items like the index does."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from markupsafe import escape
from sqlalchemy import or_, select

from app.core.text import content_words
from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import (
    FACETS,
    IndexStatus,
    MatchHit,
    MatchRequest,
    Progress,
    RelatedQuery,
    SearchDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
    best_language,
    group_key,
    relevance,
)
from app.search.facets import FacetTable, bitset

FALLBACK_LIMIT = 2000  # rows the database fallback reads at most


@dataclass
class Group:
    """One item's matching published rows."""

    doc_id: str
    rows: list[ContentItem]

    def shown(self, *preferred: str | None) -> ContentItem:
        """The row in the first preferred language the item has (else English, else any)."""
        by_language = {row.language: row for row in self.rows}
        return by_language[best_language(by_language, *preferred)]

    def values(self, facet: str) -> set[str]:
        """The item's values of one facet, across its versions."""
        found: set[str] = set()
        for row in self.rows:
            value = {"type": row.type, "topic": row.topics, "country": row.countries,
                     "language": row.language, "audience": row.audience,
                     "evidence": row.evidence}[facet]
            found.update(value if isinstance(value, list) else [value] if value else [])
        return found


def published_groups(words: list[str], require_all: bool) -> list[Group]:
    """Items with published rows whose title, summary or body contains the words (ILIKE)."""
    clauses = [
        or_(*(column.ilike(f"%{_escape_like(word)}%", escape="\\")
              for column in (ContentItem.title, ContentItem.summary, ContentItem.body)))
        for word in words
    ]
    statement = select(ContentItem).where(ContentItem.status == "published")
    if clauses:
        statement = statement.where(*clauses) if require_all else statement.where(or_(*clauses))
    rows = db.session.scalars(statement.order_by(ContentItem.type, ContentItem.slug)
                              .limit(FALLBACK_LIMIT))
    return [Group(group_key(*key), list(rows))
            for key, rows in groupby(rows, key=lambda row: (row.type, row.slug))]


def _escape_like(word: str) -> str:
    """Escape LIKE wildcards in user input."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def facet_table(groups: list[Group]) -> FacetTable:
    """The groups' facet values as bitsets (group n is bit n), counted like the index does."""
    values: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for number, group in enumerate(groups):
        for name in FACETS:
            for value in group.values(name):
                values[name][value] = values[name].get(value, 0) | 1 << number
    return FacetTable(live=bitset(range(len(groups)), len(groups)), values=values,
                      size=len(groups))


class DatabaseBackend:
    """SearchBackend over the database: no word forms, spelling help or ranking."""

    path = None

    def search(self, query: SearchQuery) -> SearchPage:
        """ILIKE search: every word somewhere in a version; facets and pages as the index."""
        groups = published_groups(content_words(query.text)[:10], require_all=True)
        table = facet_table(groups)
        chosen = table.live
        for bits in table.chosen({k: v for k, v in query.filters.items() if k in FACETS}).values():
            chosen &= bits
        matched = [group for number, group in enumerate(groups) if chosen >> number & 1]
        matched.sort(**_order(query))
        start = (max(1, query.page) - 1) * query.per_page
        hits = [_hit(group, query.language) for group in matched[start:start + query.per_page]]
        return SearchPage(
            hits=hits, total=len(matched), page=max(1, query.page),
            pages=math.ceil(len(matched) / query.per_page) if matched else 0,
            facets=table.counts(table.live, query.filters) if query.facets else {},
            fallback=True,
        )

    def related(self, query: RelatedQuery) -> list[SearchHit]:
        """Items sharing topics, counted over a bounded number of rows."""
        wanted = set(query.topics)
        groups = [g for g in published_groups([], require_all=True)
                  if g.doc_id != query.doc_id and not _same_handbook(g, query.handbook)]
        scored = [(len(wanted & g.values("topic")), g) for g in groups]
        scored = sorted((pair for pair in scored if pair[0]),
                        key=lambda pair: (-pair[0], pair[1].doc_id))
        return [_hit(group, query.language) for _score, group in scored[: query.limit]]

    def match(self, request: MatchRequest) -> list[MatchHit]:
        """Any key term (ILIKE) or shared topic, counted here."""
        terms = [t for t in request.terms if t.strip()][:15]
        groups = published_groups(terms, require_all=False) if terms else []
        hits = [_match_hit(group, request, terms) for group in groups
                if not request.types or group.rows[0].type in request.types]
        hits = [hit for hit in hits if hit.matched_terms or hit.shared_topics]
        hits.sort(key=lambda hit: -hit.score)
        return hits[: request.limit]

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        """No autocomplete without the index."""
        return []

    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Nothing to do: the database is the source of truth."""

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Nothing to do: the database is the source of truth."""

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress: Progress) -> None:
        """Nothing to build."""

    def optimize(self) -> None:
        """Nothing to merge."""

    def is_healthy(self) -> bool:
        """The database always answers."""
        return True

    def problem(self) -> str | None:
        """No problem of its own."""
        return None

    def doc_count(self) -> int:
        """Published items."""
        from app.search.documents import published_count

        return published_count()

    def status(self) -> IndexStatus:
        """Always healthy; the item count is the database's."""
        return IndexStatus(healthy=True, problem=None, documents=self.doc_count(), path="")


def _same_handbook(group: Group, handbook: str | None) -> bool:
    """True for chapters of the given handbook and for chapters after the first."""
    row = group.rows[0]
    return bool(row.handbook_slug) and (row.handbook_slug == handbook or (row.position or 1) > 1)


def _order(query: SearchQuery) -> dict:
    """sort() arguments (no relevance without an index: newest first, or titles)."""
    if query.sort == "title":
        return {"key": lambda group: group.shown(query.language).title.casefold()}
    return {"key": lambda group: (group.rows[0].content_date is not None,
                                  group.rows[0].content_date), "reverse": True}


def _hit(group: Group, language: str) -> SearchHit:
    """A hit in the reader's language whose snippet is the escaped summary."""
    row = group.shown(language)
    return SearchHit(doc_id=group.doc_id, score=0.0, type=row.type, slug=row.slug,
                     language=row.language, title=row.title, item_id=row.id,
                     languages=sorted(r.language for r in group.rows),
                     snippet=str(escape(row.summary)))


def _match_hit(group: Group, request: MatchRequest, terms: list[str]) -> MatchHit:
    """Score by matched terms, shared topics and country."""
    text = " ".join(" ".join((r.title, r.summary or "", r.body or "")) for r in group.rows)
    text = text.casefold()
    matched = [term for term in terms if term.casefold() in text]
    shared = [topic for topic in request.topics if topic in group.values("topic")]
    countries = sorted(group.values("country"))
    row = group.shown(request.page_language, request.language)
    return MatchHit(
        doc_id=group.doc_id, type=row.type, slug=row.slug, language=row.language,
        title=row.title, item_id=row.id, languages=sorted(r.language for r in group.rows),
        score=len(matched) + 2 * len(shared) + 0.5 * bool(set(request.countries) & set(countries)),
        matched_terms=matched, shared_topics=shared, snippet=str(escape(row.summary or "")),
        relevance=relevance(len(matched), len(terms), len(shared), len(request.topics)),
        countries=countries,
    )
