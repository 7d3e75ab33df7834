"""The home page in a real browser: accessible, self-contained, switchable language."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_page_is_accessible_and_switches_language(browser_page):
    page = browser_page.visit("/en/")
    expect(page.locator("h1")).to_be_visible()
    browser_page.follow(
        page.get_by_role("navigation", name="Language").get_by_role("link", name="PL Polski"))
    assert page.url.endswith("/pl/")
    assert page.locator("html").get_attribute("lang") == "pl"


def test_skip_link_moves_focus_to_main_content(browser_page):
    page = browser_page.visit("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
