"""Files on library items: upload with checks by content and metadata stripped, limits, who
may see and change them, downloads (headers, ranges, counting) and video captions."""

from __future__ import annotations

import io
import os
import re
import zipfile

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from app.core.storage import get_storage
from app.extensions import db
from app.library import captions
from app.library.models import Attachment
from tests.fixtures.attachments import (
    GPS_IFD,
    PERSON,
    VTT,
    files_url,
    image_with_gps,
    mp4_file,
    office_zip,
    pdf_with_author,
)
from tests.fixtures.users import log_in


@pytest.fixture
def author(make_user):
    return make_user(country="DE", name="Ali Author")


@pytest.fixture
def draft(make_item, author):
    return make_item(type="practice", status="draft", author_id=author.id)


def _only_attachment() -> Attachment:
    return db.session.scalars(select(Attachment)).one()


def _stored(attachment: Attachment) -> bytes:
    with get_storage().open(attachment.storage_key) as blob:
        return blob.read()


def _download_url(attachment: Attachment) -> str:
    return f"/en/library/files/{attachment.id}/{attachment.file_name}"


def _download_link(attachment: Attachment) -> str:
    """The download link's address (counted; the players' address is not)."""
    return _download_url(attachment) + "?download=1"


def _republished(item):
    """A file on a published item sent it back to review; a coordinator publishes it again."""
    db.session.refresh(item)
    assert item.status == "in_review"
    item.status = "published"
    db.session.commit()
    return item


@pytest.fixture
def attached(client, author, draft, upload):
    """attach(data, name, title="", item=draft): upload as the author; the new row."""

    def _attach(data: bytes, name: str, title: str = "", item=None) -> Attachment:
        log_in(client, author)
        response = upload((item or draft).id, data, name, title)
        assert response.status_code == 302, response.get_data(as_text=True)
        return db.session.scalars(select(Attachment).order_by(Attachment.id.desc())).first()

    return _attach


# Upload: checks by content, metadata stripped ----------------------------------------------


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused_and_the_title_is_kept(
    client, author, draft, upload
):
    log_in(client, author)
    response = upload(draft.id, b"MZ\x90\x00 this is a program", "report.pdf", "Budget 2026")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This file is not one of the types you can upload" in page
    assert 'value="Budget 2026"' in page
    assert db.session.scalar(select(Attachment)) is None


def test_a_photo_loses_its_gps_position_and_stays_upright(attached):
    attachment = attached(image_with_gps(size=(40, 20)), "holiday.jpg", "The square")
    with Image.open(io.BytesIO(_stored(attachment))) as photo:
        assert GPS_IFD not in photo.getexif()
        assert photo.getexif() == {}
        assert photo.size == (20, 40)  # orientation 6 applied before the EXIF went
    assert attachment.mime_type == "image/jpeg"


def test_a_pdf_loses_its_author(attached):
    attachment = attached(pdf_with_author(), "minutes.pdf")
    stored = _stored(attachment)
    assert PdfReader(io.BytesIO(stored)).metadata is None
    assert PERSON.encode() not in stored


def test_a_word_document_loses_the_names_in_its_properties(attached):
    attachment = attached(office_zip(), "plan.docx")
    with zipfile.ZipFile(io.BytesIO(_stored(attachment))) as archive:
        core = archive.read("docProps/core.xml").decode()
        app_properties = archive.read("docProps/app.xml").decode()
    assert PERSON not in core
    assert PERSON not in app_properties
    assert attachment.kind == "document"


def test_the_file_name_is_cleaned_and_never_part_of_the_storage_key(attached):
    attachment = attached(pdf_with_author(), "..\\..//etc/pass*wd.exe")
    assert attachment.file_name == "pass_wd.pdf"
    assert re.fullmatch(r"attachments/[0-9a-f]{32}", attachment.storage_key)
    assert attachment.sha256 and attachment.size == len(_stored(attachment))


# Limits ------------------------------------------------------------------------------------


