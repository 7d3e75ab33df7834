"""Each allowed type is recognised by its bytes and cleaned; other files are refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from app.library.attachments import display_name, human_size
from app.library.file_checks import FileRefused, check_file, webm_doctype
from tests.fixtures.attachments import (
    DOCM_MAIN,
    GPS_IFD,
    PERSON,
    PPTX_MAIN,
    VTT,
    image_with_gps,
    mp3_file,
    mp4_file,
    odt_with_meta,
    office_zip,
    pdf_with_author,
    webm_header,
)

LIMITS = {
    kind: 10 * 1024 * 1024 for kind in ("document", "slides", "image", "audio", "video", "captions")
}


@pytest.fixture
def check():
    """check(data): the checked file; its cleaned copy is closed after the test."""
    opened = []

    def _check(data: bytes):
        checked = check_file(io.BytesIO(data), LIMITS)
        opened.append(checked.cleaned)
        return checked

    yield _check
    for stream in opened:
        stream.close()


def _refusal(data: bytes) -> str:
    with pytest.raises(FileRefused) as refused:
        check_file(io.BytesIO(data), LIMITS)
    return str(refused.value)


@pytest.mark.parametrize(
    ("build", "kind", "mime"),
    [
        (lambda: image_with_gps("JPEG"), "image", "image/jpeg"),
        (lambda: image_with_gps("PNG"), "image", "image/png"),
        (lambda: image_with_gps("WEBP"), "image", "image/webp"),
        (lambda: image_with_gps("GIF"), "image", "image/gif"),
        (pdf_with_author, "document", "application/pdf"),
        (
            office_zip,
            "document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            lambda: office_zip(PPTX_MAIN),
            "slides",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (odt_with_meta, "document", "application/vnd.oasis.opendocument.text"),
        (mp4_file, "video", "video/mp4"),
        (lambda: mp4_file(handler=b"soun"), "audio", "audio/mp4"),
        (mp3_file, "audio", "audio/mpeg"),
        (webm_header, "video", "video/webm"),
        (VTT.encode, "captions", "text/vtt"),
    ],
)
def test_each_allowed_type_is_recognised_by_its_content(build, kind, mime, check):
    checked = check(build())
    assert (checked.kind, checked.mime_type) == (kind, mime)


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7 but then nothing a PDF reader could use",
        b"\x89PNG\r\n\x1a\n" + b"\0" * 40,
        b"PK\x03\x04 not really a zip",
        b"\0\0\0\x18ftypisom" + b"\0" * 20,
        b"WEBVTT\xff\xfe not UTF-8",
    ],
)
def test_a_damaged_file_of_an_allowed_type_is_refused(data):
    assert "cannot be read" in _refusal(data)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b"MZ\x90\x00 a Windows program",
        b"WEBVTTX is not a captions header",
        webm_header(b"matroska"),
    ],
)
def test_other_types_are_refused(data):
    assert "not one of the types you can upload" in _refusal(data)


def test_documents_with_macros_are_refused():
    assert "macros" in _refusal(office_zip(DOCM_MAIN))
    assert "macros" in _refusal(office_zip(extra_parts={"word/vbaProject.bin": "x"}))


def test_an_odt_loses_its_meta_and_keeps_its_mimetype_first(check):
    with zipfile.ZipFile(check(odt_with_meta()).cleaned) as archive:
        assert archive.namelist()[0] == "mimetype"
        assert archive.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert PERSON not in archive.read("meta.xml").decode()


def test_a_png_loses_its_exif_and_text_but_keeps_its_transparency(check):
    with Image.open(io.BytesIO(image_with_gps("PNG"))) as source:
        picture = source.convert("RGBA")
    text = PngInfo()
    text.add_text("Author", PERSON)
    out = io.BytesIO()
    picture.save(out, format="PNG", pnginfo=text, exif=source.getexif())
    assert PERSON.encode() in out.getvalue()
    cleaned = check(out.getvalue()).cleaned.read()
    with Image.open(io.BytesIO(cleaned)) as image:
        assert GPS_IFD not in image.getexif()
        assert "exif" not in image.info
        assert image.mode == "RGBA"
    assert PERSON.encode() not in cleaned


def test_an_mp4_loses_location_and_tags_and_still_plays(check):
    checked = check(mp4_file(seconds=7))
    data = checked.cleaned.read()
    assert PERSON.encode() not in data
    assert b"+52.5200" not in data
    assert MP4(io.BytesIO(data)).info.length == 7
    assert checked.duration == 7


def test_an_mp3_loses_its_id3_tags(check):
    data = check(mp3_file()).cleaned.read()
    assert PERSON.encode() not in data
    with pytest.raises(Exception, match="ID3"):
        ID3(io.BytesIO(data))


def test_the_limit_of_the_detected_kind_applies():
    limits = {**LIMITS, "document": 100}
    with pytest.raises(FileRefused, match="at most 0 MB"):
        check_file(io.BytesIO(pdf_with_author()), limits)


def test_webm_doctype_is_read_from_the_ebml_header():
    assert webm_doctype(webm_header()) == "webm"
    assert webm_doctype(webm_header(b"matroska")) == "matroska"


def test_display_names_keep_letters_and_take_the_real_extension():
    assert display_name("Übersicht März.PDF", "application/pdf") == "Übersicht März.pdf"
    assert display_name("photo.png", "image/jpeg") == "photo.jpg"
    assert display_name("../../.htaccess", "text/vtt") == "file.vtt"
    assert display_name("", "text/vtt") == "file.vtt"


def test_sizes_are_shown_in_the_readers_language():
    assert human_size(2_500_000, "de") == "2,5 MB"
    assert human_size(830_000, "en") == "830 kB"
