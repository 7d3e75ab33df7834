"""A change of the Markdown pipeline renders unchanged content files again at the next load."""

from __future__ import annotations

from sqlalchemy import select

from app.content import loader
from app.library.models import ContentItem

CHECKLIST = """---
title: Before the meeting
topics: [schools]
evidence: inspiring
---
- [ ] Invite the parents
"""


def _write_checklist(folder) -> None:
    (folder / "practice").mkdir(exist_ok=True)
    (folder / "practice" / "checklist.en.md").write_text(CHECKLIST, encoding="utf-8")


def _checklist_html(db) -> str:
    db.session.expire_all()
    return db.session.scalars(
        select(ContentItem.body_html).where(ContentItem.slug == "checklist")).one()


def test_an_unchanged_file_is_skipped_while_the_pipeline_is_the_same(
    load_content, content_copy, db
):
    _write_checklist(content_copy)
    load_content(content_copy)
    [report] = load_content(content_copy)
    assert report.updated == []


def test_a_new_markup_version_renders_every_file_again(
    load_content, content_copy, db, monkeypatch
):
    _write_checklist(content_copy)
    load_content(content_copy)
    db.session.execute(  # as stored before task lists existed
        ContentItem.__table__.update().where(ContentItem.slug == "checklist")
        .values(body_html="<ul>\n<li>[ ] Invite the parents</li>\n</ul>"))
    db.session.commit()
    monkeypatch.setattr(loader, "RENDERED_WITH", b"\nmarkup:next")
    [report] = load_content(content_copy)
    assert report.unchanged == []
    assert 'type="checkbox"' in _checklist_html(db)
