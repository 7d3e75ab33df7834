"""Pages with case content, member data, messages or a report are never kept by a browser or a
proxy (`Cache-Control: no-store`); public library pages for anonymous visitors may be."""

from __future__ import annotations

import pytest
from flask import g

from app.arena.models import Notification
from app.extensions import db
from tests.fixtures.users import log_in

# (what the page shows, who asks, URL template)
PRIVATE_PAGES = [
    ("case page", "member", "/en/arena/cases/{case_id}"),
    ("case board", "member", "/en/arena/"),
    ("admin member page", "admin", "/en/admin/members/{member_id}"),
    ("admin member list", "admin", "/en/admin/members"),
    ("conversation", "member", "/en/arena/messages/{conversation_id}"),
    ("notifications", "member", "/en/arena/notifications"),
    ("account page", "member", "/en/account"),
    ("library page seen by a member", "member", "/en/library/practice/{slug}"),
    ("home page seen by a member", "member", "/en/"),
    ("alert receipt page", "anonymous", "/en/alert/follow-up"),
    ("alert form", "anonymous", "/en/alert/"),
    ("login page", "anonymous", "/en/login"),
]


def _get_as(client, busy_portal: dict, who: str, template: str):
    """GET the page as that visitor."""
    if who != "anonymous":
        log_in(client, busy_portal[who])
    g.pop("_login_user", None)
    return client.get(template.format(**busy_portal))


@pytest.mark.parametrize(("page", "who", "template"), PRIVATE_PAGES,
                         ids=[row[0] for row in PRIVATE_PAGES])
def test_private_pages_are_never_stored(client, busy_portal, page, who, template):
    response = _get_as(client, busy_portal, who, template)
    assert response.status_code == 200, page
    assert response.headers["Cache-Control"] == "no-store"
    assert "Cookie" in response.vary


@pytest.mark.parametrize("template", ["/en/library/practice/{slug}", "/en/library/", "/en/"])
def test_public_pages_for_anonymous_visitors_stay_cacheable(client, busy_portal, template):
    response = _get_as(client, busy_portal, "anonymous", template)
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "Cookie" in response.vary  # a shared cache keeps members' pages apart


def test_the_alert_result_with_its_receipt_code_is_never_stored(send_alert):
    response = send_alert()
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_match_api_answer_is_never_stored(client):
    response = client.post("/api/v1/match", json={"text": "swastika graffiti at a school"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_a_notification_opened_lands_on_a_page_not_stored(client, busy_portal, post_form):
    log_in(client, busy_portal["member"])
    note = db.session.scalar(db.select(Notification)
                             .where(Notification.user_id == busy_portal["member"].id))
    response = post_form("/en/arena/notifications", {},
                         action=f"/en/arena/notifications/{note.id}", follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_are_not_forced_to_no_store(client, busy_portal):
    log_in(client, busy_portal["member"])
    response = client.get("/static/css/app.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()
