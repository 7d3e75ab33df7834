"""The dashboard in a real browser: no accessibility violation and no sideways scrolling on
a phone and a laptop, in German and Hungarian (long words); charts print, buttons do not."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import PHONE, fits_the_viewport
from tests.fixtures.dashboard import PERIOD

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 900}
QUERY = f"?date_from={PERIOD[0].isoformat()}&date_to={PERIOD[1].isoformat()}"
CHARTS = 7  # months, outcome, categories, settings, topics, languages, cases


@pytest.fixture
def admin_in_browser(browser_page, make_user, dashboard_data):
    """The browser logged in as an admin, with the dashboard fixture's data."""
    browser_page.log_in(make_user(role="admin").email)
    return browser_page


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("lang", ["de", "hu"])
def test_dashboard_is_accessible_and_fits(admin_in_browser, viewport, lang):
    admin_in_browser.page.set_viewport_size(viewport)
    page = admin_in_browser.visit(f"/{lang}/dashboard{QUERY}")
    assert page.locator("svg[role=img]").count() == CHARTS
    assert fits_the_viewport(page)


def test_dashboard_prints_its_charts_without_buttons(admin_in_browser):
    page = admin_in_browser.visit(f"/en/dashboard{QUERY}")
    page.emulate_media(media="print")
    assert page.locator("svg[role=img]").first.is_visible()
    assert not page.locator(".dashboard-exports").is_visible()
    assert not page.locator(".dashboard-filter").is_visible()
