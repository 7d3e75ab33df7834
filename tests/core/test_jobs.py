"""The durable job queue and the scheduler: outbox atomicity, leases, back-off, the worker."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from app.accounts.models import utcnow
from app.core import jobs, schedule
from app.core.mail import send_mail
from app.extensions import db


@pytest.fixture
def worker_mode(app):
    """Production's setting: requests only enqueue, a worker process runs the jobs."""
    app.config["JOBS_INLINE"] = False


@pytest.fixture
def recorded(app, monkeypatch) -> list[dict]:
    """A job kind "test.record" whose handler records its payloads (and fails on demand)."""
    seen: list[dict] = []

    def handler(payload: dict) -> None:
        if payload.get("fail"):
            raise ConnectionError("the service is down")
        seen.append(payload)

    monkeypatch.setitem(jobs.HANDLERS, "test.record", handler)
    return seen


def _jobs() -> list[jobs.Job]:
    return list(db.session.scalars(db.select(jobs.Job).order_by(jobs.Job.id)))


def _naive(moment):
    return moment.replace(tzinfo=None)


def test_a_job_rolls_back_with_the_change_it_belongs_to(worker_mode):
    jobs.enqueue("test.record", {"n": 1})
    db.session.rollback()
    assert _jobs() == []
    jobs.enqueue("test.record", {"n": 2})
    db.session.commit()
    assert [job.payload for job in _jobs()] == [{"n": 2}]


def test_a_request_only_queues_mail_and_the_worker_sends_it(
    worker_mode, client, make_user, post_form, outbox, runner
):
    address = make_user().email
    post_form("/en/password/forgot", {"email": address})
    assert outbox == [] and [job.kind for job in _jobs()] == ["mail"]
    result = runner.invoke(args=["jobs", "work", "--once"])
    assert result.exit_code == 0, result.output
    assert [mail.to for mail in outbox] == [address] and _jobs() == []


def test_inline_mode_runs_the_job_right_after_the_commit(recorded):
    jobs.enqueue("test.record", {"n": 3})
    db.session.commit()
    assert recorded == [{"n": 3}] and _jobs() == []


def test_a_failed_job_backs_off_then_gives_up_and_can_be_retried(
    worker_mode, recorded, app, runner, caplog
):
    app.config["JOBS_MAX_ATTEMPTS"] = 2
    jobs.enqueue("test.record", {"fail": True, "secret": "reporter@example.org"})
    db.session.commit()
    assert jobs.drain().retried == 1
    [job] = _jobs()
    assert (job.state, job.attempts, job.last_error) == ("queued", 1, "ConnectionError")
    assert _naive(job.run_after) >= _naive(utcnow() + timedelta(seconds=25))
    assert jobs.drain().ran == 0  # not due yet
    job.run_after = utcnow()
    db.session.commit()
    assert jobs.drain().failed == 1 and _jobs()[0].state == "failed"
    assert runner.invoke(args=["jobs", "status"]).exit_code == 1
    assert "reporter@example.org" not in caplog.text  # payloads are never logged
    assert jobs.retry_failed() == 1 and _jobs()[0].state == "queued"


def test_back_off_doubles_up_to_an_hour():
    delays = [jobs.retry_delay(n, 30).total_seconds() for n in (1, 2, 3, 10)]
    assert delays == [30, 60, 120, 3600]


def test_a_leased_job_is_not_claimed_twice_until_its_lease_expires(worker_mode, recorded):
    jobs.enqueue("test.record", {"n": 4})
    db.session.commit()
    first = jobs.claim_next()
    assert first is not None and jobs.claim_next() is None  # another worker finds nothing
    db.session.get(jobs.Job, first).locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()  # the first worker died: its lease ran out
    assert jobs.claim_next() == first


def test_queue_counts_owed_mail(worker_mode):
    send_mail("member@example.org", "Subject", "Body")
    jobs.enqueue("test.record", {"n": 5})
    db.session.commit()
    counts = jobs.queue_counts()
    assert (counts["queued"], counts["due"], counts["mail"], counts["failed"]) == (2, 2, 1, 0)


def test_a_task_runs_once_per_period_and_a_failing_one_stops_nothing(app, monkeypatch, caplog):
    calls: list[str] = []
    monkeypatch.setattr(schedule, "TASKS", {})
    schedule.every(seconds=60, name="test.ok")(lambda: calls.append("ok"))

    @schedule.every(seconds=60, name="test.broken")
    def broken() -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.WARNING):
        assert schedule.run_due_tasks() == ["test.broken", "test.ok"]
    assert calls == ["ok"] and "test.broken failed (RuntimeError)" in caplog.text
    assert schedule.run_due_tasks() == []  # a second worker, or the next round: not due
    assert db.session.get(schedule.ScheduledRun, "test.broken").last_error == "RuntimeError"
    assert schedule.run_due_tasks(force=True) == ["test.broken", "test.ok"]
    assert calls == ["ok", "ok"]


def test_every_feature_registers_its_upkeep(app):
    assert {"alerts.reconcile", "arena.catch_up", "arena.daily_digest", "core.prune"} <= \
        set(schedule.TASKS)
    assert {"mail", "alerts.forwarded", "arena.notification_mail"} <= set(jobs.HANDLERS)


def test_status_says_how_each_task_last_ended(app, runner, monkeypatch):
    monkeypatch.setattr(schedule, "TASKS", {})
    schedule.every(seconds=60, name="test.ok")(lambda: None)
    output = runner.invoke(args=["jobs", "status"]).output
    assert "test.ok: never run" in output
    schedule.run_due_tasks()
    output = runner.invoke(args=["jobs", "status"]).output
    started = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC"
    assert re.search(rf"test\.ok: last started {started}, succeeded", output)


def test_a_failing_service_postpones_its_other_jobs_but_not_other_kinds(worker_mode, recorded):
    jobs.enqueue("test.record", {"fail": True})
    jobs.enqueue("test.record", {"n": 6})
    jobs.enqueue("test.other", {"n": 7})
    db.session.commit()
    first = jobs.claim_next()
    assert jobs.run_job(first) == "retried"
    waiting = {job.kind: job for job in _jobs() if job.id != first}
    assert waiting["test.record"].run_after == db.session.get(jobs.Job, first).run_after
    assert waiting["test.record"].attempts == 0  # postponed, not failed
    assert jobs.claim_next() == waiting["test.other"].id  # other services go on


def test_mail_is_claimed_after_other_due_jobs(worker_mode, recorded):
    send_mail("member@example.org", "Subject", "Body")
    jobs.enqueue("test.record", {"n": 8})
    db.session.commit()
    assert db.session.get(jobs.Job, jobs.claim_next()).kind == "test.record"
