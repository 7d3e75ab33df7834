"""In a real browser: an urgent alert in Romanian reaches the Romanian coordinator at once,
who acknowledges it with one click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.arena.models import Case
from app.extensions import db
from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser


def _send_romanian_danger_alert(browser_page) -> None:
    """The reporter fills the Romanian form by its visible labels and ticks "danger"."""
    page = browser_page.visit("/ro/alert/")
    page.get_by_label("Ce s-a întâmplat?").fill(
        "Un elev amenință colegii cu un cuțit și spune că îi va răni după ore.")
    page.get_by_label("Propagandă extremistă").check()
    page.get_by_label("Țara", exact=True).select_option("RO")
    page.get_by_label("Unde s-a întâmplat?").select_option("school")
    page.get_by_label("Cineva se află în pericol imediat").check()
    page.get_by_label("Am citit nota de informare").check()
    browser_page.follow(page.get_by_role("button", name="Trimiteți sesizarea"))
    expect(page.get_by_role("heading", name="Sesizarea dumneavoastră a fost primită")
           ).to_be_visible()
    expect(page.locator(".forwarded-note")).to_contain_text("112")


def test_urgent_romanian_alert_reaches_the_coordinator_who_acknowledges_it(
    browser_page, make_user, outbox
):
    coordinator = make_user(role="coordinator", country="RO", language="ro", name="Ana Pop")
    _send_romanian_danger_alert(browser_page)
    db.session.expire_all()
    case = db.session.scalar(db.select(Case))
    assert case.urgent is True
    [mail] = [m for m in outbox if m.to == coordinator.email]
    assert f"/ro/arena/cases/{case.id}" in mail.body

    page = browser_page.log_in(coordinator.email)
    page.set_viewport_size(PHONE)
    browser_page.visit("/en/arena/notifications")
    notice = page.get_by_role("button", name=f"Urgent case #{case.id} in Romania needs a "
                                           "coordinator now")
    browser_page.follow(notice)
    banner = page.locator("#urgent")
    expect(banner).to_contain_text("Not acknowledged for")
    assert fits_the_viewport(page)
    browser_page.follow(page.get_by_role("button", name="Acknowledge: I am dealing with it"))
    expect(banner).to_contain_text("Acknowledged by Ana Pop")
    assert fits_the_viewport(page)
    browser_page.visit("/en/arena/")
    assert fits_the_viewport(page)
    db.session.expire_all()
    assert db.session.get(Case, case.id).acknowledged_by_id == coordinator.id


def test_board_row_acknowledges_on_a_phone(browser_page, make_user, make_urgent_case):
    coordinator = make_user(role="coordinator", country="RO")
    case = make_urgent_case(country="RO")
    page = browser_page.log_in(coordinator.email)
    page.set_viewport_size(PHONE)
    browser_page.visit("/en/arena/")
    expect(page.locator(".urgent-wait")).to_contain_text("Waiting for a coordinator for")
    assert fits_the_viewport(page)
    browser_page.follow(page.get_by_role("button", name=f"Acknowledge case #{case.id}"))
    expect(page.locator("#urgent")).to_contain_text("Acknowledged by")
