"""Engine settings: the embedded SQLite made fit for a threaded web server.

With the driver's defaults (rollback journal, 5 s busy timeout, deferred transactions) a
reader blocks a committing writer, and two writers that both started reading cannot both
upgrade: one fails at once with "database is locked". So every SQLite connection gets:

- WAL: readers never block the writer nor the writer the readers (files only: an in-memory
  database keeps its "memory" journal);
- a busy timeout: a writer waits up to SQLITE_BUSY_TIMEOUT_MS for another to finish;
- synchronous=FULL: a committed alert survives a power cut (see _configure_sqlite);
- write transactions that begin IMMEDIATE: Python's sqlite3 (legacy transaction control,
  the default until Python 3.16) sends its own BEGIN right before the first INSERT, UPDATE
  or DELETE and leaves SELECTs outside transactions. Its `isolation_level` names that BEGIN:
  "IMMEDIATE" takes the write lock there, waiting in the busy handler, instead of failing
  when a read lock cannot be upgraded. SQLAlchemy's pysqlite dialect sends no BEGIN and
  leaves the attribute alone unless an isolation level is set on the engine or connection
  (it then writes "" back: do not set one). Reads stay lock-free.
Other databases (PostgreSQL) only get pool_pre_ping.

Every engine hides statement parameters (hide_parameters): they are what people typed, e.g.
an alert and its contact address, and an error's text or the engine's log would carry them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url


def engine_options(url: str, config: Mapping[str, Any]) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS for the database at `url`."""
    if make_url(url).get_backend_name() != "sqlite":
        # a server may drop idle connections
        return {"pool_pre_ping": True, "hide_parameters": True}
    if not event.contains(Engine, "connect", _configure_sqlite):
        event.listen(Engine, "connect", _configure_sqlite)
    return {"hide_parameters": True, "connect_args": {
        # sqlite3's timeout is the connection's busy timeout (PRAGMA busy_timeout), set
        # before the first statement: switching to WAL may already have to wait.
        "timeout": config["SQLITE_BUSY_TIMEOUT_MS"] / 1000,
        "isolation_level": "IMMEDIATE",  # the driver's implicit BEGIN (module docstring)
    }}


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """WAL and full sync on every new SQLite connection (other drivers are left alone)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.execute("PRAGMA journal_mode=WAL").close()
    # NORMAL would only sync at checkpoints: safe from corruption, but a power cut could
    # lose the last commits, i.e. an alert whose receipt the reporter already holds.
    dbapi_connection.execute("PRAGMA synchronous=FULL").close()
