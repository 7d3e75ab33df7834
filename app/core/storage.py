"""Where uploaded files live: one small interface, a local folder outside the web root by
default, an S3-compatible object store for deployments with more than one server."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from flask import Response, current_app, request, send_file

from app.config import STORAGE_BACKENDS

EXTENSION_KEY = "champions_storage"
# Keys are made by the portal (never from a user's file name): "<area>/<hex>".
KEY_PATTERN = re.compile(r"^[a-z0-9_-]{1,40}/[a-f0-9]{16,64}$")
# Bytes copied per read when streaming a blob in or out.
COPY_CHUNK = 1024 * 1024
# An object read from S3 stays in memory up to this size, beyond it in a temporary file.
S3_SPOOL_MAX_MEMORY = 8 * 1024 * 1024
# S3 error codes that mean "no such object" (GetObject says NoSuchKey, HeadObject only 404).
S3_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


class Storage(Protocol):
    """Store, read and delete blobs by key. Keys are validated by every backend."""

    name: str

    def save(self, key: str, stream: BinaryIO) -> int:
        """Write the stream under key (replacing any blob there); return the bytes written."""

    def open(self, key: str) -> BinaryIO:
        """A readable binary stream of the blob; FileNotFoundError when it is missing."""

    def delete(self, key: str) -> None:
        """Remove the blob; nothing happens when it is already gone."""

    def exists(self, key: str) -> bool:
        """Whether a blob is stored under key."""

    def location(self) -> str:
        """Where the blobs are, for operators (a folder, a bucket); never credentials."""

    def keys(self) -> Iterator[str]:
        """Every stored key (for copies between backends)."""


def checked_key(key: str) -> str:
    """The key itself, or ValueError: no traversal, no absolute paths, no user file names."""
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError("invalid storage key")
    return key


class LocalStorage:
    """Blobs as files in a folder that the web server never serves directly."""

    name = "local"

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        """The file of a key, inside root."""
        return self.root / checked_key(key)

    def save(self, key: str, stream: BinaryIO) -> int:
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        try:
            with partial.open("wb") as out:
                shutil.copyfileobj(stream, out, length=COPY_CHUNK)
        except BaseException:
            partial.unlink(missing_ok=True)  # a failed upload leaves nothing behind
            raise
        partial.replace(target)  # readers never see half a file
        return target.stat().st_size

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def location(self) -> str:
        """Where the blobs are, for operators (`flask storage check`)."""
        return str(self.root.resolve())

    def keys(self) -> Iterator[str]:
        """Every stored key (unfinished uploads left out), for copies between backends."""
        for path in sorted(self.root.glob("*/*")):
            key = path.relative_to(self.root).as_posix()
            if path.is_file() and KEY_PATTERN.fullmatch(key):
                yield key


class _FullReader:
    """A read-only view of a stream that fills every read and counts the bytes: boto3 takes
    a short read of a non-seekable stream for its end (a socket's or a generator's short
    reads would silently cut the upload), and the count is the size without a request."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        """Exactly `size` bytes (all of them for -1) unless the stream ends first."""
        if size is None or size < 0:
            data = self.stream.read()
        else:
            parts, missing = [], size
            while missing > 0 and (chunk := self.stream.read(missing)):
                parts.append(chunk)
                missing -= len(chunk)
            data = b"".join(parts)
        self.count += len(data)
        return data


class S3Storage:
    """Blobs as objects in an S3-compatible bucket (AWS, MinIO, Ceph, Garage ...), shared by
    every server of a deployment. boto3 is imported only when this backend is used."""

    name = "s3"

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str = "",
                 region: str = "") -> None:
        if not bucket:
            raise ValueError("STORAGE_BACKEND is s3 but STORAGE_S3_BUCKET is empty")
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint_url = endpoint_url
        self.region = region
        self._client = None

    @property
    def client(self):
        """The boto3 S3 client, made on first use (credentials: boto3's standard chain)."""
        if self._client is None:
            import boto3  # optional extra "s3": a local deployment never needs it

            self._client = boto3.session.Session().client(
                "s3", endpoint_url=self.endpoint_url or None, region_name=self.region or None)
        return self._client

    def object_key(self, key: str) -> str:
        """The object's name in the bucket: prefix + the validated key."""
        return self.prefix + checked_key(key)

    def save(self, key: str, stream: BinaryIO) -> int:
        # upload_fileobj sends big streams as a multipart upload, part by part, and aborts
        # it on failure; S3 shows an object only once it is complete.
        from boto3.s3.transfer import TransferConfig

        counted = _FullReader(stream)
        # Parts of 8 MB, at most 4 in flight: a big upload holds about 32 MB of memory.
        transfer = TransferConfig(multipart_chunksize=COPY_CHUNK * 8, max_concurrency=4)
        self.client.upload_fileobj(counted, self.bucket, self.object_key(key), Config=transfer)
        return counted.count

    def open(self, key: str) -> BinaryIO:
        # The HTTP body cannot seek, so it is copied into a spooled temporary file: send_file
        # can then learn the size (blob_size) and serve Range requests; small blobs stay in
        # memory, big ones go to disk instead of filling it.
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))["Body"]
        except self._client_error() as error:
            raise _missing_or_error(error, key) from error
        spooled = tempfile.SpooledTemporaryFile(max_size=S3_SPOOL_MAX_MEMORY)  # noqa: SIM115
        try:
            with body:
                shutil.copyfileobj(body, spooled, length=COPY_CHUNK)
        except BaseException:
            spooled.close()
            raise
        spooled.seek(0)
        return spooled

    def delete(self, key: str) -> None:
        # S3's DeleteObject succeeds for a missing object as well.
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except self._client_error() as error:
            if _error_code(error) in S3_MISSING_CODES:
                return False
            raise
        return True

    def location(self) -> str:
        """Where the blobs are, for operators: bucket, prefix and endpoint (no credentials)."""
        endpoint = self.endpoint_url or "AWS"
        return f"s3://{self.bucket}/{self.prefix} at {endpoint}"

    def keys(self) -> Iterator[str]:
        """Every stored key under the prefix, for copies between backends."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                key = item["Key"][len(self.prefix):]
                if KEY_PATTERN.fullmatch(key):
                    yield key

    @staticmethod
    def _client_error() -> type[Exception]:
        """botocore's ClientError (imported lazily, like boto3)."""
        from botocore.exceptions import ClientError

        return ClientError


