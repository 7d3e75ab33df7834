"""Durable jobs: outbound work (mail, forwarding an alert) written in the caller's transaction,
done by a worker process with retries and back-off, so a web request only enqueues.

A job is a row of `jobs`, added to the caller's session: it commits or rolls back with the
change it belongs to (the outbox pattern). A worker claims due rows with a compare-and-set
lease (safe with several workers, on SQLite and PostgreSQL), runs the kind's handler and
deletes the row in one commit. A failed run is retried with exponential back-off; after the
last attempt the row stays as "failed" for an operator (`flask jobs retry-failed`). Handlers
run at least once and must be idempotent. Payloads carry ids, or for mail the rendered
message to a member; a job never logs its payload."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import JSON, String, delete, event, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.accounts.models import utcnow
from app.extensions import db

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)  # a worker that died mid-job frees it after this
_ENQUEUED = "jobs_enqueued"
_LOCAL = threading.local()  # `draining`: the inline drain is running in this thread
Handler = Callable[[dict], None]
HANDLERS: dict[str, Handler] = {}


class Job(db.Model):
    """One unit of outbound work, queued with the change that caused it."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)  # | failed
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(80))  # an exception class, no text
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.state}>"


@dataclass
class DrainSummary:
    """What one drain did."""

    done: int = 0
    retried: int = 0
    failed: int = 0

    @property
    def ran(self) -> int:
        """Jobs run, whatever the outcome."""
        return self.done + self.retried + self.failed


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does jobs of `kind` (called with the payload)."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def enqueue(kind: str, payload: dict, delay: float = 0.0) -> Job:
    """Add a job to the current session: it is queued when the caller commits."""
    job = Job(kind=kind, payload=payload, run_after=utcnow() + timedelta(seconds=delay))
    db.session.add(job)
    db.session.info[_ENQUEUED] = True
    return job


def drain(limit: int = 200) -> DrainSummary:
    """Run due jobs one by one until none is due or `limit` ran."""
    summary = DrainSummary()
    while summary.ran < limit:
        job_id = claim_next()
        if job_id is None:
            break
        outcome = run_job(job_id)
        setattr(summary, outcome, getattr(summary, outcome) + 1)
    return summary


def claim_next() -> int | None:
    """Lease the oldest due job to this worker, mail last (a slow mail server must not hold
    up opening a case); None when nothing is due."""
    now = utcnow()
    due = db.session.scalars(
        select(Job.id).where(_claimable(now), Job.run_after <= now)
        .order_by(Job.kind.like("%mail"), Job.id).limit(5)
    ).all()
    for job_id in due:
        leased = db.session.execute(
            update(Job).where(Job.id == job_id, _claimable(now))
            .values(locked_until=now + LEASE)
        )
        db.session.commit()
        if leased.rowcount == 1:
            return job_id
    return None


def _claimable(now: datetime):
    """A queued job nobody holds a live lease on."""
    return (Job.state == "queued") & or_(Job.locked_until.is_(None), Job.locked_until < now)


def run_job(job_id: int) -> str:
    """Run one leased job: "done" (row deleted with the handler's changes), "retried" or
    "failed" (after the configured number of attempts)."""
    job = db.session.get(Job, job_id)
    handler = HANDLERS.get(job.kind) if job else None
    try:
        if handler is None:
            raise LookupError(f"no handler for job kind {job.kind if job else '?'}")
        handler(dict(job.payload))
        db.session.execute(delete(Job).where(Job.id == job_id))
        db.session.commit()
        return "done"
    except Exception as error:  # noqa: BLE001 - a job's failure must not stop the worker
        db.session.rollback()
        return _record_failure(job_id, type(error).__name__)


