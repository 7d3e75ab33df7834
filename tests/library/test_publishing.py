"""Publishing by experts: drafts, preview, submit, review by coordinators, publish or return."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.library.models import ContentItem

pytestmark = pytest.mark.usefixtures("library_index")

PRACTICE = {
    "title": "Listening circles in class",
    "summary": "A calm format for hard topics.",
    "body": "Sit in a **circle** and listen.",
    "language": "en",
    "evidence": "inspiring",
    "topics": ["schools"],
    "countries": ["DE"],
    "audience": ["teacher"],
}


def _only_item(db) -> ContentItem:
    db.session.expire_all()
    return db.session.scalars(select(ContentItem)).one()


def _write(post_form, data=None, **extra):
    """Save a new practice through the editor."""
    return post_form("/en/library/new/practice", {**PRACTICE, **(data or {}), "save": "1"},
                     **extra)


def test_preview_renders_markdown_and_keeps_everything_typed(login, make_user, post_form, db):
    login(make_user())
    response = post_form("/en/library/new/practice", {**PRACTICE, "preview": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>circle</strong>" in html
    assert "Listening circles in class" in html and "Sit in a **circle** and listen." in html
    assert db.session.scalars(select(ContentItem)).first() is None


def test_invalid_form_keeps_input_and_says_what_is_wrong(login, make_user, post_form, db):
    login(make_user())
    response = _write(post_form, {"title": "", "evidence": ""})
    html = response.get_data(as_text=True)
    assert "Please give a title." in html and "Please choose an evidence label." in html
    assert "Sit in a **circle** and listen." in html


def test_new_item_is_a_private_draft(client, login, make_user, post_form, db):
    login(make_user())
    response = _write(post_form)
    assert response.status_code == 302
    item = _only_item(db)
    assert item.status == "draft" and item.slug == "listening-circles-in-class"
    client.post("/en/logout")
    with client.session_transaction() as session:
        session.clear()
    assert client.get("/en/library/practice/listening-circles-in-class").status_code == 404


def test_only_approved_members_may_write(client, login, make_user):
    assert client.get("/en/library/new/practice").status_code in (302, 401)
    login(make_user(status="pending"))
    assert client.get("/en/library/new/practice").status_code == 302
    login(make_user())
    assert client.get("/en/library/new/practice").status_code == 200
    assert client.get("/en/library/new/donor").status_code == 404


def test_my_items_lists_states(login, make_user, post_form, client, db):
    login(make_user())
    _write(post_form)
    html = client.get("/en/library/my").get_data(as_text=True)
    assert "Listening circles in class" in html and "Draft" in html


def _submitted(login, make_user, post_form, db, country="DE"):
    """An approved author with a practice submitted for review."""
    author = make_user(country=country)
    login(author)
    _write(post_form)
    item = _only_item(db)
    post_form("/en/library/my", {}, action=f"/en/library/items/{item.id}/submit")
    return author, _only_item(db)


def test_submit_notifies_coordinators_of_the_authors_country(
    login, make_user, post_form, db, outbox
):
    coordinator = make_user(role="coordinator", country="DE")
    make_user(role="coordinator", country="PL")
    admin = make_user(role="admin", country="HU")
    _, item = _submitted(login, make_user, post_form, db)
    assert item.status == "in_review"
    assert sorted(m.to for m in outbox) == sorted([coordinator.email, admin.email])


def test_only_coordinators_of_that_country_may_review(login, make_user, post_form, db, client):
    _, item = _submitted(login, make_user, post_form, db)
    url = f"/en/library/review/{item.id}"
    login(make_user())
    assert client.get(url).status_code == 403
    login(make_user(role="coordinator", country="PL"))
    assert client.get(url).status_code == 404
    assert "Listening circles" not in client.get("/en/library/review").get_data(as_text=True)
    login(make_user(role="coordinator", country="DE"))
    assert client.get(url).status_code == 200
    assert "Listening circles" in client.get("/en/library/review").get_data(as_text=True)


def test_coordinator_publishes_and_author_is_told(login, make_user, post_form, db, outbox, client):
    author, item = _submitted(login, make_user, post_form, db)
    login(make_user(role="coordinator", country="DE"))
    outbox.clear()
    response = post_form(f"/en/library/review/{item.id}", {"action": "publish", "comment": ""})
    assert response.status_code == 302
    assert _only_item(db).status == "published"
    assert [m.to for m in outbox] == [author.email]
    assert "published" in outbox[0].subject
    assert "Published." in client.get(response.location).get_data(as_text=True)
    html = client.get("/en/library/?q=listening").get_data(as_text=True)
    assert "Listening circles in class" in html


def test_return_needs_a_comment_and_the_author_gets_it(login, make_user, post_form, db, outbox):
    author, item = _submitted(login, make_user, post_form, db)
    login(make_user(role="coordinator", country="DE"))
    response = post_form(f"/en/library/review/{item.id}", {"action": "return", "comment": ""})
    assert "Please say what the author should change." in response.get_data(as_text=True)
    outbox.clear()
    post_form(f"/en/library/review/{item.id}", {"action": "return", "comment": "Add sources."})
    item = _only_item(db)
    assert item.status == "returned" and item.review_comment == "Add sources."
    assert [m.to for m in outbox] == [author.email] and "Add sources." in outbox[0].body


def test_author_cannot_publish_own_item(login, make_user, post_form, db, client):
    author, item = _submitted(login, make_user, post_form, db)
    response = post_form("/en/library/my", {"action": "publish"},
                         action=f"/en/library/review/{item.id}")
    assert response.status_code == 403
    assert _only_item(db).status == "in_review"


def test_coordinator_cannot_publish_own_item(login, make_user, post_form, db, client):
    coordinator = make_user(role="coordinator", country="DE")
    login(coordinator)
    _write(post_form)
    item = _only_item(db)
    post_form("/en/library/my", {}, action=f"/en/library/items/{item.id}/submit")
    assert client.get(f"/en/library/review/{item.id}").status_code == 404
    assert "Listening circles" not in client.get("/en/library/review").get_data(as_text=True)
    login(make_user(role="coordinator", country="DE"))
    assert client.get(f"/en/library/review/{item.id}").status_code == 200


def test_others_cannot_edit_or_submit_an_item(login, make_user, post_form, db, client):
    login(make_user())
    _write(post_form)
    item = _only_item(db)
    login(make_user())
    assert client.get(f"/en/library/items/{item.id}/edit").status_code == 404
    response = post_form("/en/library/my", {}, action=f"/en/library/items/{item.id}/submit")
    assert response.status_code == 404
    assert _only_item(db).status == "draft"


def test_edit_of_published_item_goes_back_to_review(
    login, make_user, post_form, db, client, outbox
):
    author, item = _submitted(login, make_user, post_form, db)
    coordinator = make_user(role="coordinator", country="DE")
    login(coordinator)
    post_form(f"/en/library/review/{item.id}", {"action": "publish", "comment": ""})
    login(author)
    outbox.clear()
    post_form(f"/en/library/items/{item.id}/edit", {**PRACTICE, "title": "Circles v2",
                                                     "save": "1"})
    item = _only_item(db)
    assert item.status == "in_review" and item.title == "Circles v2"
    assert [m.to for m in outbox] == [coordinator.email]
    client.get("/en/logout")
    with client.session_transaction() as session:
        session.clear()
    assert client.get(f"/en/library/practice/{item.slug}").status_code == 404
    assert "Circles v2" not in client.get("/en/library/?q=circles").get_data(as_text=True)


def test_clearing_the_video_address_removes_it(login, make_user, post_form, db):
    login(make_user())
    video = {**PRACTICE, "embed_url": "https://player.vimeo.com/video/1", "save": "1"}
    post_form("/en/library/new/video", video)
    item = _only_item(db)
    assert item.embed_url == "https://player.vimeo.com/video/1"
    post_form(f"/en/library/items/{item.id}/edit", {**video, "embed_url": ""})
    assert _only_item(db).embed_url is None
