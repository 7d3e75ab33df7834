"""The database engine never shows statement parameters: neither a failing statement's error
(which error pages and workers log) nor the engine's own log holds a value someone typed."""

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

CONTACT = "reporter-contact@example.org"  # what a reporter typed: never in an error or a log


def test_a_failing_statements_error_holds_no_parameter_values(db):
    with pytest.raises(DBAPIError) as failed, db.engine.connect() as connection:
        connection.execute(text("SELECT * FROM no_such_table WHERE contact = :contact"),
                           {"contact": CONTACT})
    assert "no_such_table" in str(failed.value)  # the statement is still there to debug
    assert CONTACT not in str(failed.value)


def test_a_logged_failure_holds_no_parameter_values(db, caplog):
    with pytest.raises(DBAPIError), db.engine.connect() as connection:
        try:
            connection.execute(text("SELECT * FROM no_such_table WHERE contact = :contact"),
                               {"contact": CONTACT})
        except DBAPIError:
            logging.getLogger("test").exception("storing failed")
            raise
    assert "storing failed" in caplog.text
    assert CONTACT not in caplog.text


def test_the_engine_log_holds_no_parameter_values(db, caplog):
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    with db.engine.connect() as connection:  # a new connection reads the log level
        connection.execute(text("SELECT :contact AS contact"), {"contact": CONTACT}).all()
    assert "SELECT" in caplog.text  # the engine did log the statement
    assert CONTACT not in caplog.text
