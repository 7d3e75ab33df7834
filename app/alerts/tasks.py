"""ALERT's queued and scheduled work: forwarding jobs, deciding alerts older versions left
undecided (stored, but neither answered with matches nor forwarded), and forgetting old
follow-up grants."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.accounts.models import utcnow
from app.alerts.matching import needs_forwarding, stored_recommendations
from app.alerts.models import Alert
from app.alerts.services import FORWARD_JOB, forward_to_arena, prune_grants
from app.core.jobs import job_handler
from app.core.schedule import every
from app.core.signals import alert_forwarded
from app.extensions import db

log = logging.getLogger(__name__)
BATCH = 200


@job_handler(FORWARD_JOB)
def announce_forwarded_alert(payload: dict) -> None:
    """The worker's job: ARENA opens the case and tells the country's members."""
    alert = db.session.get(Alert, payload["alert_id"])
    if alert is not None and alert.is_forwarded and alert.status != "withdrawn":
        alert_forwarded.send(alert)


@every(seconds=60, name="alerts.reconcile")
def decide_undecided_alerts() -> int:
    """Forward every undecided alert that its stored matches do not answer (or that was
    urgent); mark the others decided. Returns how many were forwarded."""
    undecided = db.session.scalars(
        select(Alert).where(Alert.decided_at.is_(None)).order_by(Alert.id).limit(BATCH)
    ).all()
    forwarded = 0
    for alert in undecided:
        alert.decided_at = utcnow()
        if alert.status == "answered" and _needs_experts(alert):
            forwarded += forward_to_arena(alert, _reason(alert))
    db.session.commit()
    if forwarded:
        log.warning("alerts: reconciliation forwarded %s alerts left undecided", forwarded)
    return forwarded


def _needs_experts(alert: Alert) -> bool:
    """Urgent, or not answered by what ALERT stored for it."""
    return alert.urgency == "high" or needs_forwarding(stored_recommendations(alert.matches))


def _reason(alert: Alert) -> str:
    """The forward reason reconciliation gives."""
    return "urgent" if alert.urgency == "high" else "no_match"


@every(seconds=3600, name="alerts.prune_grants")
def prune_old_grants() -> int:
    """Forget follow-up grants older than GRANT_DAYS (the code opens the page again)."""
    pruned = prune_grants()
    db.session.commit()
    return pruned
