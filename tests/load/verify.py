"""What the database says after a scenario: stored, lost, wrong, stuck (see tally), and the
single-threaded reference every stored alert is compared with."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from tests.load.client import Outcome
from tests.load.texts import Report

ALERTS_SQL = text(
    "SELECT a.description, a.receipt_hash, a.status, a.forward_reason, a.language, a.topics,"
    " a.matches, EXISTS (SELECT 1 FROM arena_cases c WHERE c.alert_id = a.id) AS has_case"
    " FROM alerts a")
DUE_JOBS_SQL = text("SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND run_after <= :now")
JOBS_SQL = text("SELECT state, COUNT(*) FROM jobs GROUP BY state")
PENDING_SQL = text("SELECT COUNT(*) FROM search_index_queue WHERE applied_at IS NULL")
QUEUED_SQL = text("SELECT COUNT(*) FROM search_index_queue")
TOP = 3  # the recommendations a reporter reads first
PUBLISHED_SQL = text("SELECT DISTINCT type, slug FROM content_items WHERE status = 'published'")


@dataclass(frozen=True)
class Expected:
    """What the single-threaded run decided for one text."""

    language: str
    topics: list[str]
    doc_ids: list[str]
    forward_reason: str  # "" when the alert is answered by its matches


@dataclass(frozen=True)
class Stored:
    """One alert row, as far as the comparison needs it."""

    description: str | None
    receipt_hash: str
    status: str
    forward_reason: str | None
    language: str
    topics: list[str]
    doc_ids: list[str]
    has_case: bool

    @property
    def stuck(self) -> bool:
        """Neither answered with matches nor forwarded as an ARENA case."""
        if self.status == "answered":
            return not self.doc_ids
        return self.status == "forwarded" and not self.has_case

    def difference(self, expected: Expected) -> str | None:
        """The first way this alert differs from the reference (None: it agrees): analysis
        (language, topics), forwarding, the top 3 recommendations, or only those below."""
        reason = (self.forward_reason if self.status == "forwarded" else "") or ""
        for name, mine, theirs in (
            ("analysis", (self.language, self.topics), (expected.language, expected.topics)),
            ("forwarding", reason, expected.forward_reason),
            ("top 3", self.doc_ids[:TOP], expected.doc_ids[:TOP]),
            ("below the top 3", self.doc_ids, expected.doc_ids),
        ):
            if mine != theirs:
                return name
        return None


@dataclass
class Tally:
    """One scenario's row: the counts the issue asks for, and notes."""

    sent: int = 0
    ok: int = 0
    client_errors: int = 0
    server_errors: int = 0
    stored: int = 0
    lost: int = 0
    wrong: int = 0
    stuck: int = 0
    p50: float | None = None
    p95: float | None = None
    notes: list[str] = field(default_factory=list)


def reference(database_url: str, index_dir: Path, reports: list[Report]) -> list[Expected]:
    """Each report analysed and matched in this process, one after the other, on the
    untouched template (its database and its index)."""
    from app import create_app
    from app.extensions import db

    app = create_app({"DATABASE_URL": database_url, "INDEX_DIR": str(index_dir),
                      "MAIL_BACKEND": "memory", "ENV_MODE": "development"})
    with app.app_context():
        try:
            return [_expected(report) for report in reports]
        finally:
            db.session.remove()
            db.engine.dispose()  # a PostgreSQL template must have no connection when copied


def _expected(report: Report) -> Expected:
    """What submit_alert decides for one report (the same functions, without storing)."""
    from app.alerts.matching import build_query, recommend
    from app.alerts.services import AlertInput, automatic_forward_reason

    query = build_query(report.text, report.lang, list(report.categories), report.country,
                        report.setting)
    recommendations = recommend(query)
    data = AlertInput(description=report.text, categories=list(report.categories),
                      country=report.country, setting=report.setting, urgency=report.urgency,
                      reporter_role="other", page_language=report.lang)
    return Expected(language=query.language, topics=list(query.topics),
                    doc_ids=[rec.doc_id for rec in recommendations],
                    forward_reason=automatic_forward_reason(data, recommendations))


def stored_alerts(database_url: str) -> list[Stored]:
    """Every alert in the scenario's database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(ALERTS_SQL).all()
    finally:
        engine.dispose()
    return [Stored(row.description, row.receipt_hash, row.status, row.forward_reason,
                   row.language, _json(row.topics),
                   [match["doc_id"] for match in _json(row.matches)], bool(row.has_case))
            for row in rows]


def _json(value) -> list:
    """A JSON column's value (SQLite hands back text, PostgreSQL the decoded value)."""
    return json.loads(value) if isinstance(value, str) else list(value or [])


