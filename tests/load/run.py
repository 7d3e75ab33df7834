"""Load and faults (not a test): ALERT reports sent to a production server, faults injected.

The real form of gunicorn (4 workers: threads and processes) on SQLite and PostgreSQL.

Run: `python3 manage.py loadtest [--quick] [--count 900] [--concurrency 64]
[--scenarios "no fault,crash"] [--workers threads,sync] [--databases sqlite,postgresql]`.
Everything runs on 127.0.0.1 in a temporary folder (PostgreSQL: databases named
champions_load_*), bounded by --scenario-minutes and --max-minutes; every process started is
stopped on exit, Ctrl-C included. One table per database and worker kind, one row per scenario:
sent, 2xx, 4xx, 5xx, stored, lost, wrong, stuck, p50 and p95 of the send, and notes. Printed as
Markdown and written to --out.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tests.benchmarks.measure import LOADS, progress
from tests.benchmarks.report import machine, table
from tests.load import faults
from tests.load.client import readiness, submit_all, warm_up
from tests.load.databases import PostgreSQL, SQLite
from tests.load.scenarios import SCENARIOS, Scenario, Stage
from tests.load.server import (
    ROOT,
    THREADS,
    WORKER_KINDS,
    WORKERS,
    Server,
    has_job_worker,
    server_env,
    stop_all,
)
from tests.load.texts import Report, reports
from tests.load.verify import Expected, Tally, reference, settle, stored_alerts, tally

WARM_UP_CALLS = 24  # match API calls before the load: no worker starts cold
QUICK = {"count": 60, "concurrency": 32, "settle_seconds": 40.0, "scenario_minutes": 5.0}
HEADERS = ["scenario", "sent", "2xx", "4xx", "5xx", "stored", "lost", "wrong", "stuck",
           "p50 ms", "p95 ms", "notes"]


@dataclass
class Template:
    """A prepared database (library, index, members) and the reference run on it."""

    database: SQLite | PostgreSQL
    url: str
    index_dir: Path
    expected: dict[str, Expected]
    reports: list[Report]


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Options; --quick makes a short run of every scenario (about 2 minutes per table)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=900, help="reports per scenario")
    parser.add_argument("--concurrency", type=int, default=64, help="reporters at a time")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated, of: {', '.join(SCENARIOS)}")
    parser.add_argument("--workers", default="threads,sync", help="threads, sync or both")
    parser.add_argument("--databases", default="sqlite,postgresql", help="sqlite, postgresql")
    parser.add_argument("--settle-seconds", type=float, default=120.0,
                        help="longest wait for the job queue after the load")
    parser.add_argument("--scenario-minutes", type=float, default=20.0,
                        help="no report is started later than this into a scenario")
    parser.add_argument("--max-minutes", type=float, default=240.0,
                        help="hard limit of the whole run: everything is stopped then")
    parser.add_argument("--quick", action="store_true", help=f"a short run: {QUICK}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs)")
    parser.add_argument("--out", type=Path, default=ROOT / "search_index" / "loadtest.md",
                        help="where the Markdown report is written as well")
    options = parser.parse_args(argv)
    if options.quick:
        vars(options).update(QUICK)
    options.scenarios = _choices(options.scenarios, SCENARIOS)
    options.workers = _choices(options.workers, WORKER_KINDS)
    options.databases = _choices(options.databases, {"sqlite": 1, "postgresql": 1})
    return options


def _choices(text: str, known) -> list[str]:
    """A comma-separated list, each checked against `known`."""
    chosen = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in known]
    if unknown:
        raise SystemExit(f"unknown: {', '.join(unknown)} (known: {', '.join(known)})")
    return chosen


def main(argv: list[str] | None = None) -> int:
    """Run every chosen table; always stop what was started and undo mounts and databases."""
    options = parse(argv)
    _install_limits(options.max_minutes)
    work = Path(tempfile.mkdtemp(prefix="champions-load-"))
    work.chmod(0o711)  # PostgreSQL's own user must reach a tablespace folder inside
    sections, started = [], datetime.now(UTC)
    try:
        for name in options.databases:
            run_database(name, work, options, sections)
    except Stopped as stopped:
        reason = "--max-minutes reached" if str(stopped) == "SIGALRM" else f"{stopped} received"
        sections.append(f"Run stopped early: {reason}.")
    finally:
        stop_all()
        faults.run_cleanups()
        if options.keep:
            progress(f"logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    write_report(sections, options, started)
    return 0


class Stopped(BaseException):  # not caught where one scenario's failure is
    """SIGTERM, SIGINT (Ctrl-C) or the hard limit (SIGALRM) ended the run."""


def _install_limits(max_minutes: float) -> None:
    """SIGTERM and Ctrl-C end the run like the hard limit does: with a report and a clean-up."""
    def stopped(number, _frame):
        raise Stopped(signal.Signals(number).name)

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
        signal.signal(number, stopped)
    signal.alarm(int(max_minutes * 60))


def run_database(name: str, work: Path, options: argparse.Namespace,
                 sections: list[str]) -> None:
    """Prepare one database's template and reference, then one table per worker kind (added
    to `sections` as each is done)."""
    database = _database(name, work)
    if isinstance(database, str):
        sections.append(f"## {name}\n\nSkipped: {database}")
        return
    try:
        template = prepare_template(database, work, options)
        for kind in options.workers:
            run_table(template, kind, work, options, sections)
    finally:
        if isinstance(database, PostgreSQL):
            database.drop_template()


def _database(name: str, work: Path) -> SQLite | PostgreSQL | str:
    """The database of that name, or why it cannot be used here."""
    if name == "sqlite":
        return SQLite(work)
    from manage import postgres_url

    url = postgres_url()
    return PostgreSQL(url, str(os.getpid())) if url else "no PostgreSQL server answers here"


def prepare_template(database, work: Path, options: argparse.Namespace) -> Template:
    """Template database and index, then the single-threaded reference of every report."""
    index_dir = work / f"{database.name}-index"
    progress(f"{database.name}: preparing the template (migrate, library, index, members)")
    url = database.create_template(index_dir, work / f"{database.name}-setup.log")
    sent = reports(options.count)
    progress(f"{database.name}: reference run of {len(sent)} reports, single-threaded")
    expected = dict(zip((r.text for r in sent), reference(url, index_dir, sent), strict=True))
    return Template(database, url, index_dir, expected, sent)


def run_table(template: Template, kind: str, work: Path, options: argparse.Namespace,
              sections: list[str]) -> None:
    """Every chosen scenario with one worker kind; the table (as far as it got) to
    `sections`."""
    with_worker = has_job_worker(server_env(template.url, template.index_dir, 25))
    rows: list[tuple[str, Tally]] = []
    try:
        for name in options.scenarios:
            progress(f"{template.database.name}, {kind}: {name}")
            rows.append((name, _row(SCENARIOS[name], template, kind, work, options,
                                    with_worker)))
    finally:
        sections.append(render_table(template.database.name, kind, rows, with_worker))


def _row(scenario: Scenario, template: Template, kind: str, work: Path,
         options: argparse.Namespace, with_worker: bool) -> Tally:
    """One scenario's row; a failure of this script becomes a note, not the end of the run."""
    try:
        return run_scenario(scenario, template, kind, work, options, with_worker)
    except Exception as error:  # noqa: BLE001 - the other scenarios still run
        traceback.print_exc()
        return Tally(notes=[f"the script failed: {type(error).__name__}: {error}"[:300]])


