"""The one search interface. The database is the source of truth; any index can be rebuilt."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


@dataclass
class SearchDocument:
    """What the index knows of one library item (built from the database by documents.py)."""

    doc_id: str
    type: str
    slug: str
    language: str
    title: str
    summary: str
    body: str  # plain text (Markdown stripped), transcripts included
    topics: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    evidence: str | None = None
    content_date: date | None = None


@dataclass
class SearchQuery:
    """A user search: free text (limited syntax), facet filters, sort and page."""

    text: str = ""
    language: str = "en"  # the page language: ranks same-language results first on ties
    filters: dict[str, list[str]] = field(default_factory=dict)  # facet -> values (AND)
    sort: str = "relevance"  # relevance | newest | title
    page: int = 1
    per_page: int = 20
    autocorrect: bool = True  # False: never replace a query that finds nothing by its correction


@dataclass
class SearchHit:
    """One result with a highlighted snippet (HTML with <mark>, safe to render)."""

    doc_id: str
    score: float
    type: str
    slug: str
    language: str
    title: str
    snippet: str = ""


@dataclass
class SearchPage:
    """A page of results with facet counts, a did-you-mean and a fallback flag."""

    hits: list[SearchHit]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean": the query with spelling corrected
    corrected: bool = False  # True when the hits are for `suggestion` (the query found none)
    broadened: bool = False  # True when no document had all the words: some of them shown
    fallback: bool = False  # True when the index was unusable and the database answered


@dataclass
class MatchRequest:
    """ALERT matching: key terms (already extracted) plus structured signals that weight."""

    terms: list[str]
    topics: list[str] = field(default_factory=list)
    language: str = "en"
    countries: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)  # empty: all types
    limit: int = 20


@dataclass
class MatchHit(SearchHit):
    """One matched document and why: the query words it contains and the shared topics."""

    matched_terms: list[str] = field(default_factory=list)
    shared_topics: list[str] = field(default_factory=list)
    relevance: float = 0.0  # 0..1: key-term coverage (60%) and topic overlap (40%)


Progress = Callable[[int], None]


class SearchBackend(Protocol):
    """Index, remove, search, match, rebuild: nothing outside app/search knows Whoosh."""

    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents."""

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove documents by id."""

    def search(self, query: SearchQuery) -> SearchPage:
        """Answer a user search."""

    def match(self, request: MatchRequest) -> list[MatchHit]:
        """Rank documents for an alert."""

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        """Autocomplete suggestions for the search box."""

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress: Progress) -> None:
        """Build a fresh index from scratch and swap it in."""

    def is_healthy(self) -> bool:
        """False when the index is missing, corrupt or of an old schema version."""
