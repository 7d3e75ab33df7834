"""The database as a search backend: what answers while the index is missing or broken.
ILIKE over a bounded number of published rows, grouped into items like the index does."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

import numpy as np
from markupsafe import escape
from sqlalchemy import or_, select

from app.content.thesaurus import concept_counts
from app.core.text import content_words
from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import (
    FACETS,
    IndexStatus,
    MatchHit,
    MatchPool,
    MatchRequest,
    Progress,
    RelatedQuery,
    SearchDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
    best_language,
    engine_ranking,
    group_key,
    ranked_candidates,
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
        matched = [group for number, group in enumerate(groups)
                   if chosen >> number & 1 and _in_handbook(group, query)]
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
        """Items holding any key term (ILIKE), weighed by the request's ranking."""
        terms = [t for t in request.terms if t.strip()][:15]
        groups = published_groups(terms, require_all=False) if terms else []
        groups = [g for g in groups if not request.types or g.rows[0].type in request.types]
        facts = [_MatchFacts.of(group, request, terms) for group in groups]
        facts = [f for f in facts if f.score > 0]
        if not facts:
            return []
        pool = _pool(facts, request, terms)
        final = (request.ranking or engine_ranking)(pool)
        spoken = np.array([request.language in f.group.values("language") for f in facts])
        chosen = ranked_candidates(final, spoken, request.limit)
        return [facts[at].hit(request, terms, float(final[at])) for at in chosen]

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

    def indexed_ids(self) -> set[str]:
        """The published items (the database is trivially consistent with itself)."""
        return published_ids()

    def generation(self) -> str:
        """Always the same: the database."""
        return "database"

    def rebuilding(self) -> bool:
        """Nothing to rebuild."""
        return False

    def remove_stale(self) -> int:
        """Nothing left over."""
        return 0

    def status(self) -> IndexStatus:
        """Always healthy; the item count is the database's."""
        return IndexStatus(healthy=True, problem=None, documents=self.doc_count(), path="")


def published_ids() -> set[str]:
    """The document ids of every item with a published version (what an index must hold)."""
    pairs = db.session.execute(select(ContentItem.type, ContentItem.slug)
                               .where(ContentItem.status == "published").distinct())
    return {group_key(item_type, slug) for item_type, slug in pairs}


def _in_handbook(group: Group, query: SearchQuery) -> bool:
    """True unless the query asks for chapters of other handbooks (?handbook=, as the index)."""
    wanted = query.filters.get("handbook")
    return not wanted or group.rows[0].handbook_slug in wanted


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


@dataclass
class _MatchFacts:
    """What the ranking needs to know of one item: words, topics and concepts it holds."""

    group: Group
    matched: list[str]
    topics: list[str]
    concepts: list[str]
    countries: set[str]

    @classmethod
    def of(cls, group: Group, request: MatchRequest, terms: list[str]) -> _MatchFacts:
        """Read an item's versions for the request's terms, topics and concepts."""
        texts = {row.language: " ".join((row.title, row.summary or "", row.body or ""))
                 for row in group.rows}
        folded = " ".join(texts.values()).casefold()
        named = {concept for language, text in texts.items()
                 for concept in concept_counts(text, [language])}
        return cls(group=group, matched=[t for t in terms if t.casefold() in folded],
                   topics=[t for t in request.topics if t in group.values("topic")],
                   concepts=[c for c in request.concepts if c in named],
                   countries=group.values("country"))

    @property
    def score(self) -> float:
        """Matched terms, then shared topics and concepts count double."""
        return len(self.matched) + 2 * len(self.topics) + 2 * len(self.concepts)

    def hit(self, request: MatchRequest, terms: list[str], score: float) -> MatchHit:
        """The item as a MatchHit in the reader's language."""
        row = self.group.shown(request.page_language, request.language)
        seen = " ".join((row.title, row.summary or "", row.body or "")).casefold()
        return MatchHit(
            doc_id=self.group.doc_id, type=row.type, slug=row.slug, language=row.language,
            title=row.title, item_id=row.id,
            languages=sorted(r.language for r in self.group.rows), score=score,
            matched_terms=[t for t in self.matched if t.casefold() in seen],
            shared_topics=self.topics,
            shared_concepts=self.concepts, snippet=str(escape(row.summary or "")),
            relevance=relevance(len(self.matched), len(terms), len(self.topics),
                                len(request.topics)),
            countries=sorted(self.countries),
        )


def _pool(facts: list[_MatchFacts], request: MatchRequest, terms: list[str]) -> MatchPool:
    """The candidates as the columns a ranking reads."""
    countries = set(request.countries)

    def column(has) -> np.ndarray:
        return np.array([bool(has(fact)) for fact in facts], dtype=bool)

    local = column(lambda f: f.countries & countries)
    return MatchPool(
        engine=np.array([fact.score for fact in facts], dtype=float),
        terms={term: column(lambda f, t=term: t in f.matched) for term in terms},
        topics={topic: column(lambda f, t=topic: t in f.topics) for topic in request.topics},
        concepts={c: column(lambda f, c=c: c in f.concepts) for c in request.concepts},
        local=local, elsewhere=column(lambda f: f.countries and "EU" not in f.countries) & ~local,
        setting=column(lambda f: request.setting
                       and (f.group.rows[0].extra or {}).get("setting") == request.setting),
        types=np.array([fact.group.rows[0].type for fact in facts], dtype=object),
    )
