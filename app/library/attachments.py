"""Files attached to library items: upload (checked by content, stripped of metadata, stored
under a key the portal makes), list, delete with the blob, count downloads, video captions."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
import uuid
from typing import BinaryIO

from babel.units import format_unit
from sqlalchemy import select, update

from app.accounts.models import User
from app.core.storage import get_storage
from app.extensions import db
from app.library import captions
from app.library.file_checks import CheckedFile, check_file
from app.library.models import Attachment, ContentItem

STORAGE_AREA = "attachments"
NAME_LENGTH = 120
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    "audio/mpeg": ".mp3",
    "audio/ogg": ".ogg",
    "audio/mp4": ".m4a",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
    "text/vtt": ".vtt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
# Played or shown by the page itself: served inline; everything else as a download.
INLINE_KINDS = ("video", "audio", "captions", "image")
TAG = re.compile(r"<[^>]*>")  # the sanitised body's tags, for a plain-text transcript
UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;]+')


def limits_in_bytes(limits_mb: dict[str, int]) -> dict[str, int]:
    """ATTACHMENT_LIMITS_MB in bytes."""
    return {kind: megabytes * 1024 * 1024 for kind, megabytes in limits_mb.items()}


def display_name(file_name: str, mime_type: str) -> str:
    """The uploader's file name made safe to show and to send in Content-Disposition: no
    folders, no control or quoting characters, and the extension of the real type."""
    name = unicodedata.normalize("NFC", file_name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem = UNSAFE_NAME_CHARACTERS.sub("_", name.rsplit(".", 1)[0]).strip(" ._")
    return (stem or "file")[:NAME_LENGTH] + EXTENSIONS[mime_type]


def add_attachment(
    item: ContentItem,
    uploader: User,
    upload: BinaryIO,
    file_name: str,
    title: str,
    limits_mb: dict[str, int],
) -> Attachment:
    """Check the upload (FileRefused when it is refused), store the cleaned copy and add its
    row (flushed; the caller commits)."""
    checked = check_file(upload, limits_in_bytes(limits_mb))
    key = f"{STORAGE_AREA}/{uuid.uuid4().hex}"
    try:
        digest = _sha256(checked)
        size = get_storage().save(key, checked.cleaned)
    finally:
        checked.cleaned.close()
    attachment = Attachment(
        item_id=item.id,
        kind=checked.kind,
        mime_type=checked.mime_type,
        size=size,
        file_name=display_name(file_name, checked.mime_type),
        sha256=digest,
        storage_key=key,
        title=title.strip(),
        duration=checked.duration,
        uploaded_by_id=uploader.id,
    )
    db.session.add(attachment)
    try:
        db.session.flush()
    except Exception:
        get_storage().delete(key)  # no blob without its row
        raise
    return attachment


def _sha256(checked: CheckedFile) -> str:
    """The hash of the cleaned copy (read once, then rewound for storing)."""
    digest = hashlib.sha256()
    for chunk in iter(lambda: checked.cleaned.read(1024 * 1024), b""):
        digest.update(chunk)
    checked.cleaned.seek(0)
    return digest.hexdigest()


def attachments_of(item: ContentItem) -> list[Attachment]:
    """The item's files, oldest first."""
    query = select(Attachment).where(Attachment.item_id == item.id).order_by(Attachment.id)
    return list(db.session.scalars(query))


def delete_attachment(attachment: Attachment) -> None:
    """Remove the row (flushed) and its blob."""
    key = attachment.storage_key
    db.session.delete(attachment)
    db.session.flush()
    get_storage().delete(key)


def count_download(attachment_id: int) -> None:
    """One more download, counted by the database itself (no lost updates)."""
    db.session.execute(
        update(Attachment)
        .where(Attachment.id == attachment_id)
        .values(download_count=Attachment.download_count + 1)
    )


def open_blob(attachment: Attachment) -> BinaryIO:
    """The stored file, for reading."""
    return get_storage().open(attachment.storage_key)


def captions_file(attachments: list[Attachment]) -> Attachment | None:
    """The uploaded WebVTT captions among an item's files, if any."""
    return next((a for a in attachments if a.kind == "captions"), None)


def transcript_of(item: ContentItem) -> str:
    """A video item's transcript as plain text: extra["transcript"], else its text (a video's
    body is its transcript); other items have none (their text is not what a clip says)."""
    if item.type != "video":
        return ""
    transcript = (item.extra or {}).get("transcript")
    return str(transcript) if transcript else html.unescape(TAG.sub(" ", item.body_html or ""))


def has_generated_captions(video: Attachment) -> bool:
    """Whether captions can be made for this video: it belongs to a video item with a
    transcript (captions that do not match the sound are worse than none)."""
    return video.kind == "video" and bool(transcript_of(video.item).strip())


def generated_captions(video: Attachment) -> str:
    """WebVTT from the item's transcript, spread over the video's length (MP4: measured at
    upload; WebM: the item's "duration" field, else a fixed time per sentence)."""
    item = video.item
    duration = video.duration or captions.parse_duration((item.extra or {}).get("duration"))
    return captions.webvtt(transcript_of(item), duration)


def human_size(size: int, locale: str) -> str:
    """A size in the reader's language: "830 kB", "2,5 MB"."""
    for unit, factor in (
        ("digital-gigabyte", 10**9),
        ("digital-megabyte", 10**6),
        ("digital-kilobyte", 10**3),
    ):
        if size >= factor:
            return format_unit(round(size / factor, 1), unit, length="short", locale=locale)
    return format_unit(size, "digital-byte", length="long", locale=locale)  # "988 bytes"
