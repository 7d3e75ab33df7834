"""Operating the portal: where files are read and data written, gunicorn's settings,
`champions serve`, and backup plus restore (SQLite here; PostgreSQL in tests/deploy)."""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from app import create_app
from app.config import PACKAGE_DIR, default_data_dir, source_root
from app.core import operations
from app.extensions import db as _db
from tests.fixtures.app import _test_settings

CHECKOUT = PACKAGE_DIR.parent
FIXTURE_CONTENT = CHECKOUT / "tests" / "fixtures" / "content" / "valid"


def test_checkout_reads_its_own_folders() -> None:
    assert source_root(PACKAGE_DIR) == CHECKOUT


def test_installed_package_reads_the_bundled_copy(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "app"
    package.mkdir(parents=True)
    assert source_root(package) == package / "_bundled"


def test_installed_package_keeps_data_in_the_user_folder(tmp_path: Path) -> None:
    bundled = tmp_path / "site-packages" / "app" / "_bundled"
    found = default_data_dir(bundled, {"XDG_DATA_HOME": str(tmp_path / "share")})
    assert found == tmp_path / "share" / "champions-portal"


def test_checkout_keeps_data_in_the_repository_root() -> None:
    assert default_data_dir(CHECKOUT, {}) == CHECKOUT


def test_data_dir_variable_moves_database_and_index(tmp_path: Path) -> None:
    code = "from app.config import Config; print(Config.DATABASE_URL); print(Config.INDEX_DIR)"
    env = {**os.environ, "CHAMPIONS_DATA_DIR": str(tmp_path)}
    shown = subprocess.run([sys.executable, "-c", code], cwd=CHECKOUT, env=env,
                           capture_output=True, text=True, check=True).stdout.splitlines()
    assert shown[0] == f"sqlite:///{tmp_path / 'instance' / 'champions.sqlite'}"
    assert shown[1] == str(tmp_path / "search_index")


def test_access_log_format_names_no_address_query_or_browser() -> None:
    from app import gunicorn_conf

    for atom in ("%(h)s", "%(q)s", "%(r)s", "%(a)s", "%(f)s", "%({"):
        assert atom not in gunicorn_conf.access_log_format


def test_access_log_hides_address_query_and_link_tokens() -> None:
    from gunicorn.config import Config as GunicornConfig

    from app import gunicorn_conf

    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/en/password/reset/s3cr3t?next=x",
               "PATH_INFO": "/en/password/reset/s3cr3t", "QUERY_STRING": "next=x",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9"}
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger = gunicorn_conf.PrivateLogger(GunicornConfig())
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=1))
    line = gunicorn_conf.access_log_format % atoms
    assert "s3cr3t" not in line
    assert "203.0.113.9" not in line
    assert "next=x" not in line
    assert "/en/password/reset/<token>" in line


def test_gunicorn_settings_come_from_the_environment(monkeypatch) -> None:
    from app import gunicorn_conf

    monkeypatch.setenv("CHAMPIONS_SERVE_BIND", "127.0.0.1:8123")
    monkeypatch.setenv("CHAMPIONS_SERVE_WORKERS", "7")
    monkeypatch.setenv("CHAMPIONS_SERVE_TIMEOUT", "45")
    try:
        settings = importlib.reload(gunicorn_conf)
        assert settings.bind == "127.0.0.1:8123"
        assert settings.workers == 7
        assert settings.timeout == 45
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn_conf)


def test_gunicorn_replaces_workers_and_trusts_only_the_local_proxy() -> None:
    from app import gunicorn_conf

    assert gunicorn_conf.max_requests > 0
    assert gunicorn_conf.max_requests_jitter > 0
    assert gunicorn_conf.forwarded_allow_ips == "127.0.0.1,::1"


def test_serve_runs_gunicorn_with_the_packaged_config(app, monkeypatch) -> None:
    started = []
    monkeypatch.setattr(operations.os, "execve", lambda *call: started.append(call))
    result = app.test_cli_runner().invoke(args=["serve", "--workers", "3"])
    assert result.exit_code == 0, result.output
    program, argv, env = started[0]
    assert program == sys.executable
    assert argv[1:] == ["-m", "gunicorn", "--config", "python:app.gunicorn_conf",
                        "app:create_app()"]
    assert env["CHAMPIONS_SERVE_WORKERS"] == "3"
    assert env["CHAMPIONS_SERVE_BIND"] == app.config["SERVE_BIND"]


@pytest.fixture
def file_app(tmp_path: Path):
    """An app on its own SQLite file (a restore replaces the whole database), schema of the
    models recorded as the newest migration."""
    from flask_migrate import stamp

    settings = _test_settings(f"sqlite:///{tmp_path / 'live.sqlite'}", str(tmp_path / "index"))
    application = create_app({**settings, "DATA_DIR": str(tmp_path)})
    with application.app_context():
        _db.create_all()
        stamp()
        yield application
        _db.session.remove()
        _db.engine.dispose()


