"""Scheduled tasks: features register periodic work with @every; the worker runs what is due.

The last start of each task is kept in the database and claimed with a compare-and-set, so
several workers (or a worker and a cron job) never run the same task twice in one period, and
a restart does not reset the clock. A failing task is logged by name and class only and tried
again in the next period; it never stops the worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.accounts.models import utcnow
from app.extensions import db

log = logging.getLogger(__name__)


class ScheduledRun(db.Model):
    """When a scheduled task last started and finished, and how its last run ended."""

    __tablename__ = "scheduled_runs"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    last_started: Mapped[datetime | None]
    last_finished: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(80))  # an exception class only


@dataclass(frozen=True)
class Task:
    """A registered periodic task."""

    name: str
    seconds: int
    function: Callable[[], object]


TASKS: dict[str, Task] = {}


def every(seconds: int, name: str) -> Callable[[Callable], Callable]:
    """Register a no-argument function to run every `seconds` (by the worker, in an app
    context)."""

    def register(function: Callable) -> Callable:
        TASKS[name] = Task(name=name, seconds=seconds, function=function)
        return function

    return register


def run_due_tasks(force: bool = False) -> list[str]:
    """Run every task whose period has passed (all of them with `force`); returns their names."""
    ran = []
    for task in sorted(TASKS.values(), key=lambda t: t.name):
        if _claim(task, force):
            _run(task)
            ran.append(task.name)
    return ran


def claim_period(name: str, seconds: int) -> bool:
    """True at most once per `seconds` for `name`, across every process (for work that must
    not repeat too often, such as rebuilding a damaged index)."""
    return _claim(Task(name=name, seconds=seconds, function=lambda: None), force=False)


def _claim(task: Task, force: bool) -> bool:
    """Mark the task started unless it started less than a period ago (or another worker just
    claimed it)."""
    now = utcnow()
    if db.session.get(ScheduledRun, task.name) is None:
        try:
            db.session.add(ScheduledRun(name=task.name))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another worker added it first
    due = ScheduledRun.last_started < now - timedelta(seconds=task.seconds)
    condition = ScheduledRun.name == task.name
    if not force:
        condition &= or_(ScheduledRun.last_started.is_(None), due)
    claimed = db.session.execute(update(ScheduledRun).where(condition).values(last_started=now))
    db.session.commit()
    return claimed.rowcount == 1


def _run(task: Task) -> None:
    """Run one task and record how it ended."""
    error = None
    try:
        task.function()
    except Exception as failure:  # noqa: BLE001 - one task's failure must not stop the others
        db.session.rollback()
        error = type(failure).__name__
        log.warning("schedule: task %s failed (%s); it runs again next period", task.name, error)
    db.session.execute(
        update(ScheduledRun).where(ScheduledRun.name == task.name)
        .values(last_finished=utcnow(), last_error=error)
    )
    db.session.commit()


def task_states() -> list[ScheduledRun]:
    """Every task's last run, for `flask jobs status`."""
    return [db.session.get(ScheduledRun, name) or ScheduledRun(name=name) for name in
            sorted(TASKS)]
