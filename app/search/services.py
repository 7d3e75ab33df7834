"""Search services: the app's backend (the index, the database while it is unusable), rebuild."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
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
from app.search.database_backend import DatabaseBackend, published_ids
from app.search.documents import documents_for_rebuild, published_count
from app.search.whoosh_backend import IndexUnavailable, WhooshBackend

log = logging.getLogger(__name__)
HEAL_JOB = "search.heal"  # the worker checks the index and rebuilds it when it is damaged
# Personal data left an indexed item (a withdrawn report quoted in a lesson): once the change
# is applied, the index merges its segments, so no file keeps the deleted version's text.
PURGE_JOB = "search.purge"
EXTENSION_KEY = "search_backend"
# A rebuild replays the changes that were not yet committed when it started reading, looking
# back this far before its start: a change is stamped when its transaction flushes but seen
# only once it commits (a long transaction may commit after the rebuild read the database),
# and app servers' clocks differ a little. Older changes count as read by the rebuild.
REPLAY_MARGIN = timedelta(seconds=300)
_fallbacks = 0  # searches the database answered in this process (fallback_count)
_FALLBACK_LOCK = threading.Lock()


def fallback_count() -> int:
    """How many reads the database answered instead of the index, in this process."""
    return _fallbacks


def _note_fallback(method: str, error: Exception) -> None:
    """Count a fallback and log one line: the method and the reason, never the query."""
    global _fallbacks
    with _FALLBACK_LOCK:
        _fallbacks += 1
    reason = str(error) if isinstance(error, IndexUnavailable) else type(error).__name__
    log.warning("search: the database answered a %s call, the index could not (%s)",
                method, reason)
    if not isinstance(error, IndexUnavailable):
        _ask_worker_to_heal()


def _ask_worker_to_heal() -> None:
    """A read of the index failed (a damaged file?): queue one job for the worker to rebuild
    it, in a session of its own (the request's unit of work is not ours to commit)."""
    from app.core.jobs import Job

    try:
        with Session(db.engine) as session:
            if session.scalar(select(Job.id).where(Job.kind == HEAL_JOB,
                                                   Job.state == "queued").limit(1)) is None:
                session.add(Job(kind=HEAL_JOB, payload={}))
                session.commit()
    except Exception as error:  # noqa: BLE001 - the page is answered all the same
        log.warning("search: could not ask the worker to rebuild (%s)", type(error).__name__)


@dataclass
class RebuildSummary:
    """What a rebuild did."""

    count: int
    seconds: float


@dataclass
class ReconcileSummary:
    """Items in the index and published ones before reconciling, and what it repaired."""

    indexed: int
    published: int
    added: int
    removed: int


class ResilientBackend:
    """The index answers; while it is unusable, or when it fails, the database does (the one
    place with a fallback). Writes go to the index only."""

    def __init__(self, primary: SearchBackend, fallback: SearchBackend) -> None:
        self.primary, self.fallback = primary, fallback
        self.path: Path | None = primary.path

    def _read(self, method: str, *args):
        """Call the index, or the database when the index cannot answer (missing, damaged,
        of an old schema or failing); every fallback is counted and logged."""
        try:
            return getattr(self.primary, method)(*args)
        except Exception as error:  # noqa: BLE001 - a broken index must not break the page
            _note_fallback(method, error)
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

    def indexed_ids(self) -> set[str]:
        """The items in the index itself (no fallback: reconciling compares the index)."""
        return self.primary.indexed_ids()

    def generation(self) -> str:
        """The index's live generation."""
        return self.primary.generation()

    def rebuilding(self) -> bool:
        """Whether the index is being rebuilt."""
        return self.primary.rebuilding()

    def remove_stale(self) -> int:
        """Delete the index's leftovers."""
        return self.primary.remove_stale()

    def status(self) -> IndexStatus:
        """The index's status."""
        return self.primary.status()


def init_search(app: Flask) -> None:
    """Create the app's backend and listen for commits that queued index changes."""
    from app.search import tasks  # noqa: F401 - registers the scheduled upkeep
    from app.search.hooks import register_session_hooks

    index = WhooshBackend(
        app.config["INDEX_DIR"],
        lock_timeout=float(app.config.get("SEARCH_LOCK_TIMEOUT", 1.0)),
        max_terms=int(app.config.get("MATCH_MAX_TERMS", 12)),
        min_free_mb=int(app.config.get("INDEX_MIN_FREE_MB", 50)),
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


def rebuild_in_progress() -> bool:
    """True while a rebuild is really under way (the library page says so)."""
    return get_backend().rebuilding()


def rebuild_index(progress=None) -> RebuildSummary:
    """Build a fresh index from the database and swap it in; then replay the changes that
    committed while it read (saves during the rebuild went to the old index)."""
    from app.accounts.models import utcnow
    from app.search.hooks import apply_pending, committed_since, settle_after_rebuild

    clock = time.perf_counter()
    since = utcnow() - REPLAY_MARGIN
    seen = committed_since(since)
    total = published_count()
    get_backend().rebuild(documents_for_rebuild(), total, progress or (lambda _n: None))
    db.session.commit()  # ends the long read: PostgreSQL would hold its snapshot and locks
    settle_after_rebuild(since, seen)
    apply_pending()
    return RebuildSummary(count=total, seconds=time.perf_counter() - clock)


def reconcile_index() -> ReconcileSummary:
    """Apply the queue, then make the index hold exactly the published items (added when
    missing, removed when extra); raises IndexUnavailable when there is no usable index."""
    from app.search.hooks import apply_pending, refresh_items

    apply_pending()
    indexed, published = get_backend().indexed_ids(), published_ids()
    missing, extra = published - indexed, indexed - published
    refresh_items(sorted(missing | extra))
    if missing or extra:
        log.warning("search: reconciling repaired the index: %d items added, %d removed",
                    len(missing), len(extra))
    return ReconcileSummary(indexed=len(indexed), published=len(published),
                            added=len(missing), removed=len(extra))


def index_status() -> dict:
    """Health, reason, counts, queue length and folder, for `flask search status` and the
    health endpoints."""
    from app.search.hooks import pending_count

    status = get_backend().status()
    return {"healthy": status.healthy, "problem": status.problem,
            "searchable": status.searchable, "rebuilding": status.rebuilding,
            "documents": status.documents, "published": published_count(),
            "queued": pending_count(), "path": status.path}


def index_differences() -> tuple[int, int] | None:
    """(published items missing from the index, indexed items not published), or None while
    the index cannot be read; reads every indexed id (a quarter second at 10,000 items)."""
    try:
        indexed = get_backend().indexed_ids()
    except Exception:  # noqa: BLE001 - status reports why the index cannot be read
        return None
    published = published_ids()
    return len(published - indexed), len(indexed - published)