def _record_failure(job_id: int, error: str) -> str:
    """Count the attempt and schedule the next one with back-off, or give up."""
    job = db.session.get(Job, job_id)
    if job is None:
        return "failed"
    config = current_app.config
    job.attempts += 1
    job.last_error = error[:80]
    job.locked_until = None
    if job.attempts >= int(config["JOBS_MAX_ATTEMPTS"]):
        job.state = "failed"
    else:
        job.run_after = utcnow() + retry_delay(job.attempts, config["JOBS_RETRY_SECONDS"])
        _postpone_kind(job)
    db.session.commit()
    log.warning("jobs: %s job %s failed (attempt %s, %s)%s", job.kind, job.id, job.attempts,
                error, "; given up" if job.state == "failed" else "; will retry")
    return "failed" if job.state == "failed" else "retried"


def _postpone_kind(failed: Job) -> None:
    """Give the service a failed job talks to time: the other queued jobs of its kind wait
    until its retry (without using an attempt), so a mail server that hangs costs one
    timeout per retry, not one per mail."""
    db.session.execute(
        update(Job).where(Job.kind == failed.kind, Job.id != failed.id, Job.state == "queued",
                          Job.run_after < failed.run_after, Job.locked_until.is_(None))
        .values(run_after=failed.run_after))


def retry_delay(attempts: int, base_seconds: float) -> timedelta:
    """Exponential back-off: base, 2 x base, 4 x base ... capped at one hour."""
    return timedelta(seconds=min(base_seconds * 2 ** (attempts - 1), 3600))


def retry_failed() -> int:
    """Queue every failed job again, with a fresh count of attempts."""
    result = db.session.execute(
        update(Job).where(Job.state == "failed")
        .values(state="queued", attempts=0, run_after=utcnow(), locked_until=None)
    )
    db.session.commit()
    return result.rowcount or 0


def prune_failed(older_than: timedelta) -> int:
    """Delete failed jobs (and what their payload holds) older than `older_than`."""
    result = db.session.execute(
        delete(Job).where(Job.state == "failed", Job.created_at < utcnow() - older_than)
    )
    db.session.commit()
    return result.rowcount or 0


def queue_counts() -> dict[str, int]:
    """Jobs by state, how many are due now, and the mail still owed (kinds ending in "mail",
    queued or failed)."""
    rows = db.session.execute(
        select(Job.state, Job.kind, func.count(Job.id)).group_by(Job.state, Job.kind)
    ).all()
    counts = {"queued": 0, "failed": 0, "mail": 0}
    for state, kind, number in rows:
        counts[state] = counts.get(state, 0) + number
        if kind.endswith("mail"):
            counts["mail"] += number
    counts["due"] = db.session.scalar(
        select(func.count(Job.id)).where(Job.state == "queued", Job.run_after <= utcnow())
    ) or 0
    return counts



# Inline mode (tests, and `flask run` without a worker): due jobs run right after the commit
# that queued them, in a fresh app context (the committing session cannot run SQL then).
def _note_enqueued(session: Session, flush_context) -> None:
    """after_flush: remember that this transaction queued jobs."""
    if any(isinstance(obj, Job) for obj in session.new):
        session.info[_ENQUEUED] = True


def _drain_inline(session: Session) -> None:
    """after_commit: in inline mode, run the jobs just queued (never inside another drain)."""
    if not session.info.pop(_ENQUEUED, False) or getattr(_LOCAL, "draining", False):
        return
    if not has_app_context() or not current_app.config.get("JOBS_INLINE"):
        return
    _LOCAL.draining = True
    try:
        with current_app.app_context():
            drain()
    finally:
        _LOCAL.draining = False


def _forget_enqueued(session: Session, previous_transaction=None) -> None:
    """after_rollback: the queued jobs were rolled back with the change."""
    session.info.pop(_ENQUEUED, None)


def register_session_hooks() -> None:
    """Listen on db.session once per process."""
    for name, listener in (("after_flush", _note_enqueued), ("after_commit", _drain_inline),
                           ("after_rollback", _forget_enqueued)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
