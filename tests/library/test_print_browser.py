"""In a real browser: the "Print" button prints, and on paper only the text is left."""

import pytest
from playwright.sync_api import expect

from tests.library.test_handbook_print import add_handbook

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("library_index")]

CHECKLIST = "Before the talk:\n\n- [ ] Invite the parents\n- [x] Book a quiet room\n"


def test_the_print_button_opens_the_print_dialog(browser_page, make_item):
    add_handbook(make_item, "hb", 2)
    page = browser_page.visit("/en/library/handbooks/hb/print")
    page.evaluate("window.print = function () { document.body.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="Print the handbook").click()
    expect(page.locator("body")).to_have_attribute("data-printed", "yes")


def test_on_paper_the_handbook_has_no_header_navigation_or_buttons(browser_page, make_item):
    add_handbook(make_item, "hb", 3)
    page = browser_page.visit("/en/library/handbooks/hb/print")
    expect(page.get_by_role("button", name="Print the handbook")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Print the handbook")).to_be_hidden()
    expect(page.get_by_text("Body of hb chapter 3.")).to_be_visible()
    expect(page.get_by_role("heading", name="Contents")).to_be_visible()


def test_on_paper_a_chapter_keeps_its_text_and_checklist_boxes(browser_page, make_item):
    make_item(type="handbook", slug="hb/01-talk", handbook_slug="hb", position=1,
              title="Preparing the talk",
              body=CHECKLIST + "\nSee [the guide](https://example.org/guide).")
    page = browser_page.visit("/en/library/handbooks/hb/01-talk")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Language")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Contents")).to_be_hidden()
    expect(page.get_by_role("heading", name="Preparing the talk")).to_be_visible()
    expect(page.get_by_role("checkbox", name="Invite the parents")).to_be_visible()
    after = page.evaluate("getComputedStyle(document.querySelector('a[href^=\"https://example\"]'),"
                          " '::after').content")
    assert "https://example.org/guide" in after


def test_searching_a_handbook_leads_to_the_chapter(browser_page, make_item):
    add_handbook(make_item, "hb", 4, word="Bürgermeister")
    page = browser_page.visit("/en/library/handbooks/hb")
    page.get_by_label("Search this handbook").fill("Bürgermeister")
    browser_page.follow(page.get_by_role("search").get_by_role("button", name="Search"))
    results = page.get_by_role("region", name="1 chapter found")
    browser_page.follow(results.get_by_role("link", name="hb chapter 3"))
    expect(page.get_by_role("heading", level=1)).to_have_text("hb chapter 3")
