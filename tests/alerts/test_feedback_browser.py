"""Feedback in Chromium: the result page answers in place (its receipt code stays on screen),
case page and coordinators' overview pass axe and fit a 390 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.alerts.feedback import member_voter
from app.alerts.models import RecommendationFeedback
from app.extensions import db
from tests.fixtures.alerts import fill_report
from tests.fixtures.browser import PHONE, fits_the_viewport
from tests.fixtures.feedback import CLASS_TALK, FEEDBACK_ALERT, YOUTH_WORK

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("feedback_library")]


def _fits_the_phone(page) -> None:
    page.set_viewport_size(PHONE)
    assert fits_the_viewport(page), f"{page.url} scrolls sideways"


def test_the_reporter_marks_a_recommendation_without_leaving_the_result(browser_page):
    page = browser_page.visit("/en/alert/")
    fill_report(page, FEEDBACK_ALERT)
    browser_page.follow(page.get_by_role("button", name="Send the report"))
    _fits_the_phone(page)
    item = page.locator("#match-practice-class-talk")
    item.get_by_role("button", name="It helped").click()
    expect(item.get_by_role("status")).to_have_text("Thank you: you said this helped.")
    expect(item.get_by_role("button", name="It helped")).to_be_hidden()
    expect(page.locator(".receipt-code")).to_be_visible()  # still the result page
    browser_page.audit()
    assert db.session.scalars(db.select(RecommendationFeedback.doc_id)).all() == [CLASS_TALK]


def test_case_feedback_and_the_overview_are_accessible_on_a_phone(
    browser_page, make_user, make_case, feedback_library
):
    case = make_case(country="DE")
    case.alert.matches = [{"doc_id": YOUTH_WORK, "type": "practice", "slug": "youth-work",
                           "language": "en", "title": feedback_library[YOUTH_WORK].title,
                           "score": 0.4, "level": "partial"}]
    db.session.commit()
    coordinator = make_user(role="coordinator", country="DE")
    page = browser_page.log_in(coordinator.email)
    browser_page.visit(f"/en/arena/cases/{case.id}")
    _fits_the_phone(page)
    section = page.locator("#feedback")
    section.get_by_role("button", name="It did not help").click()
    expect(section.get_by_role("status")).to_have_text("Thank you: you said this did not help.")
    browser_page.audit()
    vote = db.session.scalars(db.select(RecommendationFeedback)).one()
    assert vote.voter == member_voter(coordinator.id)
    browser_page.follow(page.get_by_role("link", name="Feedback on items"))
    expect(page.get_by_text("1 answer: it did not help")).to_be_visible()
    _fits_the_phone(page)
