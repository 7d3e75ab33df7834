"""Uploaded files behind one interface: every backend (a local folder, an S3-compatible
object store reached over HTTP) keeps the same contract."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.core.storage import (
    LocalStorage,
    S3Storage,
    blob_size,
    get_storage,
    make_storage,
    send_blob,
)
from tests.fixtures.app import _test_settings

KEY = "attachments/" + "ab" * 16
OTHER_KEY = "attachments/" + "cd" * 16
BIG = 20 * 1024 * 1024  # beyond boto3's 8 MB multipart threshold: three parts
INVALID_KEYS = ["../x", "/etc/passwd", "attachments/UPPER", "", "attachments/../../" + "ab" * 16]


class PatternStream:
    """`size` deterministic bytes, read in chunks, never all in memory; optionally raising
    after `fail_after` bytes, as a dropped upload connection would."""

    def __init__(self, size: int, fail_after: int | None = None) -> None:
        self.size = size
        self.fail_after = fail_after
        self.sent = 0
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if self.fail_after is not None and self.sent >= self.fail_after:
            raise OSError("connection lost")
        wanted = self.size - self.sent if size < 0 else min(size, self.size - self.sent)
        wanted = min(wanted, 1024 * 1024)
        chunk = bytes((self.sent + i) % 251 for i in range(min(wanted, 251))) * (wanted // 251)
        chunk += bytes((self.sent + len(chunk) + i) % 251 for i in range(wanted - len(chunk)))
        self.sent += len(chunk)
        self.digest.update(chunk)
        return chunk


def digest_of(stream) -> str:
    """sha256 of a stream, read in chunks."""
    digest = hashlib.sha256()
    while chunk := stream.read(1024 * 1024):
        digest.update(chunk)
    return digest.hexdigest()


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    """Each backend in turn: a folder of its own, or a bucket of its own on the moto server."""
    if request.param == "local":
        return LocalStorage(tmp_path / "files")
    settings = request.getfixturevalue("s3_settings")
    return make_storage(settings)


def test_bytes_come_back_as_they_were_saved(storage) -> None:
    assert storage.save(KEY, io.BytesIO(b"%PDF-1.7 minutes")) == 16
    with storage.open(KEY) as blob:
        assert blob.read() == b"%PDF-1.7 minutes"


def test_a_big_stream_is_stored_whole(storage) -> None:
    source = PatternStream(BIG)
    assert storage.save(KEY, source) == BIG
    with storage.open(KEY) as blob:
        assert digest_of(blob) == source.digest.hexdigest()


def test_saving_again_replaces_the_blob(storage) -> None:
    storage.save(KEY, io.BytesIO(b"first"))
    storage.save(KEY, io.BytesIO(b"second"))
    with storage.open(KEY) as blob:
        assert blob.read() == b"second"


def test_delete_removes_the_blob_and_may_be_repeated(storage) -> None:
    storage.save(KEY, io.BytesIO(b"x"))
    storage.save(OTHER_KEY, io.BytesIO(b"y"))
    storage.delete(KEY)
    storage.delete(KEY)
    assert not storage.exists(KEY)
    assert storage.exists(OTHER_KEY)


def test_exists_tells_stored_from_missing(storage) -> None:
    assert not storage.exists(KEY)
    storage.save(KEY, io.BytesIO(b"x"))
    assert storage.exists(KEY)


def test_keys_lists_every_stored_blob(storage) -> None:
    storage.save(OTHER_KEY, io.BytesIO(b"y"))
    storage.save(KEY, io.BytesIO(b"x"))
    assert sorted(storage.keys()) == [KEY, OTHER_KEY]


def test_a_missing_blob_raises_file_not_found(storage) -> None:
    with pytest.raises(FileNotFoundError):
        storage.open(KEY)


def test_invalid_keys_are_refused_by_every_operation(storage) -> None:
    for key in INVALID_KEYS:
        with pytest.raises(ValueError, match="invalid storage key"):
            storage.save(key, io.BytesIO(b"x"))
        for operation in (storage.open, storage.delete, storage.exists):
            with pytest.raises(ValueError, match="invalid storage key"):
                operation(key)


def test_an_opened_blob_can_seek_for_range_requests(storage) -> None:
    storage.save(KEY, io.BytesIO(b"0123456789"))
    with storage.open(KEY) as blob:
        assert blob.seekable()
        assert blob_size(blob) == 10
        blob.seek(4)
        assert blob.read(3) == b"456"


def test_a_failed_upload_leaves_no_blob(storage) -> None:
    with pytest.raises(OSError, match="connection lost"):
        storage.save(KEY, PatternStream(BIG, fail_after=3 * 1024 * 1024))
    assert not storage.exists(KEY)


def test_a_failed_upload_leaves_no_partial_file_in_the_folder(tmp_path) -> None:
    storage = LocalStorage(tmp_path / "files")
    storage.save(KEY, io.BytesIO(b"kept"))
    with pytest.raises(OSError, match="connection lost"):
        storage.save(KEY, PatternStream(BIG, fail_after=3 * 1024 * 1024))
    assert [p.name for p in (tmp_path / "files").rglob("*") if p.is_file()] == [KEY[12:]]
    with storage.open(KEY) as blob:
        assert blob.read() == b"kept"


def test_the_local_backend_never_writes_outside_its_folder(tmp_path) -> None:
    root = tmp_path / "files"
    storage = LocalStorage(root)
    for key in INVALID_KEYS:
        with pytest.raises(ValueError, match="invalid storage key"):
            storage.save(key, io.BytesIO(b"x"))
    storage.save(KEY, io.BytesIO(b"x"))
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert written == [root / KEY]


def test_s3_objects_carry_the_configured_prefix(s3_settings) -> None:
    storage = make_storage(s3_settings)
    storage.save(KEY, io.BytesIO(b"x"))
    listed = storage.client.list_objects_v2(Bucket=s3_settings["STORAGE_S3_BUCKET"])
    assert [item["Key"] for item in listed["Contents"]] == ["champions/" + KEY]


def test_an_unknown_backend_is_refused_with_its_name() -> None:
    with pytest.raises(ValueError, match="'ftp'.*local, s3"):
        make_storage({"STORAGE_BACKEND": "ftp", "DATA_DIR": "/nonexistent"})


def test_s3_without_a_bucket_is_refused() -> None:
    with pytest.raises(ValueError, match="STORAGE_S3_BUCKET"):
        make_storage({"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": ""})


def test_the_local_backend_never_imports_boto3() -> None:
    code = (
        "import sys; from app.core.storage import make_storage; "
        "make_storage({'STORAGE_BACKEND': 'local', 'DATA_DIR': '/tmp'}); "
        "print('boto3' in sys.modules)"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert shown.stdout.strip() == "False"


def test_the_local_default_lives_under_the_data_folder(tmp_path) -> None:
    storage = make_storage(
        {"STORAGE_BACKEND": "local", "STORAGE_DIR": "", "DATA_DIR": str(tmp_path)}
    )
    assert isinstance(storage, LocalStorage)
    assert storage.root == tmp_path / "files"


@pytest.fixture
def s3_app(s3_settings, database_url, _schema, tmp_path: Path):
    """The portal configured for the test bucket, with a route that downloads a blob the way
    a view does (send_file, Range requests allowed)."""
    settings = {**_test_settings(database_url, str(tmp_path / "index")), **s3_settings}
    application = create_app(settings)

    @application.get("/_test/blob/<area>/<name>")
    def download(area: str, name: str):
        return send_blob(f"{area}/{name}", mimetype="application/pdf")

    with application.app_context():
        yield application


def test_the_app_serves_a_blob_from_the_object_store(s3_app) -> None:
    storage = get_storage()
    assert isinstance(storage, S3Storage)
    storage.save(KEY, io.BytesIO(b"%PDF-1.7 agenda"))
    with s3_app.test_client().get(f"/_test/blob/{KEY}") as response:
        assert response.status_code == 200
        assert response.data == b"%PDF-1.7 agenda"
        assert response.content_length == 15


def test_a_download_answers_range_requests(s3_app) -> None:
    get_storage().save(KEY, io.BytesIO(b"%PDF-1.7 agenda"))
    client = s3_app.test_client()
    with client.get(f"/_test/blob/{KEY}", headers={"Range": "bytes=9-"}) as response:
        assert response.status_code == 206
        assert response.data == b"agenda"


def test_storage_check_round_trips_a_probe_in_the_folder(app) -> None:
    result = app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 0, result.output
    assert "Backend: local" in result.output
    assert f"Location: {Path(app.config['STORAGE_DIR']).resolve()}" in result.output
    assert not [p for p in Path(app.config["STORAGE_DIR"]).rglob("*") if p.is_file()]


def test_storage_check_fails_when_the_folder_cannot_be_written(app, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    app.config["STORAGE_DIR"] = str(blocker)
    result = app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 1
    assert "Storage check failed" in result.output


def test_storage_check_reports_the_bucket_but_no_secret(s3_app) -> None:
    result = s3_app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 0, result.output
    assert "Backend: s3" in result.output
    assert f"s3://{s3_app.config['STORAGE_S3_BUCKET']}/champions/" in result.output
    assert "portal-test-secret" not in result.output


def test_storage_check_fails_for_a_missing_bucket(s3_app) -> None:
    s3_app.config["STORAGE_S3_BUCKET"] = "no-such-bucket-here"
    result = s3_app.test_cli_runner().invoke(args=["storage", "check"])
    assert result.exit_code == 1
    assert "NoSuchBucket" in result.output


def test_storage_copy_moves_the_folder_into_the_bucket_once(s3_app) -> None:
    folder = LocalStorage(Path(s3_app.config["STORAGE_DIR"]))
    folder.save(KEY, io.BytesIO(b"%PDF-1.7 minutes"))
    runner = s3_app.test_cli_runner()
    first = runner.invoke(args=["storage", "copy", "--to", "s3"])
    assert first.exit_code == 0, first.output
    assert "1 files copied, 0 already there" in first.output
    with get_storage().open(KEY) as blob:
        assert blob.read() == b"%PDF-1.7 minutes"
    again = runner.invoke(args=["storage", "copy", "--to", "s3"])
    assert "0 files copied, 1 already there" in again.output