def run_scenario(scenario: Scenario, template: Template, kind: str, work: Path,
                 options: argparse.Namespace, with_worker: bool) -> Tally:
    """Fresh copy, server, faults, load, settle, count; everything undone afterwards."""
    limit = scenario.database_limit(options.count)
    reason = template.database.full_reason() if limit is not None else None
    if reason:
        return Tally(notes=[f"skipped: {reason}"])
    folder = work / f"{template.database.name}-{kind}-{scenario.name.replace(' ', '-')}"
    folder.mkdir()
    keep = len(faults.CLEANUPS)
    mail = faults.MailServer(hang=scenario.mail_hangs)
    server = None
    try:
        url = template.database.copy(folder, limit)
        faults.CLEANUPS.append(lambda: template.database.drop(url))
        index_dir = folder / "index"
        shutil.copytree(template.index_dir, index_dir)
        server = Server(kind, server_env(url, index_dir, mail.port), folder)
        server.start(with_worker)
        stage = Stage(folder, server.env, index_dir, url, server, with_worker)
        return load(scenario, stage, template, options, mail)
    finally:
        if server is not None:
            server.stop()
        mail.close()
        faults.run_cleanups(keep)


def load(scenario: Scenario, stage: Stage, template: Template, options: argparse.Namespace,
         mail: faults.MailServer) -> Tally:
    """The load with the scenario's faults; then settle, stop and count."""
    sent = template.reports
    warmed = warm_up(stage.server.base, sent, WARM_UP_CALLS)
    scenario.before(stage)
    deadline = time.monotonic() + options.scenario_minutes * 60
    outcomes = submit_all(stage.server.base, sent, options.concurrency, deadline,
                          lambda: scenario.midway(stage))
    scenario.after(stage)
    queue = settle(stage.database_url, options.settle_seconds)
    notes = [*scenario.outcome(stage), readiness(stage.server.base)]
    stage.server.stop()
    row = tally(outcomes, stored_alerts(stage.database_url), template.expected)
    row.notes += stage.notes + notes + [queue, f"mails delivered: {mail.delivered}"]
    if warmed < WARM_UP_CALLS:
        row.notes.append(f"warm-up: only {warmed} of {WARM_UP_CALLS} match calls answered")
    if len(outcomes) < len(sent):
        row.notes.append(f"{len(sent) - len(outcomes)} reports not sent before the deadline")
    return row


