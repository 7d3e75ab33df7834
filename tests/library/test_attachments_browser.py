"""Files of library items in a real browser on a 390 px phone: upload (and the size check
before sending), and a video played by the portal with captions from the transcript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.library.attachments import add_attachment
from app.library.models import Attachment
from tests.fixtures.attachments import files_url, image_with_gps, mp4_file
from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser


@pytest.fixture
def author(make_user):
    return make_user(country="DE")


def _open_files_page(browser_page, author, item):
    browser_page.page.set_viewport_size(PHONE)
    browser_page.log_in(author.email)
    return browser_page.visit(files_url(item.id))


def test_an_expert_uploads_a_picture_on_a_phone(browser_page, make_item, author):
    item = make_item(type="practice", status="draft", author_id=author.id)
    page = _open_files_page(browser_page, author, item)
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "square.jpg", "mimeType": "image/jpeg", "buffer": image_with_gps()}
    )
    page.get_by_label("Title (optional)").fill("The market square")
    browser_page.follow(page.get_by_role("button", name="Upload"))
    expect(page.get_by_role("link", name="The market square")).to_be_visible()
    assert fits_the_viewport(page)


def test_a_file_too_large_for_its_kind_is_refused_before_sending(
    app, browser_page, make_item, author
):
    app.config["ATTACHMENT_LIMITS_MB"] = {**app.config["ATTACHMENT_LIMITS_MB"], "image": 0}
    item = make_item(type="practice", status="draft", author_id=author.id)
    page = _open_files_page(browser_page, author, item)
    page.get_by_label("File", exact=True).set_input_files(
        {"name": "square.jpg", "mimeType": "image/jpeg", "buffer": image_with_gps()}
    )
    expect(page.get_by_role("alert")).to_contain_text("at most 0 MB")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 0 MB")
    assert page.url.endswith(files_url(item.id))
    assert db.session.scalar(select(Attachment)) is None
    browser_page.audit()


def test_an_uploaded_video_plays_on_the_portal_with_captions(browser_page, make_item, author):
    import io

    item = make_item(
        type="video",
        status="published",
        author_id=author.id,
        body="Welcome to the course. Today we talk about rumours & facts.",
    )
    video = add_attachment(
        item, author, io.BytesIO(mp4_file(seconds=20)), "talk.mp4", "The talk", {"video": 1}
    )
    db.session.commit()
    browser_page.page.set_viewport_size(PHONE)
    page = browser_page.visit(f"/en/library/video/{item.slug}")
    player = page.locator("video")
    expect(player).to_have_attribute("controls", "")
    track = player.locator("track")
    expect(track).to_have_attribute("srclang", "en")
    captions = page.request.get(browser_page.base_url + track.get_attribute("src"))
    assert captions.headers["content-type"].startswith("text/vtt")
    assert "rumours &amp; facts." in captions.text()
    assert f"/library/files/{video.id}/" in player.get_attribute("src")
    assert page.get_by_role("button", name="Load the video").count() == 0
    assert fits_the_viewport(page)
