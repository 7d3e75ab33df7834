"""Scheduled search upkeep: apply queued changes, repair differences, prune old rows and folders."""

from __future__ import annotations

import logging
from datetime import timedelta

from app.core.schedule import every
from app.search.hooks import apply_pending, prune_applied_queue
from app.search.services import get_backend, reconcile_index

log = logging.getLogger(__name__)
APPLIED_KEPT = timedelta(days=1)  # far more than a rebuild's replay looks back


@every(seconds=60, name="search.apply_queue")
def apply_queue() -> None:
    """Apply the changes a failed or missed after-commit step left queued."""
    apply_pending()


@every(seconds=900, name="search.reconcile")
def reconcile() -> None:
    """Make the index hold exactly the published items (raises while there is no index)."""
    reconcile_index()


@every(seconds=3600, name="search.prune")
def prune() -> None:
    """Forget changes applied over a day ago; delete index folders nothing reads any more."""
    rows, folders = prune_applied_queue(APPLIED_KEPT), get_backend().remove_stale()
    if folders:
        log.info("search: pruned %d applied queue rows and %d stale index folders", rows, folders)
