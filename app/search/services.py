"""Search services: the app's backend (the index, the database while it is unusable), rebuild."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from app.search.backend import (
    IndexStatus,
    MatchHit,
    MatchRequest,
    Progress,
    RelatedQuery,
    SearchBackend,
    SearchDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
)
from app.search.database_backend import DatabaseBackend
from app.search.documents import documents_for_rebuild, published_count
from app.search.whoosh_backend import IndexUnavailable, WhooshBackend

log = logging.getLogger(__name__)
EXTENSION_KEY = "search_backend"


@dataclass
class RebuildSummary:
    """What a rebuild did."""

    count: int
    seconds: float


class ResilientBackend:
    """The index answers; while it is unusable, or when it fails, the database does (the one
    place with a fallback). Writes go to the index only."""

    def __init__(self, primary: SearchBackend, fallback: SearchBackend) -> None:
        self.primary, self.fallback = primary, fallback
        self.path: Path | None = primary.path

    def _read(self, method: str, *args):
        """Call the index, or the database when the index cannot answer (missing, being
        rebuilt, or failing: only a failure is logged, without the query)."""
        try:
            return getattr(self.primary, method)(*args)
        except IndexUnavailable:
            pass
        except Exception as error:  # noqa: BLE001 - a broken index must not break the page
            log.warning("search: index failed in %s, the database answers (%s)",
                        method, type(error).__name__)
        return getattr(self.fallback, method)(*args)

    def search(self, query: SearchQuery) -> SearchPage:
        """A search or a list page."""
        return self._read("search", query)

    def related(self, query: RelatedQuery) -> list[SearchHit]:
        """Related items."""
        return self._read("related", query)

    def match(self, request: MatchRequest) -> list[MatchHit]:
        """ALERT candidates."""
        return self._read("match", request)

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        """Autocomplete."""
        return self._read("suggest", prefix, language, limit)

    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace items in the index."""
        self.primary.index(documents)

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove items from the index."""
        self.primary.remove(doc_ids)

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress: Progress) -> None:
        """Build a fresh index."""
        self.primary.rebuild(documents, total, progress)

    def optimize(self) -> None:
        """Merge the index's segments."""
        self.primary.optimize()

    def is_healthy(self) -> bool:
        """Whether the index itself is usable."""
        return self.primary.is_healthy()

    def problem(self) -> str | None:
        """Why the index is unusable."""
        return self.primary.problem()

    def doc_count(self) -> int:
        """Items in the index."""
        return self.primary.doc_count()

    def status(self) -> IndexStatus:
        """The index's status."""
        return self.primary.status()


def init_search(app: Flask) -> None:
    """Create the app's backend and listen for commits that queued index changes."""
    from app.search.hooks import register_session_hooks

    index = WhooshBackend(
        app.config["INDEX_DIR"],
        lock_timeout=float(app.config.get("SEARCH_LOCK_TIMEOUT", 1.0)),
        max_terms=int(app.config.get("MATCH_MAX_TERMS", 12)),
    )
    app.extensions[EXTENSION_KEY] = ResilientBackend(index, DatabaseBackend())
    register_session_hooks()


def get_backend() -> SearchBackend:
    """The current app's search backend (nothing outside app/search imports Whoosh)."""
    return current_app.extensions[EXTENSION_KEY]


def search_library(query: SearchQuery) -> SearchPage:
    """Search or list items (from the database, flagged fallback, while the index is down)."""
    return get_backend().search(query)


def related_items(query: RelatedQuery) -> list[SearchHit]:
    """Items related to one item by shared topics."""
    return get_backend().related(query)


def suggest(prefix: str, language: str, limit: int = 8) -> list[str]:
    """Autocomplete suggestions (none while the index is unusable)."""
    return get_backend().suggest(prefix, language, limit)


def match_documents(request: MatchRequest) -> list[MatchHit]:
    """Rank library items for an alert, explained."""
    return get_backend().match(request)


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
    """Health, reason, item count, queue length and folder, for `flask search status`."""
    from app.search.hooks import pending_count

    status = get_backend().status()
    return {"healthy": status.healthy, "problem": status.problem,
            "documents": status.documents, "published": published_count(),
            "queued": pending_count(), "path": status.path}
