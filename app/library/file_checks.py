"""Uploaded files judged by their bytes, never by their name: what type a file really is
(or a refusal), and a copy without the metadata that names people or places."""

from __future__ import annotations

import io
import shutil
import struct
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, BinaryIO

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

CHUNK = 1024 * 1024
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
# Office Open XML main parts (from [Content_Types].xml) and ODF mimetypes we accept.
OOXML_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (
        "document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        "slides",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": "document",
    "application/vnd.oasis.opendocument.presentation": "slides",
}
DRAWING_INFO = ("transparency", "duration", "loop", "background", "disposal")
MACRO_MARKERS = ("macroenabled", "vbaproject", "vnd.ms-office.activex")
ODF_MACRO_FOLDERS = ("Basic/", "Scripts/")
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_UNPACKED = 300 * 1024 * 1024  # a zip bomb is refused before it is unpacked
EMPTY_PARTS = {
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    ),
    "docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
        'schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docProps/custom.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
        'schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
    "meta.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta xmlns:office="urn:oasis'
        ':names:tc:opendocument:xmlns:office:1.0" office:version="1.2"><office:meta/>'
        "</office:document-meta>"
    ),
}
# MP4 boxes that hold tags, locations (©xyz, Apple's location keys) and XMP: renamed to
# "free" in place, so no offset in the file moves and players skip them.
MP4_CONTAINERS = {b"moov", b"trak", b"mdia"}
MP4_METADATA = {b"udta", b"meta", b"uuid"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
EBML_DOCTYPE = b"\x42\x82"


class FileRefused(Exception):
    """The file is not one of the allowed types (message: translated, for the uploader)."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass
class CheckedFile:
    """A file that passed: its kind and type, and a cleaned copy to store."""

    kind: str
    mime_type: str
    cleaned: IO[bytes]
    duration: float | None = None


NOT_ALLOWED = _l(
    "This file is not one of the types you can upload (PDF, Word or Writer "
    "document, PowerPoint or Impress slides, JPEG, PNG, WebP or GIF image, MP3, "
    "OGG or M4A audio, MP4 or WebM video, WebVTT captions)."
)
DAMAGED = _l("This file cannot be read: it may be damaged, or it is not what its name says.")
MACROS = _l(
    "Documents with macros cannot be uploaded. Please save it without macros "
    "(as .docx, .pptx, .odt or .odp)."
)


def check_file(upload: BinaryIO, limits: dict[str, int]) -> CheckedFile:
    """Decide the type from the first bytes, check the size against that kind's limit in
    bytes (before and after the full check), check that the file really parses as that type,
    and return a copy without metadata; FileRefused otherwise."""
    size = upload.seek(0, io.SEEK_END)
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    for matches, likely_kind, check in CHECKS:
        if matches(head):
            _refuse_too_large(size, likely_kind, limits)
            checked = check(upload)
            _refuse_too_large(size, checked.kind, limits)
            return checked
    raise FileRefused(NOT_ALLOWED)


def _refuse_too_large(size: int, kind: str, limits: dict[str, int]) -> None:
    """FileRefused when the file is larger than its kind may be."""
    if size > limits[kind]:
        raise FileRefused(
            _l(
                "This file is too large. Files of this type can have at most %(megabytes)s MB.",
                megabytes=limits[kind] // (1024 * 1024),
            )
        )


@contextmanager
def _copy_kept_if_accepted(upload: BinaryIO) -> Iterator[IO[bytes]]:
    """A temporary copy of the upload, closed (so deleted) when the check refuses it."""
    copy = _copy(upload)
    try:
        yield copy
    except BaseException:
        copy.close()
        raise


def _copy(upload: BinaryIO) -> IO[bytes]:
    """A private, writable temporary copy of the upload (deleted when closed)."""
    copy = tempfile.TemporaryFile()
    upload.seek(0)
    shutil.copyfileobj(upload, copy, CHUNK)
    copy.seek(0)
    return copy


# PDF -------------------------------------------------------------------------------------


def _is_pdf(head: bytes) -> bool:
    return head.startswith(b"%PDF-")


def check_pdf(upload: BinaryIO) -> CheckedFile:
    """A PDF that pypdf reads, rewritten without document info (/Info) and XMP metadata."""
    try:
        writer = PdfWriter(clone_from=PdfReader(upload, strict=False))
        writer._info = None  # no /Info dictionary (author, creator, dates) in the trailer
        writer._root_object.pop("/Metadata", None)  # the XMP packet
        cleaned = io.BytesIO()  # at most ATTACHMENT_LIMITS_MB["document"]
        writer.write(cleaned)
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as error:
        raise FileRefused(DAMAGED) from error
    cleaned.seek(0)
    return CheckedFile("document", "application/pdf", cleaned)


# Images ----------------------------------------------------------------------------------


def _is_image(head: bytes) -> bool:
    return head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    )


def check_image(upload: BinaryIO) -> CheckedFile:
    """An image Pillow verifies, re-saved without EXIF, XMP or comments (turned upright first,
    since the orientation lives in the EXIF that goes)."""
    try:
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            mime = IMAGE_FORMATS.get(image.format or "")
            if mime is None:
                raise FileRefused(NOT_ALLOWED)
            cleaned = _resave_image(image)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
        struct.error,
    ) as error:
        raise FileRefused(DAMAGED) from error
    return CheckedFile("image", mime, cleaned)


def _resave_image(image: Image.Image) -> IO[bytes]:
    """The image in its own format, with only the pixels (and colour profile) kept."""
    image_format = image.format
    icc = image.info.get("icc_profile")
    animated = getattr(image, "is_animated", False)
    clean = image if animated else ImageOps.exif_transpose(image)
    # Pillow would carry XMP, comments, text chunks and EXIF over from info: keep only what
    # draws the picture (transparency, animation timing).
    clean.info = {key: image.info[key] for key in DRAWING_INFO if key in image.info}
    options = {"icc_profile": icc} if icc and image_format != "GIF" else {}
    if animated:
        options["save_all"] = True
    out = io.BytesIO()  # at most ATTACHMENT_LIMITS_MB["image"] and then some
    clean.save(out, format=image_format, **options)
    out.seek(0)
    return out


# Office documents (OOXML, ODF) -----------------------------------------------------------


def _is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def check_office(upload: BinaryIO) -> CheckedFile:
    """A .docx, .pptx, .odt or .odp (no macros), with its document properties emptied."""
    try:
        with zipfile.ZipFile(upload) as archive:
            _refuse_bombs(archive)
            kind, mime = _office_type(archive)
            cleaned = _rewrite_zip(archive)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, UnicodeDecodeError) as error:
        raise FileRefused(DAMAGED) from error
    return CheckedFile(kind, mime, cleaned)


def _refuse_bombs(archive: zipfile.ZipFile) -> None:
    """Too many entries or too much unpacked data: refused without unpacking."""
    entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES or sum(e.file_size for e in entries) > ZIP_MAX_UNPACKED:
        raise FileRefused(NOT_ALLOWED)


def _office_type(archive: zipfile.ZipFile) -> tuple[str, str]:
    """(kind, mime type) from [Content_Types].xml or ODF's mimetype entry."""
    names = archive.namelist()
    if "mimetype" in names:
        mime = archive.read("mimetype").decode("ascii").strip()
        if any(name.startswith(ODF_MACRO_FOLDERS) for name in names):
            raise FileRefused(MACROS)
        if mime not in ODF_TYPES:
            raise FileRefused(NOT_ALLOWED)
        return ODF_TYPES[mime], mime
    types = archive.read("[Content_Types].xml").decode("utf-8")
    if any(marker in types.lower() for marker in MACRO_MARKERS) or any(
        "vbaproject" in name.lower() for name in names
    ):
        raise FileRefused(MACROS)
    for part_type, found in OOXML_TYPES.items():
        if f'ContentType="{part_type}"' in types:
            return found
    raise FileRefused(NOT_ALLOWED)


def _rewrite_zip(archive: zipfile.ZipFile) -> IO[bytes]:
    """The same archive, entry by entry in the same order and compression, with the
    property parts replaced by empty ones."""
    out = io.BytesIO()  # at most ATTACHMENT_LIMITS_MB["slides"], compressed
    with zipfile.ZipFile(out, "w") as target:
        for entry in archive.infolist():
            data = (
                EMPTY_PARTS[entry.filename].encode()
                if entry.filename in EMPTY_PARTS
                else archive.read(entry)
            )
            copy = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            copy.compress_type = entry.compress_type
            target.writestr(copy, data)
    out.seek(0)
    return out


# Audio and MP4 video ---------------------------------------------------------------------


def _is_mp4(head: bytes) -> bool:
    return head[4:8] == b"ftyp"


def _is_mp3(head: bytes) -> bool:
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _is_ogg(head: bytes) -> bool:
    return head.startswith(b"OggS")


def check_mp4(upload: BinaryIO) -> CheckedFile:
    """MP4 video or M4A audio (told apart by the tracks' handlers), mutagen must read it;
    tags, user data and XMP boxes are blanked in place."""
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    with _copy_kept_if_accepted(upload) as copy:
        try:
            length = MP4(copy).info.length
            copy.seek(0)
            handlers = _blank_mp4_metadata(copy)
        except (MutagenError, struct.error, ValueError, OSError) as error:
            raise FileRefused(DAMAGED) from error
        copy.seek(0)
        if b"vide" in handlers:
            return CheckedFile("video", "video/mp4", copy, length)
        if b"soun" in handlers:
            return CheckedFile("audio", "audio/mp4", copy, length)
        raise FileRefused(NOT_ALLOWED)


def _mp4_boxes(stream: IO[bytes], start: int, end: int):
    """(type, start, payload start, end) of the boxes between start and end."""
    position = start
    while position + 8 <= end:
        stream.seek(position)
        size, box_type = struct.unpack(">I4s", stream.read(8))
        payload = position + 8
        if size == 1:
            size = struct.unpack(">Q", stream.read(8))[0]
            payload += 8
        elif size == 0:
            size = end - position
        if size < payload - position or position + size > end:
            raise ValueError("broken MP4 box")
        yield box_type, position, payload, position + size
        position += size


def _blank_mp4_metadata(stream: IO[bytes], start: int = 0, end: int | None = None) -> set:
    """Rename metadata boxes to "free" (walking moov, trak, mdia); return the track handler
    types found (b"vide", b"soun", ...)."""
    end = stream.seek(0, io.SEEK_END) if end is None else end
    handlers: set[bytes] = set()
    for box_type, position, payload, box_end in list(_mp4_boxes(stream, start, end)):
        if box_type in MP4_METADATA:
            _blank_box(stream, position, payload, box_end)
        elif box_type in MP4_CONTAINERS:
            handlers |= _blank_mp4_metadata(stream, payload, box_end)
        elif box_type == b"hdlr":
            stream.seek(payload + 8)  # version and flags, pre_defined, then the type
            handlers.add(stream.read(4))
    return handlers


def _blank_box(stream: IO[bytes], position: int, payload: int, end: int) -> None:
    """Turn a box into "free" space of the same size, its content overwritten with zeros."""
    stream.seek(position + 4)
    stream.write(b"free")
    stream.seek(payload)
    for start in range(payload, end, CHUNK):
        stream.write(bytes(min(CHUNK, end - start)))


def check_mp3_or_ogg(upload: BinaryIO) -> CheckedFile:
    """MP3 or Ogg (Vorbis, Opus, FLAC) audio that mutagen reads, with its tags deleted."""
    import mutagen

    with _copy_kept_if_accepted(upload) as copy:
        try:
            audio = mutagen.File(copy)
            mime = _audio_mime(audio)
            copy.seek(0)
            audio.delete(copy)
        except (mutagen.MutagenError, struct.error, ValueError, OSError) as error:
            raise FileRefused(DAMAGED) from error
        copy.seek(0)
        return CheckedFile("audio", mime, copy, audio.info.length)


def _audio_mime(audio) -> str:
    """audio/mpeg or audio/ogg from what mutagen recognised; FileRefused for anything else."""
    from mutagen.mp3 import MP3
    from mutagen.ogg import OggFileType

    if isinstance(audio, MP3):
        return "audio/mpeg"
    if isinstance(audio, OggFileType) and "theora" not in type(audio).__name__.lower():
        return "audio/ogg"
    raise FileRefused(NOT_ALLOWED)


# WebM ------------------------------------------------------------------------------------


def _is_webm(head: bytes) -> bool:
    return head.startswith(EBML_MAGIC)


def _vint(data: bytes, position: int, keep_marker: bool) -> tuple[int, int]:
    """An EBML variable-length integer at position: (value, position after it)."""
    first = data[position]
    length = next((n for n in range(8) if first & (0x80 >> n)), None)
    if length is None:
        raise ValueError("bad EBML number")
    raw = data[position : position + length + 1]
    value = int.from_bytes(raw, "big")
    if not keep_marker:
        value &= (1 << (7 * (length + 1))) - 1
    return value, position + length + 1


def webm_doctype(head: bytes) -> str | None:
    """The DocType of an EBML header ("webm", "matroska"), read by hand; None if absent."""
    _id, position = _vint(head, 0, keep_marker=True)
    size, position = _vint(head, position, keep_marker=False)
    end = min(position + size, len(head))
    while position < end:
        element, position = _vint(head, position, keep_marker=True)
        length, position = _vint(head, position, keep_marker=False)
        if element.to_bytes(2, "big") == EBML_DOCTYPE:
            return head[position : position + length].decode("ascii", "replace")
        position += length
    return None


def check_webm(upload: BinaryIO) -> CheckedFile:
    """A WebM video: an EBML header whose DocType is "webm" (its tags are NOT stripped)."""
    head = upload.read(256)
    try:
        doctype = webm_doctype(head)
    except (ValueError, IndexError) as error:
        raise FileRefused(DAMAGED) from error
    if doctype != "webm":
        raise FileRefused(NOT_ALLOWED)
    return CheckedFile("video", "video/webm", _copy(upload))


# Captions --------------------------------------------------------------------------------


def _is_webvtt(head: bytes) -> bool:
    return head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT")


def check_webvtt(upload: BinaryIO) -> CheckedFile:
    """WebVTT captions: UTF-8 text starting with WEBVTT (then a space, tab or line end)."""
    data = upload.read()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise FileRefused(DAMAGED) from error
    if text[6:7] not in ("", " ", "\t", "\n", "\r") or "\x00" in text:
        raise FileRefused(NOT_ALLOWED)
    return CheckedFile("captions", "text/vtt", io.BytesIO(text.encode("utf-8")))


CHECKS: tuple[tuple[Callable[[bytes], bool], str, Callable[[BinaryIO], CheckedFile]], ...] = (
    (_is_pdf, "document", check_pdf),
    (_is_image, "image", check_image),
    (_is_zip, "slides", check_office),
    (_is_mp4, "video", check_mp4),
    (_is_webm, "video", check_webm),
    (_is_webvtt, "captions", check_webvtt),
    (_is_ogg, "audio", check_mp3_or_ogg),
    (_is_mp3, "audio", check_mp3_or_ogg),
)
