"""On a 390 px phone, in German and Hungarian: the admin's tables (members, access log) and
the two-factor pages fit the screen without sideways scrolling, and axe finds nothing."""

from __future__ import annotations

import pyotp
import pytest

from app.core.access_log import record_access
from app.extensions import db
from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser


def test_admin_tables_fit_a_phone_in_german_and_hungarian(browser_page, make_user):
    admin = make_user(role="admin", name="Zsófia Adminisztrátor-Kovácsné")
    for number in range(3):
        member = make_user(name=f"Mitglied Nummer {number}",
                           organisation="Landesdemokratiezentrum Sachsen-Anhalt")
        record_access(member, "case_opened", "case", 1000 + number)
        record_access(admin, "contact_revealed", "alert", 2000 + number)
    db.session.commit()
    page = browser_page.log_in(admin.email)
    page.set_viewport_size(PHONE)
    for path in ("/de/admin/members", "/de/admin/access-log", "/hu/admin/access-log"):
        browser_page.visit(path)
        assert fits_the_viewport(page), path
    assert page.locator("table.data td[data-label]").first.is_visible()


def test_german_recovery_codes_fit_a_phone(browser_page, make_user):
    member = make_user(email="mitglied@example.org", language="de")
    page = browser_page.log_in(member.email)
    page.set_viewport_size(PHONE)
    browser_page.visit("/de/account/two-factor/setup")
    assert fits_the_viewport(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.locator("input[name=code]").fill(pyotp.TOTP(secret).now())
    browser_page.follow(page.locator("main form button[type=submit]"))
    assert page.locator(".recovery-codes code").count() == 10
    browser_page.audit()
    assert fits_the_viewport(page)
