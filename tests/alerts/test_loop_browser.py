"""The ALERT-ARENA loop in Chromium: a reporter's message on a library-answered alert opens a
case a member reads; a merge seen from both reporters' follow-up pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.alerts.models import Alert
from app.arena.services.cases import case_for_alert
from app.extensions import db
from tests.fixtures.alerts import valid_alert
from tests.fixtures.browser import fits_the_viewport

pytestmark = pytest.mark.browser

FIRST = ("Someone sprayed hateful slogans against refugees on the fence of our sports club in "
         "the night; the youth team saw it first.")
SECOND = ("On Sunday morning the fence around the sports club was covered with slogans against "
          "refugees; parents from the football team are worried.")
ADVICE = "Report the slogans to the police and ask the club to document them."


def _reporter(chromium_browser, browser_page):
    """A second, audited browser with its own cookies (another person's phone)."""
    context = chromium_browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    return context, type(browser_page)(context.new_page(), browser_page.base_url)


def _fill_and_send(reporter, description: str):
    """Fill the report form by its visible labels and send it."""
    page = reporter.visit("/en/alert/")
    page.get_by_label("What happened?").fill(description)
    page.get_by_label("Extremist propaganda").check()
    page.get_by_label("Country").select_option("DE")
    page.get_by_label("Where did it happen?").select_option("school")
    page.get_by_label("I have read the privacy notice").check()
    reporter.follow(page.get_by_role("button", name="Send the report"))
    return page


def _send(reporter, description: str) -> str:
    """Send a report through the form; returns the receipt code shown."""
    page = _fill_and_send(reporter, description)
    expect(page.get_by_role("heading", name="Your report was received")).to_be_visible()
    return page.locator(".receipt-code").inner_text()


def _open_follow_up(reporter, code: str):
    """Open the follow-up page with the receipt code."""
    page = reporter.visit("/en/alert/follow-up")
    page.get_by_label("Receipt code").fill(code)
    reporter.follow(page.get_by_role("button", name="Open"))
    expect(page.get_by_role("heading", name="Your alert")).to_be_visible()
    return page


def _no_sideways_scroll(page) -> None:
    """The page fits a 390 px phone screen."""
    assert fits_the_viewport(page)


def test_a_message_on_a_library_answered_alert_opens_a_case_a_member_reads(
        browser_page, chromium_browser, make_user, alert_library):
    member = make_user(country="DE", name="Mara Member")
    context, reporter = _reporter(chromium_browser, browser_page)
    code = _send(reporter, valid_alert()["description"])
    page = _open_follow_up(reporter, code)
    expect(page.get_by_text("your report then becomes a case for them")).to_be_visible()
    page.get_by_label("Your message").fill("The graffiti is back, and now with names.")
    reporter.follow(page.get_by_role("button", name="Send message"))
    expect(page.get_by_text("they now see your report as a case")).to_be_visible()
    _no_sideways_scroll(page)
    context.close()

    case = case_for_alert(db.session.scalars(select(Alert)).one())
    member_page = browser_page.log_in(member.email)
    browser_page.visit("/en/arena/")
    browser_page.follow(member_page.get_by_role("link", name=f"Case #{case.id}"))
    expect(member_page.get_by_text("The graffiti is back, and now with names.")).to_be_visible()


def test_a_merge_seen_from_both_reporters_follow_up_pages(
        browser_page, chromium_browser, make_user):
    first_context, first = _reporter(chromium_browser, browser_page)
    second_context, second = _reporter(chromium_browser, browser_page)
    first_code, second_code = _send(first, FIRST), _send(second, SECOND)
    duplicate = case_for_alert(db.session.scalar(select(Alert).where(Alert.description == FIRST)))
    survivor = case_for_alert(db.session.scalar(select(Alert).where(Alert.description == SECOND)))

    coordinator = make_user(role="coordinator", country="DE")
    page = browser_page.log_in(coordinator.email)
    browser_page.visit(f"/en/arena/cases/{duplicate.id}")
    page.get_by_label("Number of the original case").fill(str(survivor.id))
    browser_page.follow(page.get_by_role("button", name="Merge as duplicate"))
    expect(page.get_by_text(f"Merged into case #{survivor.id}.")).to_be_visible()
    browser_page.visit(f"/en/arena/cases/{survivor.id}")
    browser_page.follow(page.get_by_role("link", name="Write a recommendation"))
    page.get_by_label("What to do").fill(ADVICE)
    page.get_by_label("Why").fill("It is a criminal offence.")
    page.get_by_label("Police").check()
    browser_page.follow(page.get_by_role("button", name="Save recommendation"))
    browser_page.follow(page.get_by_role("button", name="Release to the reporter"))

    merged = _open_follow_up(first, first_code)
    expect(merged.get_by_text(ADVICE)).to_be_visible()
    expect(merged.get_by_text("Your report was joined with another report")).to_be_visible()
    expect(merged.get_by_text("The experts have recommended what to do")).to_be_visible()
    assert SECOND not in merged.content()
    _no_sideways_scroll(merged)
    surviving = _open_follow_up(second, second_code)
    expect(surviving.get_by_text(ADVICE)).to_be_visible()
    expect(surviving.get_by_text("The experts have recommended what to do")).to_be_visible()
    assert FIRST not in surviving.content()
    first_context.close()
    second_context.close()


def test_text_without_words_is_asked_for_gently_and_can_be_sent_as_it_is(
        browser_page, chromium_browser):
    context, reporter = _reporter(chromium_browser, browser_page)
    page = _fill_and_send(reporter, "asdf jkl qwerty ghjk asdfasdf https://example.org/1")
    expect(page.get_by_text("Please describe in a few words what happened")).to_be_visible()
    _no_sideways_scroll(page)
    reporter.follow(page.get_by_role("button", name="Send as it is"))
    expect(page.get_by_role("heading", name="Your report was received")).to_be_visible()
    assert db.session.scalars(select(Alert)).one().words_missing
    context.close()
