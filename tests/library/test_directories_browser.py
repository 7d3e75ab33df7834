"""The directory pages in a real browser, in German and Hungarian, on a 390 px phone and a
1280 px laptop: no sideways scrolling, no axe violation; a coordinator fills in a donor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("library_index")]

LAPTOP = {"width": 1280, "height": 800}
LONG_WORD = "Rechtsextremismuspräventionsfortbildungsveranstaltung"


@pytest.fixture
def directory(make_item, make_user):
    """Organisations, a trainer and donors (open, rolling, passed) and a DE coordinator."""
    coordinator = make_user(role="coordinator", country="DE")
    make_item(
        type="organisation",
        slug="school-net",
        title=f"{LONG_WORD} Netzwerk",
        countries=["DE"],
        extra={"city": LONG_WORD, "agency": "religious_community"},
    )
    make_item(
        type="trainer",
        slug="trainers",
        title="Trainers",
        countries=["DE", "HU"],
        extra={"city": "Budapest", "agency": "youth_work", "member_id": coordinator.id},
    )
    make_item(
        type="donor",
        slug="open",
        title="Open Fund",
        countries=["DE"],
        topics=["schools"],
        deadline=date.today() + timedelta(days=30),
        extra={"amount_from": 5000, "amount_to": 250000},
    )
    make_item(type="donor", slug="rolling", title="Rolling Fund", extra={"rolling": True})
    passed = make_item(
        type="donor",
        slug="passed",
        title="Passed Fund",
        countries=["DE"],
        deadline=date.today() - timedelta(days=30),
    )
    return {"coordinator": coordinator, "passed": passed}


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("lang", ["de", "hu"])
def test_directory_pages_fit_and_pass_axe(browser_page, directory, viewport, lang):
    browser_page.log_in(directory["coordinator"].email)
    browser_page.page.set_viewport_size(viewport)
    item_id = directory["passed"].id
    for path in (
        f"/{lang}/library/who-is-where",
        f"/{lang}/library/who-is-where?country=DE",
        f"/{lang}/library/donors",
        f"/{lang}/library/new/donor",
        f"/{lang}/library/new/organisation",
        f"/{lang}/library/items/{item_id}/edit",
        f"/{lang}/library/items/{item_id}/retire",
        f"/{lang}/library/donor/passed",
        f"/{lang}/library/donor/open",
        f"/{lang}/library/organisation/school-net",
        f"/{lang}/library/trainer/trainers",
    ):
        page = browser_page.visit(path)
        assert fits_the_viewport(page), path


def test_a_refused_donor_keeps_what_was_typed(browser_page, directory):
    browser_page.log_in(directory["coordinator"].email)
    browser_page.page.set_viewport_size(PHONE)
    page = browser_page.visit("/en/library/new/donor")
    page.get_by_label("Title").fill("New Fund")
    page.get_by_label("Text (Markdown)").fill("Apply here.")
    page.get_by_label("Amount from (EUR)").fill("9000")
    page.get_by_label("Amount up to (EUR)").fill("100")
    browser_page.follow(page.get_by_role("button", name="Save draft"))
    assert page.get_by_label("Title").input_value() == "New Fund"
    assert "must not be smaller" in page.locator(".error-summary").inner_text()
    assert fits_the_viewport(page)