def test_an_upload_over_the_upload_limit_gets_the_files_page_with_413(
    app, client, author, draft, upload
):
    app.config["ATTACHMENT_MAX_MB"] = 1
    log_in(client, author)
    response = upload(draft.id, b"%PDF-" + b"0" * (1024 * 1024 + 70 * 1024), "big.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "This file is too large. Files can have at most 1 MB." in page
    assert 'enctype="multipart/form-data"' in page


def test_the_upload_route_accepts_more_than_the_sites_form_limit(attached, app):
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    out = io.BytesIO()
    noise.save(out, format="PNG")
    assert len(out.getvalue()) > app.config["MAX_CONTENT_LENGTH"]
    assert attached(out.getvalue(), "noise.png").kind == "image"


def test_the_limit_of_each_kind_is_checked_after_detection(app, client, author, draft, upload):
    app.config["ATTACHMENT_LIMITS_MB"] = {**app.config["ATTACHMENT_LIMITS_MB"], "image": 0}
    log_in(client, author)
    response = upload(draft.id, image_with_gps(), "photo.pdf")
    assert response.status_code == 400
    assert "Files of this type can have at most 0 MB" in response.get_data(as_text=True)


def test_other_routes_keep_the_sites_form_limit(client, author, draft, form_token):
    log_in(client, author)
    response = client.post(
        f"/en/library/items/{draft.id}/edit",
        data={"csrf_token": form_token(), "body": "x" * 3_000_000},
    )
    assert response.status_code == 413


# Who -----------------------------------------------------------------------------------------


def _status_for(client, user, url: str) -> int:
    with client.session_transaction() as session:
        session.clear()
    if user is not None:
        log_in(client, user)
    return client.get(url, buffered=True).status_code


def test_a_drafts_files_are_as_private_as_the_draft(client, attached, make_user, author):
    url = _download_url(attached(pdf_with_author(), "a.pdf"))
    assert _status_for(client, None, url) == 404
    assert _status_for(client, make_user(country="DE"), url) == 404
    assert _status_for(client, make_user(role="coordinator", country="DE"), url) == 404
    assert _status_for(client, author, url) == 200


def test_the_reviewer_of_an_item_in_review_may_open_its_files(client, attached, make_user):
    attachment = attached(pdf_with_author(), "a.pdf")
    attachment.item.status = "in_review"
    db.session.commit()
    url = _download_url(attachment)
    assert _status_for(client, make_user(role="coordinator", country="DE"), url) == 200
    assert _status_for(client, make_user(role="coordinator", country="PL"), url) == 404


def test_a_published_items_files_are_public_once_it_is_published_again(
    client, attached, make_item, author
):
    item = make_item(type="practice", status="published", author_id=author.id)
    url = _download_url(attached(pdf_with_author(), "a.pdf", item=item))
    assert _status_for(client, None, url) == 404  # the item went back to review
    _republished(item)
    assert _status_for(client, None, url) == 200


def test_a_file_on_a_published_item_sends_it_to_review_like_an_edit(
    client, author, make_item, upload
):
    item = make_item(type="practice", status="published", author_id=author.id)
    log_in(client, author)
    response = upload(item.id, pdf_with_author(), "a.pdf", "")
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status == "in_review"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "goes to the coordinators for review with the item" in page


def test_only_the_editor_may_upload_or_delete(client, attached, make_user, upload, form_token):
    attachment = attached(pdf_with_author(), "a.pdf")
    item_id = attachment.item_id
    log_in(client, make_user(country="DE"))
    assert client.get(files_url(item_id)).status_code == 404
    assert upload(item_id, pdf_with_author(), "b.pdf").status_code == 404
    deleted = client.post(
        f"/en/library/files/{attachment.id}/delete", data={"csrf_token": form_token()}
    )
    assert deleted.status_code == 404
    assert db.session.scalars(select(Attachment)).all() == [attachment]


def test_visitors_are_sent_to_log_in_before_uploading(client, draft, upload):
    response = upload(draft.id, pdf_with_author(), "b.pdf")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_deleting_a_file_removes_its_blob(client, attached, form_token):
    attachment = attached(pdf_with_author(), "a.pdf")
    key, attachment_id = attachment.storage_key, attachment.id
    response = client.post(
        f"/en/library/files/{attachment_id}/delete", data={"csrf_token": form_token()}
    )
    assert response.status_code == 302
    assert db.session.get(Attachment, attachment_id) is None
    assert not get_storage().exists(key)


def test_the_files_page_lists_size_type_and_downloads(client, attached):
    attachment = attached(pdf_with_author(), "minutes.pdf", "Minutes of May")
    page = client.get(files_url(attachment.item_id)).get_data(as_text=True)
    assert "Minutes of May" in page
    assert "Document" in page
    assert "0 downloads" in page
    assert "data-confirm=" in page
    assert 'data-max-bytes="' in page


# Downloads -----------------------------------------------------------------------------------


def test_a_download_has_its_type_disposition_and_nosniff(client, attached):
    attachment = attached(pdf_with_author(), "Protokoll März.pdf")
    response = client.get(_download_url(attachment), buffered=True)
    assert response.headers["Content-Type"] == "application/pdf"
    assert (
        response.headers["Content-Disposition"]
        == "attachment; filename*=UTF-8''Protokoll%20M%C3%A4rz.pdf"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data() == _stored(attachment)


def test_media_for_the_players_is_served_inline(client, attached):
    response = client.get(_download_url(attached(image_with_gps(), "a.jpg")), buffered=True)
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert response.headers["Content-Type"] == "image/jpeg"


def _downloads(attachment_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Attachment, attachment_id).download_count


def test_a_download_is_counted_once_and_a_seek_is_not(client, attached):
    attachment = attached(mp4_file(), "talk.mp4")
    url, attachment_id = _download_link(attachment), attachment.id
    client.get(_download_url(attachment), buffered=True)  # the player: a view
    assert _downloads(attachment_id) == 0
    client.get(url, buffered=True)
    assert _downloads(attachment_id) == 1
    seek = client.get(url, headers={"Range": "bytes=100-199"}, buffered=True)
    assert seek.status_code == 206
    assert len(seek.get_data()) == 100
    assert _downloads(attachment_id) == 1
    client.head(url, buffered=True)
    assert _downloads(attachment_id) == 1
    assert client.get(url, headers={"Range": "bytes=0-"}, buffered=True).status_code == 206
    assert _downloads(attachment_id) == 2


def test_a_range_from_byte_500_is_not_counted(client, attached):
    attachment = attached(image_with_gps(size=(400, 400)), "big.jpg")
    response = client.get(
        _download_link(attachment), headers={"Range": "bytes=500-"}, buffered=True
    )
    assert response.status_code == 206
    assert _downloads(attachment.id) == 0


# Video and captions --------------------------------------------------------------------------


def test_captions_escape_and_order_the_transcript_over_the_duration():
    text = "First <b>bold</b> & more. Then a --> arrow!\n\nLast one"
    vtt = captions.webvtt(text, 30.0)
    cues = vtt.split("\n\n")[1:]
    assert vtt.startswith("WEBVTT\n\n")
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more." in cues[0]
    assert "--&gt; arrow!" in cues[1]
    assert cues[2].endswith("Last one\n")
    assert cues[0].splitlines()[1].startswith("00:00:00.000 --> ")
    assert cues[2].splitlines()[1].endswith(" --> 00:00:30.000")
    assert len(re.findall("-->", vtt)) == 3


def test_cue_times_follow_the_sentences_lengths():
    times = captions.cue_times(["a" * 10, "b" * 30], 8.0)
    assert times == [(0.0, 2.0), (2.0, 8.0)]
    assert captions.cue_times(["a", "b"], None) == [(0.0, 10.0), (10.0, 20.0)]


def test_a_durations_text_becomes_seconds():
    assert captions.parse_duration("1:02:03") == 3723
    assert captions.parse_duration("12:30") == 750
    assert captions.parse_duration("soon") is None


def _video_item(make_item, author, transcript: str):
    return make_item(
        type="video",
        status="published",
        author_id=author.id,
        body=transcript,
        extra={"transcript": transcript},
    )


def test_an_uploaded_video_plays_with_captions_from_the_transcript(
    client, attached, make_item, author
):
    item = _video_item(make_item, author, "Hello there. Welcome & goodbye.")
    video = attached(mp4_file(seconds=12), "talk.mp4", "The talk", item=item)
    _republished(item)
    page = client.get(f"/en/library/video/{item.slug}").get_data(as_text=True)
    assert f'<video controls preload="metadata" src="{_download_url(video)}"' in page
    track = re.search(r"<track [^>]*>", page).group(0)
    assert 'kind="captions"' in track
    assert 'srclang="en"' in track
    assert f'src="/en/library/videos/{video.id}/captions.vtt"' in track
    vtt = client.get(f"/en/library/videos/{video.id}/captions.vtt")
    assert vtt.headers["Content-Type"].startswith("text/vtt")
    assert "Welcome &amp; goodbye." in vtt.get_data(as_text=True)
    assert "--> 00:00:12.000" in vtt.get_data(as_text=True)


def test_uploaded_captions_are_used_instead(client, attached, make_item, author):
    item = _video_item(make_item, author, "Hello there.")
    attached(mp4_file(), "talk.mp4", item=item)
    _republished(item)
    vtt = attached(VTT.encode(), "subtitles.vtt", item=item)
    _republished(item)
    page = client.get(f"/en/library/video/{item.slug}").get_data(as_text=True)
    assert f'src="{_download_url(vtt)}"' in re.search(r"<track [^>]*>", page).group(0)
    assert "This video cannot be played on the portal" not in page


def test_the_item_page_lists_files_with_type_and_size(client, attached, make_item, author):
    item = make_item(type="practice", status="published", author_id=author.id)
    attachment = attached(pdf_with_author(), "a.pdf", "Handout", item=item)
    _republished(item)
    client.get("/en/logout")
    page = client.get(f"/en/library/practice/{item.slug}").get_data(as_text=True)
    assert f'href="{_download_link(attachment)}" download' in page
    assert "Handout" in page
    assert re.search(r"Document · \d+(\.\d)? (bytes|kB)", page)


def test_a_video_on_another_kind_of_item_gets_no_captions_from_its_text(
    client, attached, make_item, author
):
    item = make_item(type="practice", status="published", author_id=author.id,
                     body="We talked with the class about hate online.")
    video = attached(mp4_file(), "clip.mp4", item=item)
    _republished(item)
    page = client.get(f"/en/library/practice/{item.slug}").get_data(as_text=True)
    assert "<video" in page and "<track" not in page
    assert client.get(f"/en/library/videos/{video.id}/captions.vtt").status_code == 404


def test_a_range_beyond_the_file_is_refused_and_not_counted(client, attached):
    attachment = attached(pdf_with_author(), "a.pdf")
    response = client.get(
        _download_link(attachment), headers={"Range": "bytes=999999-"}, buffered=True
    )
    assert response.status_code == 416
    assert _downloads(attachment.id) == 0


def test_a_file_whose_blob_is_gone_is_not_found(client, attached):
    attachment = attached(pdf_with_author(), "a.pdf")
    get_storage().delete(attachment.storage_key)
    assert client.get(_download_url(attachment), buffered=True).status_code == 404


def test_the_editor_links_to_the_files_page(client, author, draft):
    log_in(client, author)
    page = client.get(f"/en/library/items/{draft.id}/edit").get_data(as_text=True)
    assert f'href="{files_url(draft.id)}"' in page


def test_only_the_editor_may_send_a_large_body(client, draft, make_user, upload):
    log_in(client, make_user(country="DE"))
    response = upload(draft.id, b"%PDF-" + b"0" * 3_000_000, "big.pdf")
    assert response.status_code == 413
    assert 'enctype="multipart/form-data"' not in response.get_data(as_text=True)
