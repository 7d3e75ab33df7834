"""In a real browser at 390 px: a coordinator reads the "answered by the library" lane and an
answered alert (accessible, no sideways scrolling), then opens a case on it for the experts."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.arena.services.cases import case_for_alert
from app.extensions import db
from tests.fixtures.arena import library_match
from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser
LONG_WORD = "Rechtsextremismuspräventionsnetzwerkkoordinationsstelle"


def test_a_coordinator_reads_the_lane_and_opens_a_case_on_a_phone(
    browser_page, make_user, make_alert, make_item
):
    item = make_item(type="practice", title=f"Class council {LONG_WORD}", slug="class-council")
    alert = make_alert(
        country="DE",
        description=f"A pupil shares clips. {LONG_WORD} " * 8,
        contact_email="reporter@example.org",
        matches=[library_match(item)],
    )
    coordinator = make_user(role="coordinator", country="DE", name="Cora Coordinator")
    page = browser_page.log_in(coordinator.email)
    page.set_viewport_size(PHONE)

    browser_page.visit("/en/arena/answered")
    assert fits_the_viewport(page)
    expect(page.locator(".arena-lanes")).to_contain_text("Answered by the library 1")
    browser_page.follow(page.get_by_role("link", name=f"Report #{alert.id}"))
    assert fits_the_viewport(page)
    expect(page.get_by_role("link", name=item.title)).to_be_visible()

    browser_page.follow(page.get_by_role("button", name="Reveal the reporter's contact"))
    expect(page.locator(".reporter-contact")).to_have_text("reporter@example.org")
    assert fits_the_viewport(page)

    browser_page.follow(page.get_by_role("button", name="Open a case for experts"))
    db.session.expire_all()
    case = case_for_alert(alert)
    assert page.url.endswith(f"/arena/cases/{case.id}")
    expect(page.locator("main")).to_contain_text("Cora Coordinator opened this case")


def test_an_admin_sees_the_erase_form_on_a_phone(browser_page, make_user, make_alert):
    alert = make_alert(country="PL")
    admin = make_user(role="admin", country="DE")
    page = browser_page.log_in(admin.email)
    page.set_viewport_size(PHONE)
    browser_page.visit(f"/en/arena/answered/{alert.id}")
    page.get_by_text("Erase this report now").click()
    expect(page.get_by_label("I understand that the report's text")).to_be_visible()
    browser_page.audit()
    assert fits_the_viewport(page)