def tally(outcomes: list[Outcome], alerts: list[Stored], expected: dict[str, Expected]) -> Tally:
    """Count answers by class, then compare the database with what reporters were told and with
    the reference: lost (a receipt page whose alert is not stored), stuck, wrong (the rest)."""
    row = Tally(sent=len(outcomes), stored=len(alerts))
    statuses = Counter(outcome.status // 100 for outcome in outcomes)
    row.ok, row.client_errors, row.server_errors = statuses[2], statuses[4], statuses[5]
    row.lost = _lost(outcomes, alerts)
    row.stuck = sum(alert.stuck for alert in alerts)
    differences = Counter(_difference(alert, expected) for alert in alerts if not alert.stuck)
    differences.pop(None, None)
    row.wrong = sum(differences.values())
    row.p50, row.p95 = percentiles([o.seconds for o in outcomes if o.seconds is not None])
    row.notes = answer_notes(outcomes, alerts)
    if differences:
        row.notes.append("wrong by first difference: " + ", ".join(
            f"{name} {count}" for name, count in differences.most_common()))
    return row


def _difference(alert: Stored, expected: dict[str, Expected]) -> str | None:
    """How the alert differs from the reference run of its text ("not sent": no such text)."""
    wanted = expected.get(alert.description or "")
    return "not sent" if wanted is None else alert.difference(wanted)


def _lost(outcomes: list[Outcome], alerts: list[Stored]) -> int:
    """Receipt pages whose alert is not in the database (by the code's hash; a repeated send
    shows no code, so by its text)."""
    from app.alerts.services import receipt_hash

    hashes = {alert.receipt_hash for alert in alerts}
    texts = {alert.description for alert in alerts}
    return sum(
        (receipt_hash(o.receipt) not in hashes) if o.receipt else (o.report.text not in texts)
        for o in outcomes if o.result_page
    )


def percentiles(seconds: list[float]) -> tuple[float | None, float | None]:
    """p50 and p95 in milliseconds (nearest rank)."""
    if not seconds:
        return None, None
    ordered = sorted(seconds)

    def rank(share: float) -> float:
        """The value at a share of the sorted list."""
        return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000

    return rank(0.50), rank(0.95)


def answer_notes(outcomes: list[Outcome], alerts: list[Stored]) -> list[str]:
    """What else reporters met: no answer, resends, pages without a code, duplicates, the
    emergency numbers on error pages."""
    notes = []
    unanswered = sum(o.status == 0 for o in outcomes)
    resent = sum(o.failures > 0 for o in outcomes)
    errors = [o for o in outcomes if o.status >= 500]
    ok_without_receipt = sum(o.status // 100 == 2 and not o.result_page for o in outcomes)
    duplicates = len(alerts) - len({alert.description for alert in alerts})
    if unanswered:
        notes.append(f"no answer: {unanswered}")
    if resent:
        keyless = "" if any(o.keyed for o in outcomes) else " (the form had no submission key)"
        notes.append(f"reporters who sent again after a lost connection: {resent}{keyless}")
    if ok_without_receipt:
        notes.append(f"2xx without the receipt page: {ok_without_receipt}")
    if duplicates:
        notes.append(f"stored twice: {duplicates}")
    if errors:
        shown = sum(o.emergency for o in errors)
        notes.append(f"5xx pages with the emergency numbers: {shown}/{len(errors)}")
    return notes


def settle(database_url: str, timeout: float) -> str:
    """Wait (at most `timeout` seconds) until no job is due and the stuck count stops moving;
    how long that took and what was left in the job queue."""
    engine = create_engine(database_url)
    has_jobs = inspect(engine).has_table("jobs")
    started, last, calm, due = time.monotonic(), None, 0, 0
    try:
        while time.monotonic() < started + timeout:
            due = _due_jobs(engine) if has_jobs else 0
            stuck = sum(alert.stuck for alert in stored_alerts(database_url))
            calm = calm + 1 if (due == 0 and stuck == last) else 0
            if calm >= 3 or (due == 0 and stuck == 0):
                break
            last = stuck
            time.sleep(2)
        waited = f"settled in {time.monotonic() - started:.0f} s" if due == 0 else (
            f"not settled after {timeout:.0f} s ({due} jobs due)")
        return f"{waited}; {_job_summary(engine)}" if has_jobs else "no job queue in this code"
    finally:
        engine.dispose()


def _due_jobs(engine) -> int:
    """Queued jobs whose time has come."""
    from app.accounts.models import utcnow

    with engine.connect() as connection:
        return connection.execute(DUE_JOBS_SQL, {"now": utcnow()}).scalar() or 0


def _job_summary(engine) -> str:
    """Jobs left by state, e.g. "jobs left: 12 queued, 0 failed"."""
    with engine.connect() as connection:
        counts = dict(connection.execute(JOBS_SQL).all())
    return f"jobs left: {counts.get('queued', 0)} queued, {counts.get('failed', 0)} failed"


def index_gap(database_url: str, index_dir: Path) -> str:
    """Published items against the index's documents, e.g. "published 130, indexed 128
    (2 missing, 0 extra, 2 changes pending)"."""
    from whoosh import index

    import app.search.whoosh_schema  # noqa: F401 - the schema's analysers, to open the index
    from app.search.backend import group_key
    from tests.load.faults import live_index

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            published = {group_key(t, s) for t, s in connection.execute(PUBLISHED_SQL)}
            pending = _pending_changes(engine, connection)
    finally:
        engine.dispose()
    try:
        with index.open_dir(str(live_index(index_dir))).searcher() as searcher:
            indexed = {fields.get("doc_id") for fields in searcher.all_stored_fields()}
    except Exception as error:  # noqa: BLE001 - a damaged index is a finding, not a crash
        return f"index unreadable ({type(error).__name__})"
    return (f"published {len(published)}, indexed {len(indexed)} ({len(published - indexed)}"
            f" missing, {len(indexed - published)} extra, {pending} changes pending)")


def _pending_changes(engine, connection) -> int:
    """Index changes not applied yet (older code deletes applied rows: it has no applied_at)."""
    columns = {column["name"] for column in inspect(engine).get_columns("search_index_queue")}
    statement = PENDING_SQL if "applied_at" in columns else QUEUED_SQL
    return connection.execute(statement).scalar() or 0
