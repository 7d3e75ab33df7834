"""Scheduled search upkeep: apply queued changes, repair differences, rebuild an unreadable
index, prune old rows and folders."""

from __future__ import annotations

import logging
from datetime import timedelta

from app.core.jobs import job_handler
from app.core.schedule import claim_period, every
from app.search.hooks import apply_pending, prune_applied_queue
from app.search.services import (
    HEAL_JOB,
    PURGE_JOB,
    get_backend,
    rebuild_index,
    reconcile_index,
)

log = logging.getLogger(__name__)
APPLIED_KEPT = timedelta(days=1)  # far more than a rebuild's replay looks back
REBUILT_RECENTLY = timedelta(minutes=10)


@every(seconds=60, name="search.apply_queue")
def apply_queue() -> None:
    """Apply the changes a failed or missed after-commit step left queued."""
    apply_pending()


@every(seconds=900, name="search.reconcile")
def reconcile() -> None:
    """Make the index hold exactly the published items (raises while there is no index)."""
    reconcile_index()


@every(seconds=300, name="search.heal")
def rebuild_unreadable_index() -> bool:
    """Rebuild an index that is missing, unreadable or of an old schema (the database
    answers meanwhile); True when it did."""
    status = get_backend().status()
    return False if status.searchable else _rebuild_because(status.problem or "unreadable")


@job_handler(HEAL_JOB)
def rebuild_damaged_index(payload: dict) -> None:
    """A web process could not read the index: rebuild it, at most once per
    REBUILT_RECENTLY (a damage a rebuild cannot cure must not become a loop of rebuilds)."""
    if claim_period("search.heal_rebuild", int(REBUILT_RECENTLY.total_seconds())):
        _rebuild_because("a read failed")


def _rebuild_because(reason: str) -> bool:
    """Rebuild unless another process is already rebuilding; True when it did."""
    if get_backend().rebuilding():
        return False
    log.warning("search: the index cannot be read (%s); rebuilding it", reason)
    summary = rebuild_index()
    log.warning("search: index rebuilt with %d items in %.1f s", summary.count, summary.seconds)
    return True


@job_handler(PURGE_JOB)
def purge_deleted_versions(payload: dict) -> None:
    """Text was removed from indexed items: apply the queued changes, then merge the index
    into one segment (Whoosh keeps a replaced document's stored text in its old segment until
    the segments are merged)."""
    apply_pending()
    get_backend().optimize()


@every(seconds=3600, name="search.prune")
def prune() -> None:
    """Forget changes applied over a day ago; delete index folders nothing reads any more."""
    rows, folders = prune_applied_queue(APPLIED_KEPT), get_backend().remove_stale()
    if folders:
        log.info("search: pruned %d applied queue rows and %d stale index folders", rows, folders)
