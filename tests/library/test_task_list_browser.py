"""In a real browser: a checklist is a list of labelled, disabled checkboxes (axe-clean)."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("library_index")]

CHECKLIST = "Before the talk:\n\n- [ ] Invite the parents\n- [x] Book a quiet room\n"


def test_checklist_items_are_disabled_checkboxes_named_by_their_text(browser_page, make_item):
    make_item(slug="talk", title="Preparing the talk", body=CHECKLIST)
    page = browser_page.visit("/en/library/practice/talk")  # the visit runs axe on the page
    open_task = page.get_by_role("checkbox", name="Invite the parents")
    done_task = page.get_by_role("checkbox", name="Book a quiet room")
    expect(open_task).to_be_disabled()
    expect(open_task).not_to_be_checked()
    expect(done_task).to_be_checked()
