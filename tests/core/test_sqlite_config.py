"""The embedded SQLite under a threaded server (issue 15): write-ahead log, a busy timeout,
synced commits and writers that queue, so a burst of writes loses nothing and fails nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import create_app
from app.core.ratelimit import RateLimitCounter
from app.extensions import db as _db
from tests.fixtures.app import _test_settings, import_all_models
from tests.fixtures.threads import at_once

THREADS = 8
WRITES = 40  # committed writes per thread
FULL = 2  # PRAGMA synchronous


def sqlite_app(url: str, folder: Path):
    """An app on a SQLite database of its own (whatever the suite runs on), tables created."""
    application = create_app(_test_settings(url, str(folder / "index")))
    with application.app_context():
        import_all_models()
        _db.create_all()
    return application


@pytest.fixture
def file_app(tmp_path: Path):
    """An app on a fresh SQLite file, in an app context."""
    application = sqlite_app(f"sqlite:///{tmp_path / 'portal.sqlite'}", tmp_path)
    with application.app_context():
        yield application
        _db.session.remove()
        _db.engine.dispose()


def pragma(name: str) -> object:
    """A PRAGMA's value on the session's connection."""
    return _db.session.execute(text(f"PRAGMA {name}")).scalar()


def test_a_file_database_writes_ahead(file_app):
    assert pragma("journal_mode") == "wal"


def test_a_writer_waits_for_another_as_long_as_configured(file_app):
    assert pragma("busy_timeout") == file_app.config["SQLITE_BUSY_TIMEOUT_MS"] == 20000


def test_every_commit_is_synced_to_disk(file_app):
    assert pragma("synchronous") == FULL


def test_writes_take_the_lock_at_their_first_write_and_reads_take_none(file_app):
    statements: list[str] = []
    _db.session.connection().connection.driver_connection.set_trace_callback(statements.append)
    _db.session.get(RateLimitCounter, ("login:x", 1))
    _db.session.add(RateLimitCounter(key="login:x", window=1, count=1))
    _db.session.commit()
    assert [s.split()[0] for s in statements] == ["SELECT", "BEGIN", "INSERT", "COMMIT"]
    assert statements[1] == "BEGIN IMMEDIATE"


def test_a_long_read_does_not_hold_up_a_commit(file_app):
    _db.session.add_all([RateLimitCounter(key="login:x", window=w, count=1) for w in range(3)])
    _db.session.commit()
    reader = _db.engine.raw_connection()  # another pooled connection, in the middle of a read
    cursor = reader.cursor()
    cursor.execute("SELECT window FROM rate_limit_counters")
    cursor.fetchone()
    try:
        _db.session.add(RateLimitCounter(key="login:y", window=1, count=1))
        _db.session.commit()  # a rollback journal waits for the reader, then "is locked"
    finally:
        cursor.close()
        reader.close()
    assert _db.session.get(RateLimitCounter, ("login:y", 1)) is not None


def test_an_in_memory_database_still_works(tmp_path):
    application = sqlite_app("sqlite://", tmp_path)
    with application.app_context():
        _db.session.add(RateLimitCounter(key="login:x", window=1, count=1))
        _db.session.commit()
        assert _db.session.get(RateLimitCounter, ("login:x", 1)).count == 1
        assert pragma("journal_mode") == "memory"
        _db.session.remove()
        _db.engine.dispose()


def read_and_write(number: int) -> None:
    """WRITES small committed writes after a read: a row, then its count raised."""
    for write in range(WRITES):
        _db.session.scalar(select(func.count()).select_from(RateLimitCounter))
        row = RateLimitCounter(key=f"thread:{number}", window=write, count=0)
        _db.session.add(row)
        _db.session.commit()
        row.count += 1
        _db.session.commit()


def test_threads_writing_at_once_all_succeed_and_lose_nothing(file_app):
    assert at_once(file_app, THREADS, read_and_write) == []
    counts = _db.session.scalars(select(RateLimitCounter.count)).all()
    assert len(counts) == THREADS * WRITES
    assert set(counts) == {1}
