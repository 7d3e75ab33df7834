"""Markdown is sanitised once, at save: stored HTML carries no script, handler or bad link."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.library.models import ContentItem

PAYLOADS = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "[click](&#106;avascript:alert(1))",
    '<a href="&#106;&#97;vascript:alert(1)">x</a>',
    "[click](JaVaScRiPt:alert(1))",
    '<img src="x" onerror="alert(1)">',
    "![x](https://evil.example/x.png)",
    '<svg onload="alert(1)"></svg>',
    '<svg><script>alert(1)</script></svg>',
    '<iframe src="https://evil.example"></iframe>',
]


def _dangerous(html: str) -> bool:
    lowered = html.lower()
    return any(bad in lowered for bad in (
        "<script", "javascript:", "onerror", "onload", "<svg", "<iframe", 'src="http',
        "&#106;avascript", "&#106;&#97;vascript"))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_editor_payload_is_neutralised_in_stored_html(payload, login, make_user, post_form, db):
    login(make_user())
    post_form("/en/library/new/practice", {
        "title": "XSS probe", "body": f"Before\n\n{payload}\n\nAfter", "language": "en",
        "evidence": "inspiring", "save": "1"})
    item = db.session.scalars(select(ContentItem)).one()
    assert "After" in item.body_html
    assert not _dangerous(item.body_html), item.body_html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_file_payload_is_neutralised_in_stored_html(payload, tmp_path, load_content, db):
    folder = tmp_path / "lib" / "lesson"
    folder.mkdir(parents=True)
    (folder / "probe.en.md").write_text(
        f"---\ntitle: Probe\ntopics: [schools]\n---\nBefore\n\n{payload}\n\nAfter\n")
    load_content(tmp_path / "lib")
    item = db.session.scalars(select(ContentItem)).one()
    assert not _dangerous(item.body_html), item.body_html


def test_preview_is_sanitised_too(login, make_user, post_form):
    login(make_user())
    response = post_form("/en/library/new/practice", {
        "title": "Probe", "body": '<script>alert("x")</script>[a](javascript:alert(1))',
        "language": "en", "evidence": "inspiring", "preview": "1"})
    html = response.get_data(as_text=True)
    preview = html.split('id="preview-heading"')[1].split("</section>")[0]
    assert not _dangerous(preview)


def test_video_embed_from_other_hosts_is_refused(login, make_user, post_form, db):
    login(make_user())
    response = post_form("/en/library/new/video", {
        "title": "Video", "body": "Transcript", "language": "en",
        "embed_url": "https://evil.example/embed/x", "save": "1"})
    assert "youtube-nocookie.com" in response.get_data(as_text=True)
    assert db.session.scalars(select(ContentItem)).first() is None
