"""The library in a real browser: filter by a facet, read a handbook, a video that waits."""

import pytest
from playwright.sync_api import expect

from tests.fixtures.users import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("library_index")]


def test_filter_by_facet_then_read_a_handbook_chapter(browser_page, load_content, content_copy):
    load_content(content_copy)
    page = browser_page.visit("/en/library/")
    facet = page.get_by_role("region", name="Type")
    browser_page.follow(facet.get_by_role("link", name="Handbook"))
    assert "type=handbook" in page.url
    browser_page.follow(page.get_by_role("link", name="Overview").first)
    assert page.locator("h1").inner_text() == "Overview"
    browser_page.follow(page.get_by_role("link", name="Next: Who to invite"))
    assert page.url.endswith("/en/library/handbooks/demo-handbook/02-who-to-invite")
    expect(page.get_by_role("link", name="Previous: Overview")).to_be_visible()


def test_video_page_loads_nothing_from_the_host_before_the_click(
    browser_page, load_content, content_copy
):
    load_content(content_copy)
    page = browser_page.visit("/en/library/video/explainer")
    expect(page.get_by_role("button", name="Load the video")).to_be_visible()
    assert page.locator("iframe").count() == 0
    expect(page.get_by_role("heading", name="Transcript")).to_be_visible()


def test_other_library_pages_are_accessible(browser_page, load_content, content_copy):
    load_content(content_copy)
    for path in ("/en/library/case/graffiti-at-school", "/de/library/practice/peer-mediation",
                 "/hu/library/practice/peer-mediation", "/en/library/donors",
                 "/en/library/trainers", "/en/library/experts",
                 "/en/library/handbooks/demo-handbook"):
        browser_page.visit(path)


def _log_in(audited, email: str) -> None:
    """Log in through the real form."""
    page = audited.visit("/en/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    audited.follow(page.get_by_role("main").get_by_role("button", name="Log in"))


def test_expert_writes_previews_submits_and_a_coordinator_publishes(
    browser_page, chromium_browser, live_server, make_user
):
    _log_in(browser_page, make_user(country="PL").email)
    page = browser_page.visit("/en/library/new/practice")
    page.get_by_label("Title").fill("Talking circles")
    page.get_by_label("Text (Markdown)").fill("Sit in a **circle**.")
    page.get_by_label("Evaluated").check()
    browser_page.follow(page.get_by_role("button", name="Preview"))
    assert page.locator(".preview strong").inner_text() == "circle"
    assert page.get_by_label("Title").input_value() == "Talking circles"
    browser_page.follow(page.get_by_role("button", name="Save draft"))
    browser_page.visit("/en/library/my")
    browser_page.follow(page.get_by_role("button", name="Submit for review"))
    expect(page.get_by_text("In review")).to_be_visible()

    context = chromium_browser.new_context(locale="en-GB")
    other = type(browser_page)(context.new_page(), live_server)
    _log_in(other, make_user(role="coordinator", country="PL").email)
    other.visit("/en/library/review")
    other.follow(other.page.get_by_role("link", name="Talking circles"))
    other.follow(other.page.get_by_role("button", name="Publish"))
    context.close()
    expect(browser_page.visit("/en/library/my").get_by_text("Published").first).to_be_visible()
