"""The follow-up page is opened by a server-side grant: "Close on this device" and withdrawal
revoke it, so a copied cookie opens nothing afterwards."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import utcnow
from app.alerts import services
from app.alerts.models import Alert, FollowUpGrant
from app.alerts.tasks import prune_old_grants
from tests.fixtures.alerts import receipt_from
from tests.fixtures.app import csrf_token_from


def _open_follow_up(client, send_alert, post_form) -> Alert:
    """Send a report and open its follow-up page with the receipt code."""
    code = receipt_from(send_alert().get_data(as_text=True))
    post_form("/en/alert/follow-up", {"code": code})
    return client.application.extensions["sqlalchemy"].session.scalars(select(Alert)).one()


def _copy_of(client):
    """A second browser holding a copy of the client's session cookie."""
    thief = client.application.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _grant_count(db) -> int:
    return db.session.scalar(select(func.count(FollowUpGrant.id)))


def test_the_session_cookie_holds_only_tokens_whose_hashes_are_stored(
        client, send_alert, post_form, db):
    alert = _open_follow_up(client, send_alert, post_form)
    with client.session_transaction() as session:
        held = [session["alert_follow_up"], session["alert_just_sent"]]
    assert alert.id not in held
    hashes = set(db.session.scalars(select(FollowUpGrant.token_hash)))
    assert {hashlib.sha256(token.encode()).hexdigest() for token in held} <= hashes


def test_close_on_this_device_stops_a_copied_cookie(client, send_alert, post_form, db):
    _open_follow_up(client, send_alert, post_form)
    thief = _copy_of(client)
    assert "Withdraw the alert" in thief.get("/en/alert/follow-up").get_data(as_text=True)
    closed = post_form("/en/alert/follow-up", {}, action="/en/alert/follow-up/close",
                       follow_redirects=True).get_data(as_text=True)
    assert "This device no longer opens your alert" in closed
    page = thief.get("/en/alert/follow-up").get_data(as_text=True)
    assert "Withdraw the alert" not in page
    assert "Receipt code" in page


def test_a_copied_cookie_cannot_write_or_forward_after_close(client, send_alert, post_form,
                                                             db, alert_library):
    alert = _open_follow_up(client, send_alert, post_form)
    assert alert.forwarded_at is None  # the library answered it
    thief = _copy_of(client)
    thief_token = csrf_token_from(thief.get("/en/alert/follow-up").get_data(as_text=True))
    post_form("/en/alert/follow-up", {}, action="/en/alert/follow-up/close")
    thief.post("/en/alert/follow-up/message",
               data={"csrf_token": thief_token, "body": "Written with a stolen cookie."})
    forwarded = thief.post(f"/en/alert/{alert.id}/forward", data={"csrf_token": thief_token})
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).messages == []
    assert forwarded.status_code == 403
    assert db.session.get(Alert, alert.id).forwarded_at is None


def test_close_deletes_this_browsers_grants_only(client, send_alert, post_form, db):
    alert = _open_follow_up(client, send_alert, post_form)
    elsewhere = services.grant_follow_up(alert)  # another browser typed the code too
    post_form("/en/alert/follow-up", {}, action="/en/alert/follow-up/close")
    assert _grant_count(db) == 1
    assert services.granted_alert(elsewhere).id == alert.id


def test_withdrawal_revokes_every_browsers_grant(client, send_alert, post_form, db):
    alert = _open_follow_up(client, send_alert, post_form)
    elsewhere = services.grant_follow_up(alert)
    post_form("/en/alert/follow-up", {}, action="/en/alert/follow-up/withdraw")
    assert _grant_count(db) == 0
    assert services.granted_alert(elsewhere) is None


def test_an_old_grant_opens_nothing_and_is_pruned(client, send_alert, post_form, db):
    _open_follow_up(client, send_alert, post_form)
    db.session.execute(FollowUpGrant.__table__.update().values(
        created_at=utcnow() - timedelta(days=services.GRANT_DAYS + 1)))
    db.session.commit()
    assert "Withdraw the alert" not in client.get("/en/alert/follow-up").get_data(as_text=True)
    assert prune_old_grants() == 2  # the hourly task
    assert _grant_count(db) == 0


def test_a_session_from_before_grants_opens_nothing(client, send_alert, post_form, db):
    alert = _open_follow_up(client, send_alert, post_form)
    with client.session_transaction() as session:
        session["alert_follow_up"] = alert.id  # what the old code kept: a bare alert id
    assert "Withdraw the alert" not in client.get("/en/alert/follow-up").get_data(as_text=True)
