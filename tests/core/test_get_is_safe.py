"""No state change on GET: every page that may be opened by a link (or by a crawler, a link
preview, a prefetching browser or a forged <img>) leaves the database as it was."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from app.accounts.models import User
from app.arena.models import Notification
from app.extensions import db
from tests.fixtures.arena import get_urls
from tests.fixtures.users import log_in

# Tables a GET may write because they record the request itself, not the portal's state:
# rate-limit counters (search suggestions, receipt attempts) count requests by design, and
# the GDPR access log records who opened which case or revealed which contact.
REQUEST_RECORDS = {"rate_limit_counters", "access_log"}
# Columns a GET may raise for the same reason: a library file's download counter is a
# statistic of requests (the rest of the attachment's row is still compared).
REQUEST_COUNTERS = {"library_attachments": {"download_count"}}


def _compared_rows(table) -> list[str]:
    """A table's rows without its request counters, in a comparable order."""
    skipped = REQUEST_COUNTERS.get(table.name, set())
    columns = [column for column in table.columns if column.name not in skipped]
    return sorted(map(repr, db.session.execute(select(*columns)).all()))


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (request records aside), in a comparable order."""
    db.session.expire_all()
    return {
        table.name: _compared_rows(table)
        for table in db.metadata.sorted_tables if table.name not in REQUEST_RECORDS
    }


@pytest.mark.parametrize("who", ["admin", "anonymous"])
def test_no_get_route_changes_the_database(app, client, busy_portal, who):
    if who == "admin":
        log_in(client, busy_portal["admin"])
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a failing page is not this test's subject
    before = _snapshot()
    changed = []
    for url in get_urls(app, busy_portal):
        g.pop("_login_user", None)
        client.get(url, buffered=True)  # read and closed, as a server does with a file
        after = _snapshot()
        changed += [f"GET {url} changed {name}" for name in after if after[name] != before[name]]
        before = after
    assert changed == []


def test_the_guard_covers_every_feature(app, busy_portal):
    urls = get_urls(app, busy_portal)
    for part in ("/en/arena/", "/en/admin/", "/en/account", "/en/alert/", "/en/library/",
                 "/en/roundtables/"):
        assert any(part in url for url in urls), part


def test_opening_a_notification_by_get_leaves_it_unread(client, busy_portal):
    log_in(client, busy_portal["admin"])
    client.get(f"/en/arena/notifications/{busy_portal['note_id']}")
    db.session.expire_all()
    assert db.session.get(Notification, busy_portal["note_id"]).read_at is None


def test_following_a_confirmation_link_by_get_confirms_nothing(client, busy_portal):
    client.get(f"/en/confirm/{busy_portal['token']}")
    db.session.expire_all()
    unconfirmed = db.session.scalar(select(User).where(User.status == "unconfirmed"))
    assert unconfirmed is not None


def test_reading_a_page_in_another_language_keeps_the_members_language(client, busy_portal):
    log_in(client, busy_portal["admin"])
    client.get("/en/arena/")
    db.session.expire_all()
    assert db.session.get(User, busy_portal["admin"].id).language == "de"
