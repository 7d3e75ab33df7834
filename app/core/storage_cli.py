"""`flask storage check`: operators verify that the configured file storage works;
`flask storage copy --to s3`: move a deployment's files from the folder to a bucket (or back)."""

from __future__ import annotations

import io
import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from app.config import STORAGE_BACKENDS
from app.core.storage import Storage, get_storage, make_storage

storage_cli = AppGroup("storage", help="Uploaded files: check the storage, copy between backends.")

# Probe blobs live in their own area, never among real uploads.
PROBE_AREA = "probe"


@storage_cli.command("check")
def check_storage() -> None:
    """Write, read back and delete a probe blob; print the backend and where it stores
    (never credentials). Exit code 1 when any step fails."""
    try:
        storage = get_storage()
        click.echo(f"Backend: {storage.name}")
        click.echo(f"Location: {storage.location()}")
        probe_storage(storage)
    except Exception as error:  # noqa: BLE001 - any failure is the answer the operator needs
        click.echo(f"Storage check failed: {type(error).__name__}: {error}", err=True)
        raise SystemExit(1) from error
    click.echo("Storage works: a probe blob was written, read back and deleted.")


def probe_storage(storage: Storage) -> None:
    """Round trip of a random blob; RuntimeError when what comes back differs."""
    key = f"{PROBE_AREA}/{secrets.token_hex(16)}"
    payload = secrets.token_bytes(1024)
    storage.save(key, io.BytesIO(payload))
    try:
        with storage.open(key) as blob:
            if blob.read() != payload:
                raise RuntimeError("the probe blob came back different")
    finally:
        storage.delete(key)
    if storage.exists(key):
        raise RuntimeError("the probe blob is still there after delete")


@storage_cli.command("copy")
@click.option(
    "--to",
    "target_backend",
    required=True,
    type=click.Choice(STORAGE_BACKENDS),
    help="The backend to copy into; the other one is read.",
)
def copy_storage(target_backend: str) -> None:
    """Copy every stored file into the folder or the bucket of TO, under the same keys; files
    already there are skipped, so an interrupted copy can simply be run again. Set
    STORAGE_BACKEND to TO afterwards."""
    source_backend = next(name for name in STORAGE_BACKENDS if name != target_backend)
    try:
        source = make_storage({**current_app.config, "STORAGE_BACKEND": source_backend})
        target = make_storage({**current_app.config, "STORAGE_BACKEND": target_backend})
        copied, skipped = copy_blobs(source, target)
    except Exception as error:  # noqa: BLE001 - the operator needs the reason, not a trace
        click.echo(f"Copy failed: {type(error).__name__}: {error}", err=True)
        raise SystemExit(1) from error
    click.echo(
        f"{copied} files copied, {skipped} already there: {source.location()} -> "
        f"{target.location()}."
    )


def copy_blobs(source: Storage, target: Storage) -> tuple[int, int]:
    """Copy the blobs of source missing in target; (copied, skipped)."""
    copied = skipped = 0
    for key in source.keys():
        if target.exists(key):
            skipped += 1
            continue
        with source.open(key) as blob:
            target.save(key, blob)
        copied += 1
    return copied, skipped
