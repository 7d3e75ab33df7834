"""What the health endpoints report: counts and states only, never personal data or paths."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy import func, select, text

from app.accounts.models import utcnow
from app.alerts.models import Alert
from app.core.jobs import Job, queue_counts
from app.extensions import db

log = logging.getLogger(__name__)


@dataclass
class Readiness:
    """Whether this process can serve, and the figures an operator watches."""

    database: bool
    index: dict = field(default_factory=dict)
    jobs: dict = field(default_factory=dict)
    alerts: dict = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        """Ready while the database answers (search falls back to it when the index cannot)."""
        return self.database

    def as_dict(self) -> dict:
        """The JSON body of /readyz."""
        return {"status": "ready" if self.ready else "unavailable",
                "database": "ok" if self.database else "unreachable",
                "index": self.index, "jobs": self.jobs, "alerts": self.alerts}


def readiness() -> Readiness:
    """Check the database, then (when it answers) the index, the job queue and the alerts."""
    if not database_answers():
        return Readiness(database=False, index=index_figures(with_database=False))
    return Readiness(database=True, index=index_figures(), jobs=job_figures(),
                     alerts=alert_figures())


def database_answers() -> bool:
    """One round trip to the database."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception as error:  # noqa: BLE001 - "unreachable" is the answer, not a crash
        db.session.rollback()
        log.warning("health: database unreachable (%s)", type(error).__name__)
        return False


def index_figures(with_database: bool = True) -> dict:
    """The index's state ("healthy" or "fallback": the database answers searches), its size,
    the changes waiting for it, and this process's fallback count."""
    from app.search.services import fallback_count, get_backend, index_status

    if not with_database:
        healthy = get_backend().status().healthy
        return {"state": "healthy" if healthy else "fallback", "fallbacks": fallback_count()}
    status = index_status()
    return {"state": "healthy" if status["healthy"] else "fallback",
            "documents": status["documents"], "published": status["published"],
            "queued": status["queued"], "fallbacks": fallback_count()}


def job_figures() -> dict:
    """Jobs queued, due, failed; mail owed; how long the oldest due job has waited (a worker
    that stopped shows here first)."""
    counts = queue_counts()
    oldest = db.session.scalar(
        select(func.min(Job.run_after)).where(Job.state == "queued", Job.run_after <= utcnow()))
    waited = (utcnow().replace(tzinfo=None) - oldest.replace(tzinfo=None)).total_seconds() \
        if oldest else 0.0
    return {"queued": counts["queued"], "due": counts["due"], "failed": counts["failed"],
            "mail_owed": counts["mail"], "oldest_due_seconds": round(max(waited, 0.0), 1)}


def alert_figures() -> dict:
    """Alerts still waiting for a forwarding decision (only from older versions, until the
    reconciliation has run)."""
    undecided = db.session.scalar(
        select(func.count(Alert.id)).where(Alert.decided_at.is_(None))) or 0
    return {"undecided": undecided}


def metrics_text(state: Readiness) -> str:
    """The figures in Prometheus' text format (gauges, and this process's fallback counter)."""
    lines = [("champions_up", 1), ("champions_database_up", int(state.database)),
             ("champions_index_healthy", int(state.index.get("state") == "healthy")),
             ("champions_search_fallbacks_total", state.index.get("fallbacks", 0))]
    lines += [(f"champions_index_{key}", state.index[key])
              for key in ("documents", "published", "queued") if key in state.index]
    lines += [(f"champions_jobs_{key}", value) for key, value in state.jobs.items()]
    lines += [(f"champions_alerts_{key}", value) for key, value in state.alerts.items()]
    return "".join(f"# TYPE {name} {'counter' if name.endswith('_total') else 'gauge'}\n"
                   f"{name} {value}\n" for name, value in lines)
