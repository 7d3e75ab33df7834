"""The one search interface. The unit is an item (a translation group: type + slug) with its
language versions; the database is the source of truth and any index can be rebuilt from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import numpy as np

# The facets, defined once: URL argument = SearchQuery.filters key = SearchPage.facets key.
FACETS = ("type", "topic", "country", "language", "audience", "evidence")
# Filters that narrow lists without being shown as facets (trainers' languages, a handbook).
LIST_FILTERS = ("speaks", "handbook")
FILTERS = FACETS + LIST_FILTERS
FALLBACK_LANGUAGE = "en"


def group_key(item_type: str, slug: str) -> str:
    """The document id of an item: its translation group ("case:berlin-swastika")."""
    return f"{item_type}:{slug}"


def best_language(available: Iterable[str], *preferred: str | None) -> str:
    """The language to show: the first preferred one the item has, then English, then any."""
    have = list(available)
    for language in (*preferred, FALLBACK_LANGUAGE):
        if language and language in have:
            return language
    return sorted(have)[0] if have else FALLBACK_LANGUAGE


@dataclass
class Version:
    """One published language version of an item, as the index knows it."""

    item_id: int
    language: str
    title: str
    summary: str
    body: str  # plain text (Markdown stripped), transcripts and case details included


@dataclass
class SearchDocument:
    """One library item with all its published language versions (built by documents.py)."""

    doc_id: str  # group_key(type, slug)
    type: str
    slug: str
    versions: list[Version]
    topics: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    evidence: str | None = None
    content_date: date | None = None
    handbook: str | None = None  # chapters: the handbook's slug
    position: int | None = None  # chapters: the chapter number
    speaks: list[str] = field(default_factory=list)  # trainers: languages they train in
    deadline: date | None = None  # donors: the next call's deadline
    rolling: bool = False  # donors: applications any time
    # Thesaurus concept ids named in the text, once per mention (the most in any version).
    concepts: list[str] = field(default_factory=list)
    setting: str | None = None  # cases: the ALERT setting it happened in

    @property
    def languages(self) -> list[str]:
        """The languages the item exists in."""
        return [version.language for version in self.versions]


@dataclass
class SearchQuery:
    """A user search or a list: free text (limited syntax), filters, sort and page."""

    text: str = ""
    language: str = "en"  # the page language: shown first, ranks first on ties
    filters: dict[str, list[str]] = field(default_factory=dict)  # FILTERS key -> values
    sort: str = "relevance"  # relevance | newest | title | deadline
    page: int = 1
    per_page: int = 20
    autocorrect: bool = True  # False: never replace a query that finds nothing by its correction
    facets: bool = True  # False: lists that show no facets skip counting them
    open_on: date | None = None  # donors: only calls open on that day (rolling or deadline)
    closed_on: date | None = None  # donors: only calls closed on that day


@dataclass
class SearchHit:
    """One item, shown in one language, with a highlighted snippet (HTML with <mark>)."""

    doc_id: str
    score: float
    type: str
    slug: str
    language: str  # the language shown
    title: str
    snippet: str = ""
    item_id: int | None = None  # the ContentItem row of the version shown
    languages: list[str] = field(default_factory=list)  # every language the item exists in

    @property
    def other_languages(self) -> list[str]:
        """The languages besides the one shown ("also in ...")."""
        return [code for code in self.languages if code != self.language]


@dataclass
class SearchPage:
    """A page of items with facet counts, a did-you-mean and a fallback flag."""

    hits: list[SearchHit]
    total: int  # items, not language versions
    page: int
    pages: int
    # Per facet, (value, count): count = the items the page lists once the value is chosen.
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean": the query with spelling corrected
    corrected: bool = False  # True when the hits are for `suggestion` (the query found none)
    broadened: bool = False  # True when few items had all the words: some of them shown too
    with_every_word: int = 0  # when broadened: how many items have every word
    fallback: bool = False  # True when the index was unusable and the database answered


@dataclass
class RelatedQuery:
    """Items related to one item: sharing its topics, not itself, not its handbook."""

    doc_id: str
    topics: list[str]
    language: str
    handbook: str | None = None
    limit: int = 5


@dataclass
class MatchPool:
    """Every candidate item of a match as aligned columns (numpy arrays, one entry per
    candidate), so that a caller's ranking weighs the whole pool at once."""

    engine: np.ndarray  # the engine's score: key words, concepts and topics (BM25F)
    terms: dict[str, np.ndarray]  # request term -> the candidate holds it
    topics: dict[str, np.ndarray]  # request topic -> the candidate has it
    concepts: dict[str, np.ndarray]  # request concept -> the candidate names it
    local: np.ndarray  # the candidate is placed in one of the request's countries
    elsewhere: np.ndarray  # placed in other countries only (not EU-wide, not unplaced)
    setting: np.ndarray  # a case from the request's setting
    types: np.ndarray  # the candidate's type (str)

    def __len__(self) -> int:
        """How many candidates there are."""
        return len(self.engine)


