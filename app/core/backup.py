"""Backups of the database: SQLite with its online backup API, PostgreSQL with pg_dump; the
uploaded files of the local storage backend as a tar archive beside the database backup
(<backup>.files.tar). Files in an S3 bucket are left to the object store's own versioning
or replication.

The search index is never backed up: the database is the source of truth, so a restore
rebuilds the index from it (app/core/operations.py runs the migrations and the rebuild)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData
from sqlalchemy.engine import URL, Engine, make_url


class BackupError(RuntimeError):
    """A backup or restore that could not be done (the message says why, without secrets)."""


# The archive of the stored files sits beside the database backup under this suffix.
FILES_ARCHIVE_SUFFIX = ".files.tar"


def default_backup_path(data_dir: str | Path, database_url: str) -> Path:
    """DATA_DIR/backups/champions-<UTC time>.<sqlite|dump>."""
    suffix = "sqlite" if make_url(database_url).get_backend_name() == "sqlite" else "dump"
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(data_dir) / "backups" / f"champions-{stamp}.{suffix}"


def backup_database(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the live database to `target` (a new file); return it."""
    url = make_url(database_url)
    target = target.expanduser().resolve()
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")  # never a half-written backup
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(_sqlite_file(url), partial)
    else:
        _run_postgres_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}"], url)
    partial.replace(target)
    return target


def restore_database(engine: Engine, source: Path) -> None:
    """Replace the whole database with the backup `source` (taken by backup_database)."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file.")
    url = engine.url
    engine.dispose()  # no pooled connection of ours holds the old database open
    if url.get_backend_name() == "sqlite":
        _copy_sqlite(source, _sqlite_file(url))
        return
    _drop_all_tables(engine)
    _run_postgres_tool(["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error",
                        str(source)], url, target_flag="--dbname")


def _sqlite_file(url: URL) -> Path:
    """The file of a SQLite URL (in-memory databases cannot be backed up)."""
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has no file to back up.")
    return Path(url.database)


def _copy_sqlite(source: Path, target: Path) -> None:
    """Page by page with sqlite3's online backup API: writers may go on meanwhile."""
    if not source.is_file():
        raise BackupError(f"SQLite file {source} does not exist.")
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()


def _drop_all_tables(engine: Engine) -> None:
    """Drop every table (Alembic's too), so the restored database is exactly the backup."""
    tables = MetaData()
    tables.reflect(bind=engine)
    with engine.begin() as connection:
        tables.drop_all(bind=connection)
    engine.dispose()


def _run_postgres_tool(command: list[str], url: URL, target_flag: str = "") -> None:
    """Run pg_dump or pg_restore against `url`; the password goes in the environment."""
    if not shutil.which(command[0]):
        raise BackupError(f"{command[0]} is not installed (Debian: apt install postgresql-client).")
    plain = url.set(drivername="postgresql", password=None)
    address = plain.render_as_string(hide_password=False)
    argv = [*command, f"{target_flag}={address}"] if target_flag else [*command, address]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    done = subprocess.run(argv, env=env, capture_output=True, text=True,  # noqa: S603 - our argv
                          check=False)
    if done.returncode:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-500:]}")


def files_archive_path(backup: Path) -> Path:
    """Where the stored files of the database backup `backup` go: <backup>.files.tar."""
    return backup.with_name(backup.name + FILES_ARCHIVE_SUFFIX)


def backup_files(folder: Path, archive: Path) -> int:
    """Archive the blobs in `folder` (uncompressed: uploads are mostly compressed already);
    return how many. Unfinished uploads (*.part) are left out."""
    if archive.exists():
        raise BackupError(f"{archive} exists already; choose a new file.")
    partial = archive.with_name(archive.name + ".partial")
    count = 0
    with tarfile.open(partial, "w") as tar:
        for path in _stored_files(folder):
            tar.add(path, arcname=path.relative_to(folder).as_posix(), recursive=False)
            count += 1
    partial.replace(archive)
    return count


def _stored_files(folder: Path) -> list[Path]:
    """The blobs of a local storage folder (<area>/<hex>), sorted; none when it is missing."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*/*")
                  if path.is_file() and path.suffix != ".part")


def restore_files(archive: Path, folder: Path) -> int:
    """Replace the contents of `folder` with the archive's blobs; return how many. The
    archive is unpacked beside the folder first, so a broken one changes nothing."""
    staging = folder.with_name(folder.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)  # an empty archive restores an empty folder
    try:
        with tarfile.open(archive, "r") as tar:
            tar.extractall(staging, filter="data")  # refuses absolute paths and links out
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupError(f"cannot read the file archive {archive}: {error}") from error
    count = len(_stored_files(staging))
    old = folder.with_name(folder.name + ".replaced")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.replace(old)
    staging.replace(folder)
    shutil.rmtree(old, ignore_errors=True)
    return count