def _error_code(error: Exception) -> str:
    """The S3 error code of a botocore ClientError."""
    return str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))


def _missing_or_error(error: Exception, key: str) -> Exception:
    """FileNotFoundError for a missing object, else the error itself."""
    if _error_code(error) in S3_MISSING_CODES:
        return FileNotFoundError(f"no blob stored under {key}")
    return error


def send_blob(key: str, **options: Any) -> Response:
    """A download of the blob for any backend: send_file (options: mimetype, download_name,
    as_attachment ...) with Content-Length set and Range requests answered, which send_file
    does by itself only for paths. FileNotFoundError when the blob is missing."""
    blob = get_storage().open(key)
    try:
        size = blob_size(blob)
        response = send_file(blob, conditional=False, **options)
        response.content_length = size
        return response.make_conditional(request, accept_ranges=True, complete_length=size)
    except BaseException:
        blob.close()  # on success the server closes it once the body is sent
        raise


def get_storage() -> Storage:
    """The configured backend of the current app (made once per app)."""
    storage = current_app.extensions.get(EXTENSION_KEY)
    if storage is None:
        storage = make_storage(current_app.config)
        current_app.extensions[EXTENSION_KEY] = storage
    return storage


def make_storage(config: Any) -> Storage:
    """The backend STORAGE_BACKEND names: "local" (STORAGE_DIR, default <DATA_DIR>/files) or
    "s3" (STORAGE_S3_*; credentials from boto3's own chain, never from the portal config)."""
    backend = config.get("STORAGE_BACKEND") or "local"
    if backend == "local":
        folder = config.get("STORAGE_DIR") or Path(config["DATA_DIR"]) / "files"
        return LocalStorage(Path(folder))
    if backend == "s3":
        return S3Storage(bucket=config.get("STORAGE_S3_BUCKET") or "",
                         prefix=config.get("STORAGE_S3_PREFIX") or "",
                         endpoint_url=config.get("STORAGE_S3_ENDPOINT_URL") or "",
                         region=config.get("STORAGE_S3_REGION") or "")
    raise ValueError(f"unknown STORAGE_BACKEND {backend!r}; use one of: "
                     + ", ".join(STORAGE_BACKENDS))


def blob_size(stream: BinaryIO) -> int:
    """The length of a seekable blob stream (as open returns it), left at its start."""
    size = stream.seek(0, 2)
    stream.seek(0)
    return size
