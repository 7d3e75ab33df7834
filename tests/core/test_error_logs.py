"""An unhandled exception is logged as its type, the endpoint and a request id: never its
message (a database error quotes what people typed), the path, the query string, form data
or the client's address. The error page shows the same request id."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy.exc import DataError

from app.core.logs import OnlyFailureType
from app.extensions import csrf

EMAIL = "reporter@example.org"
TEXT = "my neighbour hung a swastika flag"
ADDRESS = "203.0.113.9"
REFERENCE = re.compile(r"reference: ([0-9a-f]{16})")


@pytest.fixture
def failing_page(app):
    """/en/failing-page raises a database error whose text quotes the form, as PostgreSQL's
    do ('invalid input syntax ... "<value>"'), with the statement's parameters."""

    def failing_page():
        from flask import request

        raise DataError("INSERT INTO alerts (description, contact_email) VALUES (?, ?)",
                        (request.form["description"], request.form["email"]),
                        Exception(f'invalid byte sequence near "{request.form["description"]}"'))

    app.add_url_rule("/en/failing-page", "failing_page", csrf.exempt(failing_page),
                     methods=["POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as on a server: the error page answers
    return "/en/failing-page?q=swastika+flag"


def _post(client, url: str, **headers):
    return client.post(url, data={"description": TEXT, "email": EMAIL}, headers=headers,
                       environ_base={"REMOTE_ADDR": ADDRESS})


def test_the_log_names_type_endpoint_and_request_only(client, failing_page, caplog):
    with caplog.at_level(logging.DEBUG):
        response = _post(client, failing_page)
    assert response.status_code == 500
    assert "sqlalchemy.exc.DataError at failing_page" in caplog.text
    for private in (TEXT, EMAIL, ADDRESS, "swastika", "/en/failing-page", "invalid byte"):
        assert private not in caplog.text, private


def test_the_log_keeps_the_code_lines_for_the_operator(client, failing_page, caplog):
    with caplog.at_level(logging.ERROR):
        _post(client, failing_page)
    assert "in failing_page" in caplog.text  # the frame, without any value


def test_the_error_page_shows_the_request_id_the_log_names(client, failing_page, caplog):
    with caplog.at_level(logging.ERROR):
        html = _post(client, failing_page).get_data(as_text=True)
    [reference] = REFERENCE.findall(html)
    assert f"(request {reference})" in caplog.text


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client, failing_page, caplog):
    with caplog.at_level(logging.ERROR):
        _post(client, failing_page, **{"X-Request-ID": "5f2b9c0e7a1d4e8f9b3c6a2d1e0f4b7c"})
        _post(client, failing_page, **{"X-Request-ID": f"<{EMAIL}>"})
    assert "(request 5f2b9c0e7a1d4e8f9b3c6a2d1e0f4b7c)" in caplog.text
    assert EMAIL not in caplog.text


def test_records_without_an_exception_pass_unchanged():
    record = logging.LogRecord("app", logging.INFO, __file__, 1, "search: %s items", (4,), None)
    assert OnlyFailureType().filter(record) is True
    assert record.getMessage() == "search: 4 items"


def test_the_filter_is_installed_on_the_application_log(app):
    assert any(isinstance(f, OnlyFailureType) for f in app.logger.filters)
