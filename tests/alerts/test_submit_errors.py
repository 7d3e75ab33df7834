"""A database error while a report is sent (the insert itself, or a query around it) keeps the
report out of the log and in the reporter's hands: the form comes back with everything typed
and a notice to send it again; the log names only the error's type and the request."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DataError, OperationalError

from app.alerts import services
from app.alerts.models import Alert
from app.extensions import db
from tests.fixtures.alerts import receipt_from, valid_alert
from tests.fixtures.app import csrf_token_from

KEY_RE = re.compile(r'name="submission_key"[^>]*value="([^"]+)"')
EMAIL = "reporter@example.org"
ADDRESS = "198.51.100.23"
ERRORS = [DataError, OperationalError]


def _report(client) -> dict:
    """A fresh form's token and key with a valid report and a contact address."""
    html = client.get("/en/alert/").get_data(as_text=True)
    return {"csrf_token": csrf_token_from(html), "submission_key": KEY_RE.search(html)[1],
            **valid_alert(contact_email=EMAIL)}


def _database_error(kind, data: dict, code: str) -> Exception:
    """The error a database gives: its text quotes a value, its parameters are the report."""
    return kind("INSERT INTO alerts (description, contact_email, receipt_hash) VALUES (?, ?, ?)",
                (data["description"], EMAIL, code),
                Exception(f'invalid byte sequence in "{data["description"]}" for {EMAIL}'))


@pytest.fixture
def failing_insert(app):
    """failing_insert(error): the next INSERT INTO alerts raises `error` in the database
    layer (under the service's commit), as a NUL byte does on PostgreSQL."""
    failures: list[Exception] = []

    def raise_on_insert(_conn, _cursor, statement, *_args):
        if failures and statement.lstrip().upper().startswith("INSERT INTO ALERTS"):
            raise failures.pop()

    event.listen(db.engine, "before_cursor_execute", raise_on_insert)
    yield failures.append
    event.remove(db.engine, "before_cursor_execute", raise_on_insert)


def _send(client, data: dict):
    return client.post("/en/alert/", data=data, environ_base={"REMOTE_ADDR": ADDRESS})


def _private_values(data: dict) -> list[str]:
    """What the log must never hold: the text, the contact, the address, the receipt code."""
    code = services.receipt_code_for(data["submission_key"])
    return [data["description"][:30], EMAIL, ADDRESS, code, code.replace("-", "")]


@pytest.mark.parametrize("kind", ERRORS, ids=lambda kind: kind.__name__)
def test_a_failed_insert_keeps_the_report_out_of_the_log(client, failing_insert, caplog, kind):
    data = _report(client)
    failing_insert(_database_error(kind, data, services.receipt_code_for(data["submission_key"])))
    with caplog.at_level(logging.DEBUG):
        response = _send(client, data)
    assert response.status_code == 503
    assert f"({kind.__name__}, request " in caplog.text
    for private in _private_values(data):
        assert private not in caplog.text


@pytest.mark.parametrize("kind", ERRORS, ids=lambda kind: kind.__name__)
def test_a_failed_insert_gives_the_form_back_with_everything_typed(client, failing_insert, kind):
    data = _report(client)
    failing_insert(_database_error(kind, data, "-"))
    html = _send(client, data).get_data(as_text=True)
    assert data["description"] in html
    assert EMAIL in html
    assert data["submission_key"] in html  # sending again cannot store it twice
    assert "We could not store your report" in html
    assert db.session.scalars(db.select(Alert)).all() == []


def test_sending_again_after_the_failure_stores_it_once(client, failing_insert):
    data = _report(client)
    failing_insert(_database_error(DataError, data, "-"))
    _send(client, data)
    html = _send(client, data).get_data(as_text=True)
    assert receipt_from(html) == services.receipt_code_for(data["submission_key"])
    assert len(db.session.scalars(db.select(Alert)).all()) == 1


@pytest.mark.parametrize("kind", ERRORS, ids=lambda kind: kind.__name__)
def test_an_unexpected_database_error_while_sending_stays_out_of_the_log(
    app, client, monkeypatch, caplog, kind
):
    """A failing query before the insert (the resend check) escapes to Flask's own error
    logging: the report still comes back, and the log still holds none of it."""
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as on a server
    data = _report(client)
    error = _database_error(kind, data, services.receipt_code_for(data["submission_key"]))

    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(services, "resent_submission", fail)
    with caplog.at_level(logging.DEBUG):
        response = _send(client, data)
    assert response.status_code == 503
    assert data["description"] in response.get_data(as_text=True)
    assert f"{kind.__name__} at alerts.new_alert" in caplog.text
    for private in _private_values(data):
        assert private not in caplog.text
