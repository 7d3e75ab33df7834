"""In a real browser: a member answers a forwarded case and the reporter sees the advice."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.alerts.services import new_receipt_code, receipt_hash
from app.extensions import db

pytestmark = pytest.mark.browser


def test_member_comments_recommends_and_reporter_sees_it(
    browser_page, chromium_browser, live_server, make_user, make_case
):
    case = make_case(country="DE")
    code = new_receipt_code()
    case.alert.receipt_hash = receipt_hash(code)
    db.session.commit()
    member = make_user(country="DE", name="Mara Member")
    page = browser_page.log_in(member.email)
    browser_page.visit("/en/arena/")
    browser_page.follow(page.get_by_role("link", name=f"Case #{case.id}"))
    page.get_by_label("Your comment").fill("Has the school informed the parents?")
    browser_page.follow(page.get_by_role("button", name="Post comment"))
    expect(page.get_by_text("Has the school informed the parents?")).to_be_visible()
    browser_page.follow(page.get_by_role("link", name="Write a recommendation"))
    page.get_by_label("What to do").fill("Meet the parents together with the class teacher.")
    page.get_by_label("Why").fill("A joint talk shows the pupil that adults agree.")
    page.get_by_label("School").check()
    browser_page.follow(page.get_by_role("button", name="Save recommendation"))
    browser_page.follow(page.get_by_role("button", name="Release to the reporter"))

    context = chromium_browser.new_context(locale="en-GB")
    reporter = type(browser_page)(context.new_page(), live_server).visit("/en/alert/follow-up")
    reporter.get_by_label("Receipt code").fill(code)
    with reporter.expect_navigation():
        reporter.get_by_role("button", name="Open").click()
    advice = reporter.get_by_text("Meet the parents together with the class teacher.")
    expect(advice).to_be_visible()
    assert "Mara Member" not in reporter.content()
    context.close()


def test_people_messages_and_notification_pages_are_accessible(
    browser_page, make_user, make_case
):
    make_case(country="DE")
    member = make_user(country="DE", public_profile=True, expertise=["schools"])
    peer = make_user(country="DE", public_profile=True, name="Pia Peer")
    page = browser_page.log_in(member.email)
    browser_page.visit("/en/arena/people?expertise=schools")
    browser_page.visit(f"/en/arena/people/{peer.id}")
    browser_page.follow(page.get_by_role("link", name="Contact"))
    page.get_by_label("Message").fill("Hello Pia")
    browser_page.follow(page.get_by_role("button", name="Send"))
    expect(page.get_by_text("Hello Pia")).to_be_visible()
    browser_page.visit("/en/arena/notifications")
    browser_page.visit("/en/arena/notifications/settings")


def test_coordinator_case_page_is_accessible(browser_page, make_user, make_case):
    from app.arena.services import cases

    case, closed = make_case(country="DE"), make_case(country="DE")
    cases.close(closed, None, "resolved", "Solved with the school.")
    db.session.commit()
    coordinator = make_user(role="coordinator", country="DE")
    page = browser_page.log_in(coordinator.email)
    browser_page.visit(f"/en/arena/cases/{case.id}")
    expect(page.get_by_label("Assign a member")).to_be_visible()
    browser_page.visit(f"/en/arena/cases/{closed.id}")
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
