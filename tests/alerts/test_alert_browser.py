"""An alert through the real pages in Chromium: errors, live preview, matches, follow-up."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.alerts import valid_alert

pytestmark = pytest.mark.browser


def _fill(page) -> None:
    """Fill the report as a person would, by the visible labels."""
    data = valid_alert()
    page.get_by_label("What happened?").fill(data["description"])
    page.get_by_label("Extremist propaganda").check()
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Where did it happen?").select_option("school")
    page.get_by_label("I have read the privacy notice").check()


def _preview_of_the_whole_report(response) -> bool:
    """The live preview's answer for the report as _fill leaves it (the place is set last)."""
    return response.url.endswith("/alert/preview") and "setting=school" in (
        response.request.post_data or "")


def test_reporter_sends_an_alert_sees_explained_matches_and_follows_up(
    browser_page, alert_library
):
    page = browser_page.visit("/en/alert/")
    browser_page.follow(page.get_by_role("button", name="Send the report"))
    expect(page.locator(".error-summary")).to_be_visible()
    # The page asks for a preview 0.8 s after each change and cancels the one still running:
    # wait for the answer to the whole report, not for a guessed number of seconds.
    with page.expect_response(_preview_of_the_whole_report):
        _fill(page)
    preview = page.locator("#alert-preview")
    expect(preview.get_by_text("Swastika graffiti in school toilets")).to_be_visible()
    browser_page.audit()
    browser_page.follow(page.get_by_role("button", name="Send the report"))
    expect(page.get_by_role("heading", name="Your report was received")).to_be_visible()
    case = page.locator("#group-cases + ol li").first
    assert "Swastika graffiti in school toilets" in case.inner_text()
    assert "Strong match" in case.inner_text() and "Why this matches:" in case.inner_text()
    code = page.locator(".receipt-code").inner_text()

    browser_page.visit("/en/alert/follow-up")
    page.get_by_label("Receipt code").fill(code)
    browser_page.follow(page.get_by_role("button", name="Open"))
    expect(page.get_by_role("heading", name="Your alert")).to_be_visible()
    assert code not in page.url
