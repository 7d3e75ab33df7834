"""In a real browser, on a 390 px phone: the reviewer of a lesson draft sees what
de-identification removed, highlighted with a label, and restores a wrong removal (axe
audits every page)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.arena.services import cases, lessons
from app.extensions import db
from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser
SITUATION = ("Tomasz saw two pupils share a video in class 7b. His teacher Martin Kowalski "
             "called me at +49 171 2345678 about the chat near Lindenstraße 12.")


def test_reviewer_sees_removals_and_restores_one_on_a_phone(browser_page, make_user, make_case):
    case = make_case(country="DE", description=SITUATION)
    cases.close(case, None, "resolved", "The school talked with the class.")
    item = lessons.create_lesson_draft(case, make_user(role="coordinator", country="DE"))
    db.session.commit()
    reviewer = make_user(role="coordinator", country="DE")
    page = browser_page.log_in(reviewer.email)
    page.set_viewport_size(PHONE)
    browser_page.visit(f"/en/library/review/{item.id}")
    removals = page.get_by_role("region", name="What de-identification removed")
    expect(removals.locator("mark").first).to_contain_text("[name] Tomasz")
    assert fits_the_viewport(page)
    browser_page.follow(removals.get_by_role("button", name="Restore “Lindenstraße 12”"))
    expect(page.get_by_text("“Lindenstraße 12” is back in the draft.")).to_be_visible()
    assert fits_the_viewport(page)
    db.session.expire_all()
    assert db.session.get(type(item), item.id).extra["situation"].endswith("Lindenstraße 12.")
