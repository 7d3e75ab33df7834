"""Housekeeping the worker does: queued mail, old rate-limit windows, long-failed jobs."""

from __future__ import annotations

from datetime import timedelta

from app.core import jobs, mail, ratelimit
from app.core.schedule import every

FAILED_JOBS_KEPT = timedelta(days=30)  # long enough for an operator to look and retry


@jobs.job_handler("mail")
def deliver_queued_mail(payload: dict) -> None:
    """Send one queued mail (raises MailError, so the job is retried with back-off)."""
    mail.deliver(mail.Mail(**payload))


@every(seconds=ratelimit.PRUNE_INTERVAL, name="core.prune")
def prune_old_rows() -> None:
    """Forget rate-limit windows that have passed and jobs that failed long ago."""
    ratelimit.prune_expired()
    jobs.prune_failed(FAILED_JOBS_KEPT)
