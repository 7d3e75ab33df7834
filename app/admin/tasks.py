"""GDPR operations the worker runs daily: the retention policy and the access log's pruning."""

from __future__ import annotations

from app.admin.retention import RetentionRun, run_retention
from app.core.schedule import every


@every(seconds=24 * 3600, name="gdpr.retention")
def apply_retention_policy() -> RetentionRun:
    """Warn the coordinators, purge expired alerts, prune the access log."""
    return run_retention()
