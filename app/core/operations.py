"""Operator commands: `champions serve`, `champions backup`, `champions restore`.

serve runs gunicorn with the configuration kept in the package (app/gunicorn_conf.py);
backup and restore cover SQLite and PostgreSQL (app/core/backup.py) and the uploaded files
of the local storage backend; a restore runs the migrations and rebuilds the search index,
so the portal is whole again afterwards."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.core.backup import (
    BackupError,
    backup_database,
    backup_files,
    default_backup_path,
    files_archive_path,
    restore_database,
    restore_files,
)
from app.core.storage import LocalStorage, get_storage
from app.extensions import db

# The settings `champions serve` hands to the gunicorn configuration (as CHAMPIONS_* variables).
SERVE_KEYS = ("SERVE_BIND", "SERVE_WORKERS", "SERVE_TIMEOUT")


def gunicorn_command() -> list[str]:
    """gunicorn, this interpreter's, with the packaged configuration and the app factory."""
    return [sys.executable, "-m", "gunicorn", "--config", "python:app.gunicorn_conf",
            "app:create_app()"]


def serve_environment(config: dict, overrides: dict) -> dict[str, str]:
    """The environment for gunicorn: ours, plus the SERVE_* settings in force (options first)."""
    env = dict(os.environ)
    for key in SERVE_KEYS:
        value = overrides.get(key)
        env[f"CHAMPIONS_{key}"] = str(value if value is not None else config[key])
    return env


@click.command("serve")
@click.option("--bind", help="Address to listen on, host:port or unix:PATH (SERVE_BIND).")
@click.option("--workers", type=int, help="Worker processes (SERVE_WORKERS).")
@click.option("--timeout", type=int, help="Seconds before a stuck request's worker is "
              "restarted (SERVE_TIMEOUT).")
@with_appcontext
def serve_command(bind: str | None, workers: int | None, timeout: int | None) -> None:
    """Serve the portal with gunicorn (production; put nginx in front for TLS)."""
    overrides = {"SERVE_BIND": bind, "SERVE_WORKERS": workers, "SERVE_TIMEOUT": timeout}
    env = serve_environment(current_app.config, overrides)
    command = gunicorn_command()
    sys.stdout.flush()
    # gunicorn takes over the process, so the signals of systemd reach its master directly.
    os.execve(command[0], command, env)  # noqa: S606 - a fixed argv, no shell


@click.command("backup")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path | None) -> None:
    """Back up the database to PATH (default: DATA_DIR/backups/champions-<time>.*); SQLite
    with its online backup API, PostgreSQL with pg_dump (custom format); the local storage
    folder's files to PATH.files.tar. The portal may run."""
    config = current_app.config
    target = path or default_backup_path(config["DATA_DIR"], config["DATABASE_URL"])
    archive = files_archive_path(target.expanduser().resolve())
    try:
        if archive.exists():  # checked first: never a database backup without its files
            raise BackupError(f"{archive} exists already; choose a new file.")
        written = backup_database(config["DATABASE_URL"], target)
        click.echo(f"Backed up to {written} ({written.stat().st_size} bytes).")
        _backup_stored_files(written)
    except BackupError as error:
        raise click.ClickException(str(error)) from error


def _backup_stored_files(database_backup: Path) -> None:
    """Archive the local storage folder beside the database backup; S3 objects stay in their
    bucket, protected by the object store's versioning or replication."""
    storage = get_storage()
    if not isinstance(storage, LocalStorage):
        click.echo(f"Stored files are not in this backup: they live in {storage.location()}, "
                   "backed up by the object store's own versioning or replication.")
        return
    archive = files_archive_path(database_backup)
    count = backup_files(storage.root, archive)
    click.echo(f"Stored files: {count} archived to {archive}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the database with the backup PATH (and the local storage folder with
    PATH.files.tar when there is one), run the migrations and rebuild the search index. Stop
    the web server and the worker first."""
    if not yes:
        click.confirm("This replaces the whole database with the backup. Go on?", abort=True)
    try:
        restore_database(db.engine, path)
        click.echo("Database restored; running the migrations.")
        _restore_stored_files(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    _upgrade_schema()
    _rebuild_search_index()


def _restore_stored_files(database_backup: Path) -> None:
    """Put back the local storage folder from the archive beside the backup; a backup from
    before issue 14 has none, and the folder is then left as it is."""
    storage = get_storage()
    if not isinstance(storage, LocalStorage):
        click.echo(f"Stored files were not restored: they live in {storage.location()}.")
        return
    archive = files_archive_path(database_backup)
    if not archive.is_file():
        click.echo(f"No file archive {archive}; the stored files were left as they are.")
        return
    count = restore_files(archive, storage.root)
    click.echo(f"Stored files restored: {count}.")


def _upgrade_schema() -> None:
    """Bring a backup of an older release up to this one's schema."""
    from flask_migrate import upgrade

    upgrade()


def _rebuild_search_index() -> None:
    """The index is never in a backup: build it from the restored database."""
    from app.search.services import rebuild_index

    summary = rebuild_index()
    click.echo(f"Search index rebuilt: {summary.count} items.")


def ensure_data_dir() -> None:
    """Create DATA_DIR/instance for the default SQLite file (a fresh install has none yet);
    an unwritable folder is left for the command to report."""
    if os.environ.get("CHAMPIONS_DATABASE_URL"):
        return
    from app.config import DATA_ROOT

    try:
        (DATA_ROOT / "instance").mkdir(parents=True, exist_ok=True)
    except OSError:
        pass


def parse_setting(raw: str | None, default):
    """A CHAMPIONS_* value as from_prefixed_env reads it: JSON when it parses, else the text."""
    if raw is None:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        return raw


OPERATIONS_COMMANDS = (serve_command, backup_command, restore_command)
