"""The trends pages in a real browser: no accessibility violation and no sideways scrolling,
on a phone and on a desktop, in German and Hungarian (long words)."""

from __future__ import annotations

import pytest

from tests.fixtures.browser import PHONE, fits_the_viewport
from tests.fixtures.insights import random_trend_alerts

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
@pytest.mark.parametrize("lang", ["de", "hu"])
def test_trends_pages_are_accessible_and_fit(browser_page, add_trend_alerts, viewport, lang):
    add_trend_alerts(random_trend_alerts(seed=11, count=220))
    browser_page.page.set_viewport_size(viewport)
    for path in (f"/{lang}/trends", f"/{lang}/trends/HU"):
        page = browser_page.visit(path)
        assert page.locator("svg[role=img]").count() == 3, path
        assert fits_the_viewport(page), path
