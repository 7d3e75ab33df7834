"""The editor: a saved draft is submitted from its edit page; a practice starts "inspiring"."""

from __future__ import annotations

import re

import pytest

from app.library.models import ContentItem
from tests.library.test_publishing import PRACTICE as WITH_EVIDENCE
from tests.library.test_publishing import _only_item

pytestmark = pytest.mark.usefixtures("library_index")

# The editor's fields as a member leaves them: the evidence radio group untouched.
PRACTICE = {name: value for name, value in WITH_EVIDENCE.items() if name != "evidence"}


def _saved_draft(login, make_user, post_form, db) -> ContentItem:
    """An approved author's practice, saved once through the editor (evidence left alone)."""
    login(make_user())
    post_form("/en/library/new/practice", {**PRACTICE, "save": "1"})
    return _only_item(db)


def _submit_forms(html: str, item: ContentItem) -> list[str]:
    """The forms on a page that post to the item's submit address."""
    action = f'action="/en/library/items/{item.id}/submit"'
    return [form for form in re.findall(r"<form[^>]*>", html) if action in form]


def test_a_saved_draft_offers_submit_for_review_on_its_edit_page(
    login, make_user, post_form, db, client
):
    item = _saved_draft(login, make_user, post_form, db)
    html = client.get(f"/en/library/items/{item.id}/edit").get_data(as_text=True)
    assert len(_submit_forms(html, item)) == 1
    assert "Submit for review</button>" in html


def test_submitting_from_the_edit_page_sends_the_draft_to_review(
    login, make_user, post_form, db, outbox
):
    coordinator = make_user(role="coordinator", country="DE")
    item = _saved_draft(login, make_user, post_form, db)
    edit_url = f"/en/library/items/{item.id}/edit"
    response = post_form(edit_url, {}, action=f"/en/library/items/{item.id}/submit")
    assert response.status_code == 302
    assert _only_item(db).status == "in_review"
    assert [mail.to for mail in outbox] == [coordinator.email]


def test_an_item_in_review_offers_no_second_submit(login, make_user, post_form, db, client):
    item = _saved_draft(login, make_user, post_form, db)
    post_form("/en/library/my", {}, action=f"/en/library/items/{item.id}/submit")
    html = client.get(f"/en/library/items/{item.id}/edit").get_data(as_text=True)
    assert _submit_forms(html, item) == []


def test_a_preview_offers_no_submit_of_the_unsaved_text(login, make_user, post_form, db):
    item = _saved_draft(login, make_user, post_form, db)
    edit_url = f"/en/library/items/{item.id}/edit"
    response = post_form(edit_url, {**PRACTICE, "body": "Changed, not saved.", "preview": "1"})
    html = response.get_data(as_text=True)
    assert "Changed, not saved." in html
    assert _submit_forms(html, item) == []


def test_the_submit_button_needs_its_csrf_token(login, make_user, post_form, db, client):
    item = _saved_draft(login, make_user, post_form, db)
    response = client.post(f"/en/library/items/{item.id}/submit", data={})
    assert response.status_code == 400
    assert _only_item(db).status == "draft"


def test_a_new_practice_starts_with_the_weakest_evidence_label(login, make_user, client):
    login(make_user())
    html = client.get("/en/library/new/practice").get_data(as_text=True)
    radios = {re.search(r'value="([^"]+)"', tag).group(1): tag
              for tag in re.findall(r'<input[^>]*name="evidence"[^>]*>', html)}
    assert " checked" in radios["inspiring"]
    assert " checked" not in radios["evaluated"]
    assert " checked" not in radios["peer_reviewed"]


def test_the_first_save_without_touching_evidence_succeeds(login, make_user, post_form, db):
    login(make_user())
    response = post_form("/en/library/new/practice", {**PRACTICE, "save": "1"})
    assert response.status_code == 302
    assert _only_item(db).evidence == "inspiring"


def test_a_chosen_evidence_label_is_kept(login, make_user, post_form, db):
    login(make_user())
    post_form("/en/library/new/practice", {**PRACTICE, "evidence": "evaluated", "save": "1"})
    assert _only_item(db).evidence == "evaluated"
