"""Registration and vetting through the real pages in Chromium, every page checked by axe."""

import pytest
from playwright.sync_api import expect

from app.accounts.models import User
from tests.fixtures.accounts import link_in
from tests.fixtures.users import PASSWORD

pytestmark = pytest.mark.browser


def _fill_registration(page) -> None:
    """Fill the registration form as a person would, by the visible labels."""
    page.get_by_label("Expert", exact=True).check()
    page.get_by_label("Name", exact=True).fill("Ilona Szabó")
    page.get_by_label("E-mail address").fill("ilona@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)
    page.get_by_label("Organisation").fill("Civil Liberties Union")
    page.get_by_label("Profession").select_option("ngo")
    page.get_by_label("Country").select_option("HU")
    page.get_by_label("Hungarian").check()
    page.get_by_label("Hate speech").check()


def _log_in(audited, email: str) -> None:
    """Log in on the open login form and wait for the page after it."""
    audited.page.get_by_label("E-mail address").fill(email)
    audited.page.get_by_label("Password").fill(PASSWORD)
    audited.follow(audited.page.get_by_role("main").get_by_role("button", name="Log in"))


def test_member_registers_and_a_coordinator_approves_them(
    browser_page, chromium_browser, live_server, make_user, outbox, db
):
    page = browser_page.visit("/en/register")
    browser_page.follow(page.get_by_role("button", name="Register"))  # empty: errors, kept
    expect(page.locator(".error-summary")).to_be_visible()
    _fill_registration(page)
    browser_page.follow(page.get_by_role("main").get_by_role("button", name="Register"))
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    page = browser_page.visit(link_in(outbox[-1]))
    browser_page.follow(page.get_by_role("button", name="Confirm my e-mail address"))
    _log_in(browser_page, "ilona@example.org")
    assert "Waiting for approval" in page.content()

    coordinator = make_user(role="coordinator", country="HU", email="coord-hu@example.org")
    context = chromium_browser.new_context(locale="en-GB")
    other = type(browser_page)(context.new_page(), live_server)
    other.visit("/en/login")
    _log_in(other, coordinator.email)
    other.visit("/en/admin/members")
    other.follow(other.page.get_by_role("link", name="Ilona Szabó"))
    other.page.get_by_label("Approve").check()
    other.follow(other.page.get_by_role("button", name="Save the decision"))
    context.close()

    db.session.expire_all()
    member = db.session.scalar(db.select(User).where(User.email == "ilona@example.org"))
    assert member.status == "approved"
    browser_page.visit("/en/account")
    expect(page.get_by_role("heading", name="Your profile", exact=True)).to_be_visible()
