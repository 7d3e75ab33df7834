"""ARENA's scheduled work: cases for forwarded alerts, reporters' messages, urgent cases
nobody acknowledged, daily digests."""

from __future__ import annotations

from app.arena.services.cases import sync_forwarded_alerts, sync_reporter_messages
from app.arena.services.notifications import queue_immediate_mail, send_owed_mail
from app.arena.services.urgent import escalate_overdue
from app.core.schedule import every
from app.core.signals import digest_due
from app.extensions import db


@every(seconds=60, name="arena.catch_up")
def catch_up_with_alerts() -> None:
    """Open the cases and tell the followers that a failed or older run missed."""
    sync_forwarded_alerts()
    sync_reporter_messages()
    queue_immediate_mail()
    db.session.commit()


@every(seconds=300, name="arena.escalate_urgent")
def escalate_urgent_cases() -> None:
    """Tell the admins about urgent cases no coordinator acknowledged in time."""
    escalate_overdue()
    queue_immediate_mail()
    db.session.commit()


@every(seconds=24 * 3600, name="arena.daily_digest")
def send_daily_digests() -> None:
    """Queue each member's digest of the day's notifications (after other features added
    theirs: overdue roundtable actions)."""
    digest_due.send(None)
    db.session.commit()
    send_owed_mail()