def _published_and_indexed() -> tuple[int, int]:
    """(published items in the database, documents in the search index)."""
    from app.search.services import index_status

    status = index_status()
    return status["published"], status["documents"]


def test_backup_then_restore_brings_back_the_data_and_the_index(file_app, tmp_path) -> None:
    runner = file_app.test_cli_runner()
    assert runner.invoke(args=["content", "load", str(FIXTURE_CONTENT)]).exit_code == 0
    published, _ = _published_and_indexed()
    assert published > 0
    backup = tmp_path / "saved.sqlite"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    _db.session.execute(_db.text("DELETE FROM alembic_version"))  # gone after the backup
    _db.session.commit()
    _db.drop_all()
    restored = runner.invoke(args=["restore", "--yes", str(backup)])
    assert restored.exit_code == 0, restored.output
    assert _published_and_indexed() == (published, published)


def test_backup_goes_to_the_data_folder_by_default(file_app, tmp_path) -> None:
    result = file_app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "backups").glob("champions-*.sqlite"))) == 1


def test_backup_never_overwrites_a_file(file_app, tmp_path) -> None:
    existing = tmp_path / "keep.sqlite"
    existing.write_text("precious")
    result = file_app.test_cli_runner().invoke(args=["backup", str(existing)])
    assert result.exit_code != 0
    assert existing.read_text() == "precious"


def test_restore_asks_before_replacing_the_database(file_app, tmp_path) -> None:
    backup = tmp_path / "saved.sqlite"
    runner = file_app.test_cli_runner()
    runner.invoke(args=["backup", str(backup)])
    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code != 0
    assert "Aborted" in result.output


STORED_KEY = "attachments/" + "ab" * 16


def test_backup_then_restore_brings_back_the_stored_files(file_app, tmp_path) -> None:
    from app.core.storage import get_storage

    storage = get_storage()
    storage.save(STORED_KEY, io.BytesIO(b"%PDF-1.7 minutes"))
    runner = file_app.test_cli_runner()
    backed_up = runner.invoke(args=["backup", str(tmp_path / "saved.sqlite")])
    assert "Stored files: 1 archived" in backed_up.output
    storage.delete(STORED_KEY)
    storage.save("attachments/" + "cd" * 16, io.BytesIO(b"uploaded after the backup"))
    restored = runner.invoke(args=["restore", "--yes", str(tmp_path / "saved.sqlite")])
    assert restored.exit_code == 0, restored.output
    with storage.open(STORED_KEY) as blob:
        assert blob.read() == b"%PDF-1.7 minutes"
    assert not storage.exists("attachments/" + "cd" * 16)


def test_a_backup_without_a_file_archive_leaves_the_files_alone(file_app, tmp_path) -> None:
    from app.core.storage import get_storage

    runner = file_app.test_cli_runner()
    runner.invoke(args=["backup", str(tmp_path / "old.sqlite")])
    (tmp_path / "old.sqlite.files.tar").unlink()  # as made before issue 14
    get_storage().save(STORED_KEY, io.BytesIO(b"kept"))
    restored = runner.invoke(args=["restore", "--yes", str(tmp_path / "old.sqlite")])
    assert restored.exit_code == 0, restored.output
    assert "left as they are" in restored.output
    assert get_storage().exists(STORED_KEY)


def test_a_backup_never_overwrites_a_file_archive(file_app, tmp_path) -> None:
    (tmp_path / "saved.sqlite.files.tar").write_text("precious")
    result = file_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "saved.sqlite")])
    assert result.exit_code != 0
    assert not (tmp_path / "saved.sqlite").exists()


def test_with_s3_the_backup_says_where_the_files_are(file_app, tmp_path, s3_settings) -> None:
    from app.core.storage import EXTENSION_KEY

    file_app.config.update(s3_settings)
    file_app.extensions.pop(EXTENSION_KEY, None)
    result = file_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "saved.sqlite")])
    assert result.exit_code == 0, result.output
    assert f"s3://{s3_settings['STORAGE_S3_BUCKET']}/champions/" in result.output
    assert "versioning or replication" in result.output
    assert not (tmp_path / "saved.sqlite.files.tar").exists()


def test_help_lists_the_commands_without_any_setting() -> None:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("CHAMPIONS_", "FLASK_"))}
    shown = subprocess.run([sys.executable, "-c", "from app.cli import main; main()", "--help"],
                           cwd=CHECKOUT, env=env, capture_output=True, text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    for command in ("serve", "backup", "restore"):
        assert f"\n  {command} " in shown.stdout


def test_the_default_sqlite_folder_is_created_on_first_use(tmp_path, monkeypatch) -> None:
    import app.config

    monkeypatch.setattr(app.config, "DATA_ROOT", tmp_path / "data")
    monkeypatch.delenv("CHAMPIONS_DATABASE_URL", raising=False)
    operations.ensure_data_dir()
    assert (tmp_path / "data" / "instance").is_dir()
