"""Submitting is one unit: the alert, its matches and its forwarding decision are stored
together, a resend never stores twice, a failure keeps what was typed, and reconciliation
decides alerts older versions left undecided."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy.exc import OperationalError

from app.alerts import services
from app.alerts.matching import Recommendation
from app.alerts.models import Alert
from app.alerts.tasks import decide_undecided_alerts
from app.arena.models import Case
from app.arena.services import cases
from app.core.jobs import Job
from app.extensions import db
from tests.fixtures.alerts import receipt_from, valid_alert
from tests.fixtures.app import csrf_token_from

KEY_RE = re.compile(r'name="submission_key"[^>]*value="([^"]+)"')
NO_MATCH = "Nothing in the library resembles this at all: zqxv wplk trrm mmnb vvcx, bbnm qqwe."


def _form_fields(client) -> dict:
    """The CSRF token and the one-time submission key of a fresh report form."""
    html = client.get("/en/alert/").get_data(as_text=True)
    return {"csrf_token": csrf_token_from(html), "submission_key": KEY_RE.search(html).group(1)}


def _alerts() -> list[Alert]:
    return list(db.session.scalars(db.select(Alert).order_by(Alert.id)))


def test_the_form_carries_a_fresh_one_time_key(client):
    first, second = _form_fields(client)["submission_key"], _form_fields(client)["submission_key"]
    assert len(first) == 32 and first != second


def test_a_resend_shows_the_same_receipt_and_stores_nothing_new(client):
    data = {**_form_fields(client), **valid_alert()}
    first = client.post("/en/alert/", data=data).get_data(as_text=True)
    again = client.post("/en/alert/", data=data).get_data(as_text=True)
    assert receipt_from(first) == receipt_from(again)
    assert "We had already received this report" in again
    assert len(_alerts()) == 1 and _alerts()[0].submission_hash is not None
    assert services.find_alert_by_receipt(receipt_from(again)).id == _alerts()[0].id


def test_back_and_send_again_with_a_fresh_form_finds_the_first_alert(client):
    report = valid_alert()
    first = client.post("/en/alert/", data={**_form_fields(client), **report})
    again = client.post("/en/alert/", data={**_form_fields(client), **report})  # "back"
    assert receipt_from(first.get_data(as_text=True)) == receipt_from(again.get_data(True))
    assert len(_alerts()) == 1
    changed = {**report, "description": report["description"] + " It happened twice."}
    client.post("/en/alert/", data={**_form_fields(client), **changed})
    assert len(_alerts()) == 2  # a changed description is a new report


def test_a_withdrawn_alerts_form_sent_again_is_a_new_report(client):
    data = {**_form_fields(client), **valid_alert()}
    client.post("/en/alert/", data=data)
    services.withdraw_alert(_alerts()[0])
    response = client.post("/en/alert/", data=data)
    assert response.status_code == 200 and "We had already received" not in response.get_data(True)
    assert [alert.status == "withdrawn" for alert in _alerts()] == [True, False]


def test_a_resend_is_answered_even_at_the_rate_limit(app, client):
    app.config["ALERT_RATE_LIMIT"] = [1, 3600]
    data = {**_form_fields(client), **valid_alert()}
    client.post("/en/alert/", data=data)
    again = client.post("/en/alert/", data=data)
    assert again.status_code == 200 and "We had already received" in again.get_data(True)
    other = client.post("/en/alert/", data={**_form_fields(client),
                                            **valid_alert(description=NO_MATCH)})
    assert other.status_code == 429  # a second report is still limited


def test_a_failure_on_our_side_does_not_use_up_the_limit(app, client, monkeypatch):
    app.config["ALERT_RATE_LIMIT"] = [1, 3600]
    monkeypatch.setattr(services, "submit_alert", _crash)
    data = {**_form_fields(client), **valid_alert()}
    assert client.post("/en/alert/", data=data).status_code == 503
    monkeypatch.undo()
    assert client.post("/en/alert/", data=data).status_code == 200


def test_an_unknown_or_malformed_key_is_replaced(client):
    data = {**_form_fields(client), **valid_alert(), "submission_key": "<script>"}
    html = client.post("/en/alert/", data=data).get_data(as_text=True)
    assert "&lt;script&gt;" not in html and len(_alerts()) == 1


def test_forwarding_is_decided_and_queued_in_the_same_transaction(app, client, monkeypatch):
    app.config["JOBS_INLINE"] = False
    monkeypatch.setattr(cases, "ensure_case", _crash)  # ARENA fails when the worker runs
    response = client.post("/en/alert/", data={**_form_fields(client),
                                               **valid_alert(description=NO_MATCH)})
    assert response.status_code == 200
    [alert] = _alerts()
    assert (alert.status, alert.forward_reason) == ("forwarded", "no_match")
    assert alert.decided_at is not None
    [job] = db.session.scalars(db.select(Job)).all()
    assert (job.kind, job.payload) == ("alerts.forwarded", {"alert_id": alert.id})


def test_a_failing_case_opening_is_retried_until_the_case_exists(app, client, monkeypatch,
                                                                run_jobs_now):
    monkeypatch.setattr(cases, "ensure_case", _crash)
    client.post("/en/alert/", data={**_form_fields(client), **valid_alert(description=NO_MATCH)})
    [job] = db.session.scalars(db.select(Job)).all()
    assert job.attempts == 1 and db.session.scalar(db.select(Case)) is None
    monkeypatch.undo()
    run_jobs_now()
    assert db.session.scalar(db.select(Case)).alert_id == _alerts()[0].id


def _crash(*_args, **_kwargs):
    raise RuntimeError("ARENA is down")


@pytest.mark.parametrize("failure", [
    OperationalError("INSERT INTO alerts", {}, Exception("database or disk is full")),
    RuntimeError("anything else"),
])
def test_a_failed_store_keeps_the_text_and_shows_the_numbers(client, monkeypatch, caplog,
                                                            failure):
    def fail(*_args, **_kwargs):
        raise failure

    monkeypatch.setattr(services, "submit_alert", fail)
    data = {**_form_fields(client), **valid_alert(contact_email="reporter@example.org")}
    with caplog.at_level(logging.INFO):
        response = client.post("/en/alert/", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and _alerts() == []
    assert "swastika and neo-Nazi slogans" in html and "reporter@example.org" in html
    assert data["submission_key"] in html  # sending again cannot store it twice
    assert "emergency-box" in html and 'href="tel:110"' in html  # German police first
    assert "We could not store your report" in html
    assert html.index("not stored yet</h2>") < html.index("emergency-box")  # seen first
    assert "swastika" not in caplog.text and "reporter@example.org" not in caplog.text
    monkeypatch.undo()
    assert client.post("/en/alert/", data=data).status_code == 200 and len(_alerts()) == 1


def test_an_error_after_storing_still_shows_the_form_and_a_resend_finds_the_alert(
    app, client, monkeypatch
):
    from app.alerts import views

    app.config["PROPAGATE_EXCEPTIONS"] = False  # as a server does: the error page answers
    monkeypatch.setattr(views, "_result_page", _crash)
    data = {**_form_fields(client), **valid_alert()}
    response = client.post("/en/alert/", data=data)
    assert response.status_code == 503 and "swastika" in response.get_data(as_text=True)
    monkeypatch.undo()
    again = client.post("/en/alert/", data=data).get_data(as_text=True)
    assert "We had already received this report" in again and len(_alerts()) == 1


def test_other_alert_pages_show_the_emergency_numbers_on_errors(app, client, monkeypatch):
    from app.alerts import views

    app.config["PROPAGATE_EXCEPTIONS"] = False
    monkeypatch.setattr(views.services, "find_alert_by_receipt", _crash)
    page = client.get("/de/alert/follow-up")
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "code": "A" * 32}
    response = client.post("/de/alert/follow-up", data=data)
    assert response.status_code == 500 and "emergency-box" in response.get_data(as_text=True)


def _old_alert(**fields) -> Alert:
    """An alert as an older version could leave it: stored, answered, never decided."""
    alert = Alert(description="x" * 40, categories=["other"], country="PL", setting="school",
                  receipt_hash=f"{len(_alerts()):064d}", status="answered", **fields)
    db.session.add(alert)
    db.session.commit()
    return alert


PRACTICE = Recommendation(
    doc_id="practice:a", item_id=1, type="practice", slug="a", language="en",
    title="A practice", score=0.9, level="strong", matched_terms=["school"], shared_topics=[],
    snippet="").as_dict()


def test_reconciliation_forwards_undecided_alerts_nothing_answered(app):
    stuck = _old_alert(matches=[])
    answered = _old_alert(matches=[PRACTICE])
    urgent = _old_alert(matches=[PRACTICE], urgency="high")
    assert decide_undecided_alerts() == 2
    assert (stuck.status, stuck.forward_reason) == ("forwarded", "no_match")
    assert (urgent.status, urgent.forward_reason) == ("forwarded", "urgent")
    assert answered.status == "answered" and answered.decided_at is not None
    assert db.session.scalar(db.select(db.func.count(Case.id))) == 2  # cases opened
    assert decide_undecided_alerts() == 0  # each alert is decided once
