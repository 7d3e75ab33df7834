"""Members download their own data as JSON, and deleting an account removes the person while
what they wrote stays readable under "Former member"."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.accounts.models import User
from app.alerts.models import AlertMessage
from app.arena.models import Comment
from app.arena.services import discussion, people
from app.core.access_log import AccessLogEntry
from tests.fixtures.app import csrf_token_from
from tests.fixtures.users import PASSWORD

CONTACT = "reporter.export@example.org"
REPORTER_SAYS = "Reporter's own words about the lockers"


def _member_with_traces(make_case, make_user, db):
    """A DE member who commented, recommended, wrote to a reporter and to another member, on
    a case whose reporter gave a contact and wrote a message."""
    case = make_case(country="DE", contact_email=CONTACT)
    db.session.add(AlertMessage(alert=case.alert, body=REPORTER_SAYS, from_reporter=True))
    member = make_user(country="DE", name="Export Erika", bio="Teacher and mediator.")
    other = make_user(country="DE", name="Other Otto", email="otto@example.org")
    discussion.add_comment(case, member, "My comment on the case.")
    discussion.add_recommendation(case, member, action="Talk to the class.", reason="Trust.")
    discussion.message_reporter(case, member, "My message to the reporter.")
    chat = people.conversation_between(member, other, create=True)
    people.send_message(chat, member, "My direct message.")
    db.session.commit()
    return case, member


def _download(client):
    """Press "Download my data" on the profile page."""
    page = client.get("/en/account").get_data(as_text=True)
    return client.post("/en/account/data", data={"csrf_token": csrf_token_from(page)})


def test_the_download_holds_the_members_profile_and_writing(app, make_case, make_user, login,
                                                            db):
    case, member = _member_with_traces(make_case, make_user, db)
    data = json.loads(_download(login(member)).get_data(as_text=True))
    assert data["profile"]["email"] == member.email
    assert data["profile"]["bio"] == "Teacher and mediator."
    assert [c["body"] for c in data["comments"]] == ["My comment on the case."]
    assert [r["action"] for r in data["recommendations"]] == ["Talk to the class."]
    assert [m["body"] for m in data["messages_to_reporters"]] == ["My message to the reporter."]
    assert [m["body"] for m in data["direct_messages_sent"]] == ["My direct message."]
    assert "mention" in data["notification_settings"]


def test_the_download_holds_nobody_elses_personal_data(app, make_case, make_user, login, db):
    case, member = _member_with_traces(make_case, make_user, db)
    text = _download(login(member)).get_data(as_text=True)
    assert CONTACT not in text
    assert REPORTER_SAYS not in text
    assert case.alert.description not in text
    assert "otto@example.org" not in text
    assert "Other Otto" not in text
    assert member.password_hash not in text


def test_the_download_is_an_attachment_never_stored_by_caches(app, make_user, login):
    response = _download(login(make_user()))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"


def test_the_download_is_recorded_in_the_access_log(app, make_user, login, db):
    member = make_user()
    _download(login(member))
    entry = db.session.scalar(select(AccessLogEntry).where(AccessLogEntry.action == "export"))
    assert entry.actor_id == member.id


def test_the_download_needs_a_post_with_a_token(app, make_user, login):
    client = login(make_user())
    assert client.get("/en/account/data").status_code == 405
    assert client.post("/en/account/data").status_code == 400


def test_visitors_cannot_download(client):
    response = client.post("/en/account/data")
    assert response.status_code in (302, 400)
    assert "application/json" not in response.headers.get("Content-Type", "")


def _delete_account(client):
    """Confirm the deletion with the password."""
    page = client.get("/en/account/delete").get_data(as_text=True)
    return client.post("/en/account/delete", data={"csrf_token": csrf_token_from(page),
                                                    "current_password": PASSWORD})


def test_a_deleted_account_leaves_no_personal_data(app, make_case, make_user, login, db):
    case, member = _member_with_traces(make_case, make_user, db)
    member_id, email = member.id, member.email
    _delete_account(login(member))
    db.session.expire_all()
    assert db.session.get(User, member_id) is None
    assert db.session.scalar(select(User).where(User.email == email)) is None


def test_what_a_deleted_member_wrote_stays_readable_without_their_name(
        app, make_case, make_user, login, act_as, db):
    case, member = _member_with_traces(make_case, make_user, db)
    _delete_account(login(member))
    db.session.expire_all()
    comment = db.session.scalar(select(Comment).where(Comment.case_id == case.id))
    html = act_as(make_user(country="DE")).get(f"/en/arena/cases/{case.id}").get_data(
        as_text=True)
    assert comment.author_id is None
    assert "My comment on the case." in html
    assert "Former member" in html
    assert "Export Erika" not in html


def test_a_deleted_members_access_log_lines_lose_their_name(app, make_case, make_user, login,
                                                            act_as, db):
    case, member = _member_with_traces(make_case, make_user, db)
    client = login(member)
    client.get(f"/en/arena/cases/{case.id}")
    _delete_account(client)
    html = act_as(make_user(role="admin")).get("/en/admin/access-log").get_data(as_text=True)
    assert "Export Erika" not in html
    assert "Deleted member" in html
