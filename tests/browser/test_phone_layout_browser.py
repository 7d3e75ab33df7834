"""Every page the portal answers with HTML, on a 390 px phone and a 1280 px laptop, as the
admin of a busy portal and as an anonymous visitor: no sideways scrolling, no axe violation,
and the header of a logged-in coordinator on at most two rows on the laptop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.fixtures.arena import get_urls
from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
# What members paste: a long link, a code line, a table; names and places without a break.
LINK = "https://www.landesdemokratiezentrum-sachsen-anhalt.example.org/fortbildungen/praevention"
LONG_WORD = "Rechtsextremismuspräventionsfortbildungsveranstaltung"
COMMENT = f"See {LINK}\n\n```\n{'x' * 120}\n```\n\n| {LINK} | {LONG_WORD} |\n|---|---|\n| a | b |"
# The header's parts (brand, main, account and language menus) laid out on at most two rows.
# A part starts a new row when it lies wholly below the parts before it.
HEADER_ROWS = """() => {
  let rows = 0, bottom = -Infinity;
  for (const part of document.querySelectorAll('.header-row > *')) {
    const box = part.getBoundingClientRect();
    if (box.top >= bottom) { rows += 1; }
    bottom = Math.max(bottom, box.bottom);
  }
  return rows;
}"""


def _check_page(browser_page, path: str, checked: set[str]) -> list[str]:
    """Open one path; the problems of the page it lands on (none when it is not an HTML page,
    a redirect to the login form or a page already checked)."""
    # Asked first without the page: a browser navigating to a calendar file downloads it.
    probe = browser_page.page.request.get(browser_page.base_url + path)
    landed = probe.url.removeprefix(browser_page.base_url)
    if "text/html" not in probe.headers.get("content-type", "") or landed in checked or (
            landed.split("?")[0].endswith("/login") and "/login" not in path):
        return []
    checked.add(landed)
    response = browser_page.page.goto(browser_page.base_url + path)
    problems = [f"{path}: answered {response.status}"] if response.status >= 500 else []
    if not fits_the_viewport(browser_page.page):
        width = browser_page.page.evaluate("document.documentElement.scrollWidth")
        problems.append(f"{path}: {width} px wide")
    try:
        browser_page.audit()
    except AssertionError as violations:
        problems.append(f"{path}: {violations}")
    return problems


@pytest.fixture
def awkward_portal(db, busy_portal, make_user):
    """busy_portal with what widens pages on phones: a long link in the report and in a
    comment, a code line, a table, a pending member with an unbroken organisation name."""
    from app.arena.models import Case
    from app.arena.services import discussion

    case = db.session.get(Case, busy_portal["case_id"])
    case.alert.description = f"{case.alert.description} {LINK}"
    case.alert.city = LONG_WORD
    discussion.add_comment(case, busy_portal["member"], COMMENT)
    make_user(status="pending", name=LONG_WORD, organisation=LONG_WORD * 2,
              email=f"{LONG_WORD.lower()}@{LONG_WORD.lower()}.example.org")
    db.session.commit()
    return busy_portal


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("visitor", ["admin", "anonymous"])
def test_every_page_fits_and_passes_axe(app, browser_page, awkward_portal, visitor, viewport):
    if visitor == "admin":
        browser_page.log_in(awkward_portal["admin"].email)
    browser_page.page.set_viewport_size(viewport)
    checked: set[str] = set()
    problems = []
    for path in get_urls(app, awkward_portal):
        problems += _check_page(browser_page, path, checked)
    assert problems == [], "\n".join(problems)
    assert len(checked) > 20 if visitor == "admin" else len(checked) > 10


def test_a_coordinators_header_keeps_to_two_rows_on_a_laptop(browser_page, busy_portal):
    browser_page.log_in(busy_portal["admin"].email)
    browser_page.page.set_viewport_size(LAPTOP)
    for path in ("/en/arena/", "/de/arena/", "/hu/arena/", "/pl/arena/", "/ro/arena/"):
        page = browser_page.visit(path)
        assert page.evaluate(HEADER_ROWS) <= 2, path


@pytest.mark.parametrize("lang", ["en", "de", "pl", "ro", "hu"])
def test_the_alert_form_starts_on_a_phones_first_screen(browser_page, lang):
    browser_page.page.set_viewport_size(PHONE)
    page = browser_page.visit(f"/{lang}/alert/")
    first_call = page.locator("main a[href^='tel:']").first
    assert first_call.bounding_box()["y"] < page.locator("#description").bounding_box()["y"]
    assert first_call.bounding_box()["y"] + first_call.bounding_box()["height"] < 844
    assert page.locator("#description").bounding_box()["y"] < 844


def test_every_countrys_numbers_are_one_tap_away(browser_page):
    browser_page.page.set_viewport_size(PHONE)
    page = browser_page.visit("/de/alert/")
    helpline = page.locator(".emergency-all a[href='tel:116111']").first
    expect(helpline).to_be_hidden()
    page.locator(".emergency-all summary").click()
    expect(helpline).to_be_visible()
