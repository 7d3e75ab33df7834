"""Where uploaded files live: one small interface, a local folder outside the web root by
default, an S3-compatible object store for deployments with more than one server."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

EXTENSION_KEY = "champions_storage"
# Keys are made by the portal (never from a user's file name): "<area>/<hex>".
KEY_PATTERN = re.compile(r"^[a-z0-9_-]{1,40}/[a-f0-9]{16,64}$")


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
        with partial.open("wb") as out:
            shutil.copyfileobj(stream, out, length=1024 * 1024)
        partial.replace(target)  # readers never see half a file
        return target.stat().st_size

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()


def get_storage() -> Storage:
    """The configured backend of the current app (made once per app)."""
    storage = current_app.extensions.get(EXTENSION_KEY)
    if storage is None:
        storage = make_storage(current_app.config)
        current_app.extensions[EXTENSION_KEY] = storage
    return storage


def make_storage(config) -> Storage:
    """STORAGE_BACKEND "local" (STORAGE_DIR, default <DATA_DIR>/files)."""
    folder = config.get("STORAGE_DIR") or Path(config["DATA_DIR"]) / "files"
    return LocalStorage(Path(folder))
