"""Vetting: coordinators decide on their own country's members, with reasons by mail."""

from flask import current_app

from app.accounts.models import User
from app.core.signals import member_status_changed
from tests.fixtures.accounts import link_in
from tests.fixtures.users import log_in


def test_register_confirm_approve_login(
    app, client, post_form, register_data, make_user, outbox, login_form, db
):
    post_form("/en/register", register_data())
    post_form(link_in(outbox[0]), {})
    member = db.session.scalar(db.select(User).where(User.email == "anna@example.org"))
    assert member.status == "pending"
    coordinator = make_user(role="coordinator", country="PL", email="coord@example.org")
    login_form(coordinator.email)
    assert "Anna Kowalska" in client.get("/en/admin/members").get_data(as_text=True)
    response = post_form(
        f"/en/admin/members/{member.id}",
        {"action": "approve", "reason": ""},
        action=f"/en/admin/members/{member.id}/status",
    )
    assert response.status_code == 302
    assert member.status == "approved"
    assert outbox[-1].to == "anna@example.org"
    post_form("/en/admin/members", {}, action="/en/logout")
    assert login_form("anna@example.org").location == "/en/arena/"
    assert client.get("/en/account").status_code == 200


def _decide(post_form, member, action, reason=""):
    url = f"/en/admin/members/{member.id}"
    return post_form(url, {"action": action, "reason": reason}, action=url + "/status")


def test_coordinator_cannot_see_or_approve_another_countrys_member(
    make_user, login, post_form, client
):
    member = make_user(status="pending", country="HU", name="Hungarian Member")
    login(make_user(role="coordinator", country="PL"))
    assert "Hungarian Member" not in client.get("/en/admin/members").get_data(as_text=True)
    assert client.get(f"/en/admin/members/{member.id}").status_code == 404
    token_page = "/en/admin/members"
    response = post_form(
        token_page,
        {"action": "approve", "reason": ""},
        action=f"/en/admin/members/{member.id}/status",
    )
    assert response.status_code == 404
    assert member.status == "pending"


def test_members_and_pending_cannot_open_admin(make_user, login, client):
    login(make_user())
    assert client.get("/en/admin/members").status_code == 403
    login(make_user(role="coordinator", status="pending"))
    assert client.get("/en/admin/members").location == "/en/account/status"


def test_rejecting_needs_a_reason_which_is_mailed(make_user, login, post_form, outbox):
    member = make_user(status="pending", country="RO", language="ro")
    received = []

    def receiver(sender, **extra):
        received.append((sender, extra["status"]))

    login(make_user(role="coordinator", country="RO"))
    response = _decide(post_form, member, "reject")
    assert response.status_code == 400 and 'id="reason-error"' in response.get_data(as_text=True)
    assert member.status == "pending" and not outbox
    with member_status_changed.connected_to(receiver):
        _decide(post_form, member, "reject", "We could not verify your organisation.")
    assert member.status == "rejected"
    assert "We could not verify your organisation." in outbox[-1].body
    assert received == [(member, "rejected")]


def test_suspension_ends_sessions_and_reinstating_restores_access(
    app, make_user, login, post_form, outbox
):
    member = make_user(country="DE", email="member@example.org")
    member_client = app.test_client()
    log_in(member_client, member)
    assert member_client.get("/en/account").status_code == 200
    login(make_user(role="coordinator", country="DE"))
    _decide(post_form, member, "suspend", "Repeated hostile posts.")
    assert member.status == "suspended" and "Repeated hostile posts." in outbox[-1].body
    assert member_client.get("/en/account").location.startswith("/en/login")
    _decide(post_form, member, "reinstate")
    assert member.status == "approved"


def test_coordinator_cannot_act_on_other_coordinators(make_user, login, client):
    other = make_user(role="coordinator", country="DE")
    login(make_user(role="coordinator", country="DE"))
    assert client.get(f"/en/admin/members/{other.id}").status_code == 404


def test_pending_members_come_first_and_status_filter_works(make_user, login, client):
    make_user(country="DE", name="Approved Person")
    make_user(country="DE", status="pending", name="Pending Person")
    login(make_user(role="coordinator", country="DE"))
    html = client.get("/en/admin/members").get_data(as_text=True)
    assert html.index("Pending Person") < html.index("Approved Person")
    filtered = client.get("/en/admin/members?status=pending").get_data(as_text=True)
    assert "Pending Person" in filtered and "Approved Person" not in filtered


def test_member_list_is_paginated(app, make_user, login, client):
    app.config["PAGE_SIZE"] = 2
    for number in range(5):
        make_user(country="DE", status="pending", name=f"Person {number}")
    login(make_user(role="coordinator", country="DE"))
    first = client.get("/en/admin/members").get_data(as_text=True)
    third = client.get("/en/admin/members?page=3").get_data(as_text=True)
    assert first.count("/en/admin/members/") == 2 and third.count("/en/admin/members/") == 1
    assert 'rel="next"' in first


def test_admin_sees_every_country_and_appoints_a_coordinator(make_user, login, post_form, client):
    member = make_user(country="HU", name="Future Coordinator")
    make_user(country="RO", name="Romanian Member")
    login(make_user(role="admin", country="EU"))
    html = client.get("/en/admin/members").get_data(as_text=True)
    assert "Future Coordinator" in html and "Romanian Member" in html
    url = f"/en/admin/members/{member.id}"
    assert post_form(url, {"role": "coordinator"}, action=url + "/role").status_code == 302
    assert member.is_coordinator and member.coordinates("HU") and not member.coordinates("DE")
    assert post_form(url, {"role": "member"}, action=url + "/role").status_code == 302
    assert not member.is_coordinator


def test_coordinator_cannot_appoint_coordinators(make_user, login, post_form):
    member = make_user(country="DE")
    login(make_user(role="coordinator", country="DE"))
    url = f"/en/admin/members/{member.id}"
    assert post_form(url, {"role": "coordinator"}, action=url + "/role").status_code == 403
    assert member.role == "member"


def test_decision_without_csrf_token_is_refused(make_user, login, client):
    member = make_user(status="pending")
    login(make_user(role="coordinator"))
    response = client.post(f"/en/admin/members/{member.id}/status", data={"action": "approve"})
    assert response.status_code == 400 and member.status == "pending"


def test_decision_is_saved_and_its_mail_waits_while_the_server_is_down(
    make_user, login, post_form, mail_server_down, outbox, run_jobs_now
):
    member = make_user(status="pending")
    login(make_user(role="coordinator"))
    _decide(post_form, member, "approve")
    assert member.status == "approved" and outbox == []
    current_app.config["MAIL_BACKEND"] = "memory"
    run_jobs_now()
    assert [m.to for m in outbox] == [member.email]


def test_member_list_heading_and_count_read_naturally(make_user, login, client):
    make_user(country="DE", status="pending", name="Only Person")
    login(make_user(role="coordinator", country="DE"))
    html = client.get("/en/admin/members?status=pending").get_data(as_text=True)
    assert "<h1>Members of your country</h1>" in html and "1 member<" in html
    login(make_user(role="admin", country="EU"))
    assert "<h1>All members</h1>" in client.get("/en/admin/members").get_data(as_text=True)
