"""The databases under load: a prepared template (library, index, members) per engine, copied
fresh for every scenario, dropped afterwards."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.load import faults
from tests.load.server import ROOT, run_flask

WAL_CHECKPOINT_PAGES = 1000  # SQLite's default wal_autocheckpoint
FIRST_PAGES = 256 * 1024  # PostgreSQL: the first alert extends a dozen tables and indexes
SETUP = (("db", "upgrade"), ("content", "load"), ("dev", "demo-accounts"))


def setup_env(database_url: str, index_dir: Path) -> dict[str, str]:
    """Development settings for the set-up commands (demo accounts exist only there)."""
    return {**os.environ, "FLASK_APP": "wsgi.py", "PYTHONDONTWRITEBYTECODE": "1",
            "CHAMPIONS_DATABASE_URL": database_url, "CHAMPIONS_INDEX_DIR": str(index_dir),
            "CHAMPIONS_ENV_MODE": "development", "CHAMPIONS_MAIL_BACKEND": "console",
            "CHAMPIONS_JOBS_INLINE": "true"}  # set-up mail is printed to the log, not queued


def prepare(database_url: str, index_dir: Path, log: Path) -> None:
    """What `manage.py run` does, with the load's own set-up (members' mail, the editor's
    items) before the index is built."""
    env = setup_env(database_url, index_dir)
    for command in SETUP:
        _must(run_flask(env, log, *command, timeout=600), " ".join(command), log)
    command = [sys.executable, "-m", "tests.load.actors", "set-up"]
    with log.open("ab") as output:
        done = subprocess.run(command, cwd=ROOT, env=env, check=False, timeout=300,
                              stdout=output, stderr=subprocess.STDOUT)
    _must(done.returncode, "tests.load.actors set-up", log)
    _must(run_flask(env, log, "search", "rebuild", timeout=600), "search rebuild", log)


def _must(code: int, what: str, log: Path) -> None:
    """Stop when a set-up step failed."""
    if code:
        raise RuntimeError(f"{what} failed (exit {code}): see {log}")


class SQLite:
    """A template file, copied per scenario (onto a small filesystem for "database full")."""

    name = "SQLite"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.template = folder / "template.sqlite"

    def version(self) -> str:
        """SQLite's version."""
        return f"SQLite {sqlite3.sqlite_version}"

    def create_template(self, index_dir: Path, log: Path) -> str:
        """Build the template database and index; its URL."""
        url = f"sqlite:///{self.template}"
        prepare(url, index_dir, log)
        return url

    def copy(self, folder: Path, limit: int | None = None) -> str:
        """A fresh copy for one scenario; with `limit`, on a filesystem with `limit` bytes
        free beyond the copy."""
        target_dir = folder / "database"
        target_dir.mkdir()
        if limit is not None:
            faults.small_filesystem(target_dir)
        shutil.copyfile(self.template, target_dir / "portal.sqlite")
        if limit is not None:
            faults.leave_room(target_dir, limit + self._journal_room())
        return f"sqlite:///{target_dir / 'portal.sqlite'}"

    def _journal_room(self) -> int:
        """Room for the write-ahead log when the database uses one: it grows to about
        WAL_CHECKPOINT_PAGES pages before SQLite folds it back (and is kept at that size)."""
        with closing(sqlite3.connect(f"file:{self.template}?mode=ro", uri=True)) as connection:
            mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
            page = connection.execute("PRAGMA page_size").fetchone()[0]
        return (WAL_CHECKPOINT_PAGES + 16) * page if mode == "wal" else 0

    def drop(self, url: str) -> None:
        """Nothing to drop: the scenario's folder goes with it (a small mount is unmounted)."""

    def full_reason(self) -> str | None:
        """Why "database full" cannot run here, or None."""
        return faults.mount_problem()


class PostgreSQL:
    """A template database, copied with CREATE DATABASE ... TEMPLATE per scenario."""

    name = "PostgreSQL"

    def __init__(self, server_url: str, tag: str) -> None:
        self.url = make_url(server_url)
        self.tag = tag
        self.template = f"champions_load_{tag}_template"
        self.count = 0

    def _psql(self, sql: str, database: str = "postgres") -> str:
        """Run one statement as the server's superuser; its output."""
        command = ["psql", "-h", self.url.host or "127.0.0.1", "-U", self.url.username or
                   "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tAc", sql]
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if done.returncode:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}")
        return done.stdout.strip()

    def _url(self, database: str) -> str:
        """The SQLAlchemy URL of one of our databases."""
        return self.url.set(database=database).render_as_string(hide_password=False)

    def version(self) -> str:
        """The server's version."""
        return "PostgreSQL " + self._psql("SHOW server_version").split()[0]

    def create_template(self, index_dir: Path, log: Path) -> str:
        """Create and fill the template database; its URL."""
        self._psql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._psql(f'CREATE DATABASE "{self.template}"')
        prepare(self._url(self.template), index_dir, log)
        return self._url(self.template)

    def copy(self, folder: Path, limit: int | None = None) -> str:
        """A fresh copy for one scenario; with `limit`, in a tablespace on a small filesystem
        (the write-ahead log stays on the server's own disk, so only our tables fill up)."""
        self.count += 1
        name = f"champions_load_{self.tag}_{self.count}"
        where = f" TABLESPACE {self._small_tablespace(folder)}" if limit is not None else ""
        self._psql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"{where}')
        if limit is not None:
            faults.leave_room(folder / "tablespace", limit + FIRST_PAGES)
        return self._url(name)

    def _small_tablespace(self, folder: Path) -> str:
        """A tablespace on its own tmpfs (shrunk once the copy is in)."""
        mount = folder / "tablespace"
        mount.mkdir()
        faults.small_filesystem(mount)
        shutil.chown(mount, "postgres", "postgres")
        name = f"champions_load_{self.tag}_small"
        self._psql(f"CREATE TABLESPACE {name} LOCATION '{mount}'")
        faults.CLEANUPS.append(lambda: self._psql(f"DROP TABLESPACE IF EXISTS {name}"))
        return name

    def drop(self, url: str) -> None:
        """Drop a scenario's database (before its tablespace and mount go)."""
        self._psql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def drop_template(self) -> None:
        """Drop the template database."""
        self._psql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')

    def full_reason(self) -> str | None:
        """Why "database full" cannot run here, or None."""
        if shutil.which("psql") is None:
            return "psql is missing"
        return faults.mount_problem() or self._local_problem()

    def _local_problem(self) -> str | None:
        """A tablespace needs a folder the server can write: only a server on this machine."""
        if self.url.host not in ("127.0.0.1", "localhost", None):
            return f"the server at {self.url.host} is not on this machine"
        if not Path("/var/lib/postgresql").exists():
            return "no local PostgreSQL data folder (/var/lib/postgresql)"
        return None
