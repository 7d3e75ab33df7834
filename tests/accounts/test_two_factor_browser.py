"""In a real browser on a 390 px phone: a coordinator must set up two-factor authentication,
keeps the recovery codes and logs in with one (axe audits every page)."""

from __future__ import annotations

import pyotp
import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser


def test_coordinator_enrols_and_logs_in_with_a_recovery_code_on_a_phone(
    app, browser_page, make_user
):
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = ["coordinator", "admin"]
    coordinator = make_user(role="coordinator", email="coord-de@example.org")
    browser_page.page.set_viewport_size(PHONE)
    page = browser_page.log_in(coordinator.email)
    browser_page.audit()
    expect(page.get_by_role("heading", name="Set up two-factor authentication")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    assert fits_the_viewport(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    browser_page.follow(page.get_by_role("button", name="Turn on two-factor authentication"))
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert fits_the_viewport(page)

    browser_page.follow(page.get_by_role("button", name="Log out"))
    page = browser_page.log_in(coordinator.email)
    browser_page.audit()
    expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
    assert fits_the_viewport(page)
    page.get_by_label("Recovery code").fill(codes[0])
    browser_page.follow(page.get_by_role("button", name="Log in with a recovery code"))
    expect(page.get_by_text("You used a recovery code.")).to_be_visible()
