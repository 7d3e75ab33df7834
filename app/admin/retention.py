"""The retention policy: alert text, place, contact and messages are purged RETENTION_ALERT_DAYS
after the case closed (or, for an alert the library answered, after it was decided), the
country's coordinators are warned RETENTION_WARNING_DAYS before, and the access log is pruned
after RETENTION_ACCESS_LOG_DAYS. An admin may erase one report at once.

What stays is what carries no reporter's data: categories, topics, country, setting, urgency,
dates, ALERT's matches and the feedback on them, the case with its status and history, and
the de-identified library case drafted from it. Quotes of the purged text in what members
wrote (and in the index) go as they do on withdrawal."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import aliased

from app.accounts.models import User, utcnow
from app.alerts.models import Alert
from app.alerts.services import delete_reporter_data, withdraw_alert
from app.arena.models import Case, Notification
from app.arena.services.cases import case_for_alert, record
from app.arena.services.redaction import redact_withdrawn
from app.arena.services.urgent import first_responders
from app.core.access_log import AccessLogEntry, log_cutoff, prune_access_log, record_access
from app.extensions import db

BATCH = 200  # alerts purged per transaction: a long backlog is worked off in several commits
WARNING_KIND = "retention_warning"


@dataclass
class RetentionRun:
    """What one run did (or, dry, would do): counts only, never content."""

    warned: int = 0
    purged: int = 0
    access_log_pruned: int = 0


def alert_days() -> int:
    """Days an alert's personal data is kept after its case closed or it was answered."""
    return int(current_app.config["RETENTION_ALERT_DAYS"])


def warning_days() -> int:
    """Days before the purge the country's coordinators are warned."""
    return int(current_app.config["RETENTION_WARNING_DAYS"])


def access_log_days() -> int:
    """Days the access log is kept."""
    return int(current_app.config["RETENTION_ACCESS_LOG_DAYS"])


def finished_before(cutoff: datetime) -> Select:
    """Alerts not yet purged whose retention period started before `cutoff`: answered by the
    library and never forwarded (from the decision), or whose case closed (a case merged as
    a duplicate: once the case it was merged into closed too, as its reporter follows that)."""
    survivor = aliased(Case)
    answered = and_(Alert.status == "answered", Alert.forwarded_at.is_(None),
                    func.coalesce(Alert.decided_at, Alert.created_at) < cutoff)
    closed = and_(Case.status == "closed", Case.closed_at < cutoff,
                  or_(survivor.id.is_(None),
                      and_(survivor.status == "closed", survivor.closed_at < cutoff)))
    return (select(Alert)
            .outerjoin(Case, Case.alert_id == Alert.id)
            .outerjoin(survivor, survivor.id == Case.duplicate_of_id)
            .where(Alert.purged_at.is_(None), Alert.status != "withdrawn",
                   or_(answered, closed))
            .order_by(Alert.id))


def purge_cutoff(now: datetime) -> datetime:
    """Alerts whose period started before this are purged now."""
    return now - timedelta(days=alert_days())


def warning_cutoff(now: datetime) -> datetime:
    """Alerts whose period started before this are purged within the warning period."""
    return now - timedelta(days=max(alert_days() - warning_days(), 0))


def due_for_warning(now: datetime) -> list[Alert]:
    """Alerts purged within the warning period whose coordinators were not yet warned."""
    query = finished_before(warning_cutoff(now)).where(Alert.purge_warned_at.is_(None))
    return list(db.session.scalars(query))


def warn_coordinators(now: datetime) -> int:
    """Tell each country's coordinators (or the admins, where it has none) once, in one
    digest notification per country, how many of its alerts are purged soon; returns how
    many alerts were newly announced."""
    alerts = due_for_warning(now)
    per_country = Counter(alert.country for alert in alerts)
    for country, count in sorted(per_country.items()):
        for person in first_responders(country):
            _add_warning(person, country, count)
    for alert in alerts:
        alert.purge_warned_at = now
    return len(alerts)


def _add_warning(person: User, country: str, count: int) -> None:
    """One digest notification: `count` alerts of `country` lose their data soon."""
    db.session.add(Notification(
        user_id=person.id, kind=WARNING_KIND, delivery="digest", endpoint="arena.index",
        endpoint_args={}, params={"count": count, "country": country, "days": warning_days()}))


def purge_alert(alert: Alert, now: datetime) -> None:
    """Delete the alert's text, place, contact, messages and follow-up grants and redact
    quotes of them in what members wrote (in the caller's unit of work)."""
    text = delete_reporter_data(alert)
    alert.purged_at, alert.purge_reason = now, "retention"
    case = case_for_alert(alert)
    if case is not None:
        case.city = ""  # the board's copy of the place
        record(case, None, "purged")
    if alert.forwarded_at is not None:  # only members of a case could have quoted it
        redact_withdrawn(alert, text)


def purge_expired(now: datetime) -> int:
    """Purge every alert whose retention period has passed, committing batch by batch;
    returns how many."""
    purged = 0
    while batch := list(db.session.scalars(finished_before(purge_cutoff(now)).limit(BATCH))):
        for alert in batch:
            purge_alert(alert, now)
        db.session.commit()
        purged += len(batch)
    return purged


def run_retention(now: datetime | None = None) -> RetentionRun:
    """The scheduled job: warn, purge, prune the access log (committed)."""
    now = now or utcnow()
    run = RetentionRun(warned=warn_coordinators(now))
    db.session.commit()
    run.purged = purge_expired(now)
    run.access_log_pruned = prune_access_log(now, access_log_days())
    db.session.commit()
    return run


def preview_retention(now: datetime | None = None) -> RetentionRun:
    """What run_retention would do now, changing nothing (`flask gdpr purge --dry-run`)."""
    now = now or utcnow()
    warn = finished_before(warning_cutoff(now)).where(Alert.purge_warned_at.is_(None))
    old_log = select(AccessLogEntry.id).where(
        AccessLogEntry.created_at < log_cutoff(now, access_log_days()))
    return RetentionRun(warned=_count(warn), purged=_count(finished_before(purge_cutoff(now))),
                        access_log_pruned=_count(old_log))


def _count(query: Select) -> int:
    """How many rows a select finds."""
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def erase_alert(alert: Alert, actor: User, now: datetime | None = None) -> bool:
    """An admin erases a report at once: the withdrawal's deletion (text, place, contact,
    messages, grants; its case closes as withdrawn and quotes are redacted, in the index
    too), recorded as erased by whom and when, without content. False when already gone."""
    if not actor.is_admin or alert.purged_at is not None:
        return False
    now = now or utcnow()
    alert.purged_at, alert.purge_reason, alert.purged_by_id = now, "erased", actor.id
    record_access(actor, "alert_erased", "alert", alert.id)
    case = case_for_alert(alert)
    if case is not None:
        record(case, actor, "erased")
    if alert.status == "withdrawn":  # the reporter already deleted everything
        db.session.commit()
    else:
        withdraw_alert(alert)  # commits the erasure with everything it deletes
    return True
