"""The worker process: drains the job queue and runs scheduled tasks (`flask jobs work`).

One worker beside the web server is enough for a small deployment; more may run, since jobs
and tasks are claimed in the database. SIGTERM and SIGINT finish the job at hand, then stop."""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask.cli import AppGroup

from app.core import jobs, schedule
from app.extensions import db

log = logging.getLogger(__name__)
jobs_cli = AppGroup("jobs", help="The worker: queued mail and forwarding, scheduled tasks.")


def work(stop: threading.Event, interval: float, once: bool = False) -> None:
    """Drain due jobs and run due tasks until `stop` is set (or one round with `once`)."""
    while not stop.is_set():
        try:
            summary = jobs.drain()
            schedule.run_due_tasks()
        except Exception as error:  # noqa: BLE001 - e.g. the database restarting: try again
            db.session.rollback()
            log.warning("worker: round failed (%s); trying again", type(error).__name__)
            summary = jobs.DrainSummary()
        finally:
            db.session.remove()  # a fresh session each round: no stale objects, no open txn
        if once:
            return
        if not summary.ran:
            stop.wait(interval)


def _stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT (the job at hand is finished first)."""
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_args: stop.set())
    return stop


@jobs_cli.command("work")
@click.option("--interval", default=1.0, show_default=True,
              help="Seconds to wait when nothing is due.")
@click.option("--once", is_flag=True, help="One round, then exit (for cron).")
def work_command(interval: float, once: bool) -> None:
    """Run the worker: queued jobs at once, scheduled tasks when due."""
    if not once:
        click.echo(f"Worker started: jobs every {interval:g} s when idle, "
                   f"{len(schedule.TASKS)} scheduled tasks.")
    work(_stop_on_signals(), interval, once=once)


@jobs_cli.command("run-tasks")
@click.option("--all", "force", is_flag=True, help="Run every task now, due or not.")
def run_tasks_command(force: bool) -> None:
    """Run the scheduled tasks that are due (all with --all) once."""
    ran = schedule.run_due_tasks(force=force)
    click.echo(f"Ran {len(ran)} tasks: {', '.join(ran) or 'none was due'}.")


@jobs_cli.command("status")
def status_command() -> None:
    """Jobs queued, due and failed; owed mail; each task's last run."""
    counts = jobs.queue_counts()
    click.echo(f"Jobs: {counts['queued']} queued ({counts['due']} due), "
               f"{counts['failed']} failed; mail owed: {counts['mail']}")
    for run in schedule.task_states():
        click.echo(f"  {run.name}: {_last_run(run)}")
    if counts["failed"]:
        raise SystemExit(1)


def _last_run(run: schedule.ScheduledRun) -> str:
    """A task's last run for people: "never", or its start (UTC) and how it ended."""
    if run.last_started is None:
        return "never run"
    started = f"last started {run.last_started:%Y-%m-%d %H:%M:%S} UTC"
    if run.last_finished is None or run.last_finished < run.last_started:
        return f"{started}, running"
    return f"{started}, {'failed: ' + run.last_error if run.last_error else 'succeeded'}"


@jobs_cli.command("retry-failed")
def retry_failed_command() -> None:
    """Queue every failed job again."""
    click.echo(f"{jobs.retry_failed()} failed jobs queued again.")