Ranking = Callable[[MatchPool], np.ndarray]  # final scores; -inf drops a candidate


@dataclass
class MatchRequest:
    """ALERT matching: key terms and concepts (already extracted) plus structured signals.
    `ranking` scores every candidate; without it the engine's score (country first) ranks."""

    terms: list[str]
    topics: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)
    language: str = "en"  # the alert text's language
    page_language: str | None = None  # shown first when the item has it
    countries: list[str] = field(default_factory=list)
    setting: str | None = None
    types: list[str] = field(default_factory=list)  # empty: all types
    limit: int = 20  # items returned (after ranking the whole pool)
    ranking: Ranking | None = None


@dataclass
class MatchHit(SearchHit):
    """One matched item and why: the query words it contains, shared topics and concepts."""

    matched_terms: list[str] = field(default_factory=list)
    shared_topics: list[str] = field(default_factory=list)
    shared_concepts: list[str] = field(default_factory=list)
    relevance: float = 0.0  # 0..1: key-term coverage (60%) and topic overlap (40%)
    countries: list[str] = field(default_factory=list)


COUNTRY_BONUS = 0.15  # without a ranking: a match in the alert's country scores 15% more


def engine_ranking(pool: MatchPool) -> np.ndarray:
    """The default ranking: the engine's score, 15% more in the request's countries."""
    return pool.engine * (1 + COUNTRY_BONUS * pool.local)


def ranked_candidates(final: np.ndarray, spoken: np.ndarray, limit: int) -> list[int]:
    """Positions of the `limit` best candidates: higher score first, then those in the alert's
    language, then pool order; candidates scored -inf are left out."""
    kept = np.flatnonzero(np.isfinite(final))
    order = np.lexsort((kept, ~spoken[kept], -np.round(final[kept], 2)))
    return kept[order][:limit].tolist()


@dataclass
class IndexStatus:
    """What `flask search status` and the services need to know of a backend."""

    healthy: bool  # searchable and writable
    problem: str | None
    documents: int
    path: str
    searchable: bool = True  # searches use the index (even when its folder is read-only or full)
    writable: bool = True  # saves and rebuilds can write the folder
    rebuilding: bool = False  # a live process is building a new index


def relevance(matched: int, terms: int, shared: int, topics: int) -> float:
    """A 0..1 level: five matched key terms count as full coverage; topics weigh 40%."""
    term_part = min(1.0, matched / max(1, min(terms, 5))) if terms else 0.0
    if not topics:
        return round(term_part, 3)
    return round(0.6 * term_part + 0.4 * (shared / topics), 3)


Progress = Callable[[int], None]


class SearchBackend(Protocol):
    """Everything services call; nothing outside app/search knows Whoosh or SQL fallbacks."""

    path: Path | None

    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace items."""

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove items by document id."""

    def search(self, query: SearchQuery) -> SearchPage:
        """Answer a user search or list a page of items."""

    def related(self, query: RelatedQuery) -> list[SearchHit]:
        """Items sharing the most topics with one item."""

    def match(self, request: MatchRequest) -> list[MatchHit]:
        """Rank items for an alert."""

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        """Autocomplete suggestions for the search box."""

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress: Progress) -> None:
        """Build a fresh index from scratch and swap it in."""

    def optimize(self) -> None:
        """Merge the index into one segment (the scheduled job and after a rebuild)."""

    def is_healthy(self) -> bool:
        """False when the index is missing, corrupt or of an old schema version."""

    def problem(self) -> str | None:
        """Why the backend cannot answer, or None."""

    def doc_count(self) -> int:
        """Items in the index."""

    def indexed_ids(self) -> set[str]:
        """The document ids of every item in the index (what reconciling compares)."""

    def generation(self) -> str:
        """Which index answers now; changes when a rebuild swaps a new one in."""

    def rebuilding(self) -> bool:
        """True while a rebuild is really under way (in any process)."""

    def remove_stale(self) -> int:
        """Delete leftovers of earlier rebuilds; returns how many went."""

    def status(self) -> IndexStatus:
        """Health, reason, item count and folder."""