def render_table(database: str, kind: str, rows: list[tuple[str, Tally]],
                 with_worker: bool) -> str:
    """One Markdown table: a row per scenario."""
    setup = (f"{WORKERS} workers x {THREADS} threads (gthread)" if kind == "threads"
             else f"{WORKERS} sync worker processes")
    worker = "with `flask jobs work`" if with_worker else "no `flask jobs work` in this code"
    lines = [[name, *_cells(row)] for name, row in rows]
    return f"## {database}, {kind}: {setup}, {worker}\n\n{table(HEADERS, lines)}"


def _cells(row: Tally) -> list[str]:
    """A row's figures as text."""
    def ms(value: float | None) -> str:
        """Milliseconds, or a dash."""
        return "-" if value is None else f"{value:.0f}"

    return [str(n) for n in (row.sent, row.ok, row.client_errors, row.server_errors,
                             row.stored, row.lost, row.wrong, row.stuck)] + [
        ms(row.p50), ms(row.p95), "; ".join(row.notes)]


def write_report(sections: list[str], options: argparse.Namespace, started: datetime) -> None:
    """Print the report and write it to --out."""
    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    versions = " · ".join(_versions(options))
    text = "\n\n".join([
        f"# Load and faults, {started:%Y-%m-%d}",
        f"{machine()} · {versions}",
        f"{options.count} reports per scenario, {options.concurrency} at a time; "
        f"{minutes:.0f} minutes in all. Targets: 0 lost, 0 wrong, 0 stuck, 0 5xx except "
        "database full (whose reporters must see the error page with the emergency numbers).",
        _load_line(), *sections]) + "\n"
    print(text, flush=True)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")


def _load_line() -> str:
    """How busy the machine was: p50 and p95 compare only within a run on a quiet machine."""
    loads = LOADS or [0.0]
    return (f"Load average (1 min) at the progress lines: {min(loads):.1f} to {max(loads):.1f} "
            f"on {os.cpu_count()} cores (the run itself keeps about 2 busy; more means other "
            "processes shared the CPU).")


def _versions(options: argparse.Namespace) -> list[str]:
    """The PostgreSQL server's version when it took part."""
    if "postgresql" not in options.databases:
        return []
    from manage import postgres_url

    url = postgres_url()
    return [PostgreSQL(url, "version").version()] if url else []



if __name__ == "__main__":
    sys.exit(main())
