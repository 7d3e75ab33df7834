"""The coordinators' dashboard with 50,000 alerts and 5,000 cases (SQLite, bulk inserted in a
temporary folder), rendered through the Flask test client as an admin (all countries) and as
a coordinator (one country), beside a hello-world route of the same app and one COUNT(*).

Run alone: `python3 -m tests.benchmarks.dashboard_benchmark [--quick]`; `manage.py benchmark`
includes it (--quick: 5,000 alerts and 500 cases).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

ALERTS, CASES, RENDERS = 50_000, 5_000, 20
TARGET_MS = 300
COUNTRIES = ("DE", "PL", "RO", "HU", "EU")
CATEGORIES = ("hate_speech", "antisemitism", "racist_violence", "polarisation", "other")
SETTINGS = ("school", "online", "neighbourhood", "workplace", "other")
TOPICS = ("schools", "hate_speech", "racism", "right_wing_extremism")
LANGUAGES = ("en", "de", "pl", "ro", "hu")


@dataclass
class DashboardTimes:
    """Median milliseconds of RENDERS renders, and the references of the same run."""

    alerts: int
    cases: int
    renders: int
    admin_ms: float
    coordinator_ms: float
    hello_ms: float
    count_ms: float


def alert_rows(rng: random.Random, count: int, cases: int, now: datetime) -> list[dict]:
    """`count` alerts over the last two years; the first `cases` forwarded."""
    rows = []
    for number in range(count):
        created = now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
        forwarded = number < cases
        rows.append(dict(
            description="Synthetic alert text.", country=rng.choice(COUNTRIES),
            categories=rng.sample(CATEGORIES, rng.choice((1, 1, 2))), setting=rng.choice(SETTINGS),
            topics=rng.sample(TOPICS, 2), language=rng.choice(LANGUAGES), created_at=created,
            status="forwarded" if forwarded else "answered", receipt_hash=f"{number:064x}",
            forwarded_at=created if forwarded else None, city="", matches=[],
        ))  # fmt: skip
    return rows


def fill_database(rng: random.Random, alerts: int, cases: int) -> None:
    """Bulk insert (executemany) alerts, cases, two comments and one recommendation a case."""
    from sqlalchemy import insert, select

    from app.alerts.models import Alert
    from app.arena.models import Case, Comment, Recommendation
    from app.extensions import db

    now = datetime.now().replace(microsecond=0)
    db.session.execute(insert(Alert), alert_rows(rng, alerts, cases, now))
    forwarded = db.session.execute(
        select(Alert.id, Alert.country, Alert.created_at, Alert.categories)
        .where(Alert.status == "forwarded")
    ).all()  # fmt: skip
    statuses = ("new", "in_discussion", "recommendation_given", "closed")
    db.session.execute(insert(Case), [
        dict(alert_id=id_, country=country, created_at=created, categories=categories,
             status=rng.choice(statuses), city="", outcome="")
        for id_, country, created, categories in forwarded
    ])  # fmt: skip
    case_rows = db.session.execute(select(Case.id, Case.created_at)).all()
    db.session.execute(insert(Comment), [
        dict(case_id=id_, author_id=None, body="Note.", body_html="",
             created_at=created + timedelta(hours=rng.randrange(1, 72)))
        for id_, created in case_rows for _ in range(2)
    ])  # fmt: skip
    db.session.execute(insert(Recommendation), [
        dict(case_id=id_, action="Do this.", reason="", actors=[], resource_ids=[rng.randrange(1,
             40)], created_at=created + timedelta(hours=5),
             released_at=created + timedelta(hours=rng.randrange(6, 200)) if rng.random() < 0.6
             else None)
        for id_, created in case_rows
    ])  # fmt: skip
    db.session.commit()


def add_people():
    """An admin and a DE coordinator (ids), inserted as rows."""
    from app.accounts.models import User
    from app.extensions import db

    people = []
    for role in ("admin", "coordinator"):
        user = User(email=f"{role}@example.org", name=role, role=role, status="approved",
                    country="DE", kind="practitioner", profession="teacher")  # fmt: skip
        user.set_password("benchmark password long enough")
        db.session.add(user)
        people.append(user)
    db.session.commit()
    return [user.get_id() for user in people]


def median_ms(call, renders: int) -> float:
    """Median wall-clock milliseconds of `renders` calls (after one warm-up call)."""
    call()
    times = []
    for _ in range(renders):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def render_as(app, user_id: str, renders: int) -> float:
    """Median ms of the dashboard page as the user with this id."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_id, True

    def render():
        response = client.get("/en/dashboard")
        assert response.status_code == 200, response.status_code

    return median_ms(render, renders)


def references(app, renders: int) -> tuple[float, float]:
    """Median ms of a hello-world route through the test client, and of one COUNT(*)."""
    from sqlalchemy import func, select

    from app.alerts.models import Alert
    from app.extensions import db

    client = app.test_client()
    with app.app_context():
        count = median_ms(lambda: db.session.scalar(select(func.count()).select_from(Alert)),
                          renders)  # fmt: skip
    return median_ms(lambda: client.get("/hello"), renders), count


def measure_dashboard(quick: bool = False) -> DashboardTimes:
    """Build the database, then time the page as admin and coordinator and the references."""
    from app import create_app
    from app.extensions import db
    from tests.benchmarks.library import library_settings

    alerts, cases = (5_000, 500) if quick else (ALERTS, CASES)
    renders = 3 if quick else RENDERS
    with tempfile.TemporaryDirectory(prefix="champions-benchmark-dashboard-") as name:
        # Two-factor enrolment is the login's business, not the page's: switched off here.
        app = create_app({**library_settings(Path(name)), "TWO_FACTOR_REQUIRED_ROLES": []})
        app.add_url_rule("/hello", "hello", lambda: "Hello, World!")
        with app.app_context():
            db.create_all()
            fill_database(random.Random(13), alerts, cases)
            admin, coordinator = add_people()
        hello, count = references(app, renders)
        times = DashboardTimes(alerts, cases, renders, render_as(app, admin, renders),
                               render_as(app, coordinator, renders), hello, count)  # fmt: skip
        with app.app_context():
            db.engine.dispose()
        return times


def dashboard_table(times: DashboardTimes) -> str:
    """The figures as a Markdown table."""
    return "\n".join([
        "| Request | Median ms |",
        "|---|---:|",
        f"| Dashboard, admin (all countries) | {times.admin_ms:.1f} |",
        f"| Dashboard, DE coordinator | {times.coordinator_ms:.1f} |",
        f"| Hello-world route (same app, test client) | {times.hello_ms:.1f} |",
        f"| One COUNT(*) over alerts | {times.count_ms:.1f} |",
        "",
        f"{times.alerts:,} alerts, {times.cases:,} cases (SQLite), median of {times.renders} "
        f"renders through the Flask test client; goal: under {TARGET_MS} ms.",
    ])  # fmt: skip


if __name__ == "__main__":
    print(dashboard_table(measure_dashboard(quick="--quick" in sys.argv)))
