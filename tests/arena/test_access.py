"""Every ARENA URL checks rights on the server, for each kind of visitor.

Anonymous visitors go to the login page, members who are not approved to their status page;
approved members of another country get 404 for anything of this country (existence must not
leak), as do members opening someone else's comment editor, conversation or notification.
"""

from __future__ import annotations

import pytest

from app.arena.models import Conversation, DirectMessage, Notification
from app.arena.services import cases, discussion
from app.extensions import db

ROLES = ("anonymous", "pending", "other_country", "member", "coordinator", "admin")
OK, MOVED = 200, 302

# (name, method, url template, form data, expected for other_country/member/coordinator/admin)
ROUTES = [
    ("board", "GET", "/en/arena/", {}, (OK, OK, OK, OK)),
    ("case", "GET", "/en/arena/cases/{case}", {}, (404, OK, OK, OK)),
    ("missing case", "GET", "/en/arena/cases/999999", {}, (404, 404, 404, 404)),
    ("take lead", "POST", "/en/arena/cases/{case}/lead", {}, (404, MOVED, MOVED, MOVED)),
    ("follow", "POST", "/en/arena/cases/{case}/follow", {}, (404, MOVED, MOVED, MOVED)),
    ("assign", "POST", "/en/arena/cases/{case}/assign", {"member": "{peer}"},
     (404, 403, MOVED, MOVED)),
    ("merge", "POST", "/en/arena/cases/{case}/merge", {"target": "{case2}"},
     (404, 403, MOVED, MOVED)),
    ("close", "POST", "/en/arena/cases/{case}/close", {"outcome": "Settled."},
     (404, 403, MOVED, MOVED)),
    ("reopen", "POST", "/en/arena/cases/{closed}/reopen", {}, (404, 403, MOVED, MOVED)),
    ("lesson", "POST", "/en/arena/cases/{closed}/lesson", {}, (404, 403, MOVED, MOVED)),
    ("comment", "POST", "/en/arena/cases/{case}/comments", {"body": "Hi"},
     (404, MOVED, MOVED, MOVED)),
    ("edit comment", "GET", "/en/arena/comments/{comment}/edit", {}, (404, OK, 403, 403)),
    ("save comment", "POST", "/en/arena/comments/{comment}/edit", {"body": "Hi!"},
     (404, MOVED, 403, 403)),
    ("recommend", "GET", "/en/arena/cases/{case}/recommendations/new", {}, (404, OK, OK, OK)),
    ("release", "POST", "/en/arena/recommendations/{rec}/release", {},
     (404, MOVED, MOVED, MOVED)),
    ("message reporter", "POST", "/en/arena/cases/{case}/messages", {"body": "Hello"},
     (404, MOVED, MOVED, MOVED)),
    ("people", "GET", "/en/arena/people", {}, (OK, OK, OK, OK)),
    ("public profile", "GET", "/en/arena/people/{peer}", {}, (OK, OK, OK, OK)),
    ("private profile", "GET", "/en/arena/people/{private}", {}, (404, 404, 404, 404)),
    ("contact", "GET", "/en/arena/people/{peer}/contact", {}, (OK, OK, OK, OK)),
    ("messages", "GET", "/en/arena/messages", {}, (OK, OK, OK, OK)),
    ("conversation", "GET", "/en/arena/messages/{conversation}", {}, (404, OK, 404, 404)),
    ("reply", "POST", "/en/arena/messages/{conversation}", {"body": "Thanks"},
     (404, MOVED, 404, 404)),
    ("notifications", "GET", "/en/arena/notifications", {}, (OK, OK, OK, OK)),
    ("notification", "POST", "/en/arena/notifications/{note}", {}, (404, MOVED, 404, 404)),
    ("mark read", "POST", "/en/arena/notifications/read", {}, (MOVED, MOVED, MOVED, MOVED)),
    ("settings", "GET", "/en/arena/notifications/settings", {}, (OK, OK, OK, OK)),
]


@pytest.fixture
def world(app, make_user, make_case, monkeypatch):
    """A DE case with a member's comment, recommendation, conversation and notification."""
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about rights, not tokens
    # Sessions are set directly, so slow password hashing would only cost time here.
    monkeypatch.setattr("app.accounts.models.generate_password_hash", lambda *a, **k: "-")
    people = {
        "pending": make_user(status="pending", country="DE"),
        "other_country": make_user(country="PL"),
        "member": make_user(country="DE"),
        "coordinator": make_user(role="coordinator", country="DE"),
        "admin": make_user(role="admin", country="EU"),
    }
    peer = make_user(country="DE", public_profile=True)
    private = make_user(country="DE", public_profile=False)
    case, case2, closed = make_case(), make_case(), make_case()
    cases.close(closed, None, "resolved", "Done.")
    comment = discussion.add_comment(case, people["member"], "A thought.")
    rec = discussion.add_recommendation(case, people["member"], action="Act.", reason="Why.",
                                        actors=["school"], urgency="low")
    conversation = Conversation(user_low_id=min(people["member"].id, peer.id),
                                user_high_id=max(people["member"].id, peer.id))
    conversation.messages.append(DirectMessage(sender_id=peer.id, body="Hi", body_html="Hi"))
    note = Notification(user_id=people["member"].id, kind="message", params={"name": "x"},
                        endpoint="arena.conversations", endpoint_args={})
    db.session.add_all([conversation, note])
    db.session.commit()
    ids = {"case": case.id, "case2": case2.id, "closed": closed.id, "comment": comment.id,
           "rec": rec.id, "peer": peer.id, "private": private.id,
           "conversation": conversation.id, "note": note.id}
    return people, ids


def _fill(template: str, ids: dict) -> str:
    return template.format(**ids)


@pytest.mark.parametrize("name,method,url,data,expected", ROUTES, ids=[r[0] for r in ROUTES])
def test_every_route_answers_each_visitor_rightly(
    client, act_as, world, name, method, url, data, expected
):
    people, ids = world
    answers = dict(zip(ROLES, ("login", "status", *expected), strict=True))
    for role in ROLES:
        if role == "anonymous":
            with client.session_transaction() as session:
                session.clear()
            from flask import g

            g.pop("_login_user", None)
        else:
            act_as(people[role])
        payload = {k: _fill(v, ids) for k, v in data.items()}
        response = client.open(_fill(url, ids), method=method, data=payload)
        _check(response, answers[role], f"{name} as {role}")


def _check(response, expected, label: str) -> None:
    if expected == "login":
        assert response.status_code == 302 and "/login" in response.location, label
    elif expected == "status":
        assert response.status_code == 302 and "/account/status" in response.location, label
    else:
        assert response.status_code == expected, label


def test_pending_member_sees_no_notifications_link(client, act_as, make_user):
    act_as(make_user(status="pending", country="DE"))
    html = client.get("/en/").get_data(as_text=True)
    assert "/en/arena/notifications" not in html
