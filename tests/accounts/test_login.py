"""Login: one error for every failure, rate limits, local `next` only, status page for pending."""

import pytest

from tests.fixtures.app import csrf_token_from
from tests.fixtures.users import PASSWORD

GENERIC_ERROR = "The e-mail address or the password is not right."


def test_approved_member_logs_in_and_lands_on_next(make_user, login_form, client):
    user = make_user(email="maria@example.org")
    response = login_form("Maria@Example.org ", next="/en/account")
    assert response.status_code == 302 and response.location == "/en/account"
    assert client.get("/en/account").status_code == 200
    assert user.email in client.get("/en/account").get_data(as_text=True)


def test_approved_member_without_next_lands_on_the_arena_board(make_user, login_form):
    make_user(email="maria@example.org")
    assert login_form("maria@example.org").location == "/en/arena/"


def test_pending_member_without_next_lands_on_the_status_page(make_user, login_form):
    make_user(email="piotr@example.org", status="pending", country="PL")
    assert login_form("piotr@example.org").location == "/en/account/status"


def test_wrong_password_and_unknown_address_give_the_same_error(make_user, login_form):
    make_user(email="maria@example.org")
    wrong = login_form("maria@example.org", "wrong password 123").get_data(as_text=True)
    unknown = login_form("nobody@example.org", "wrong password 123").get_data(as_text=True)
    assert GENERIC_ERROR in wrong and GENERIC_ERROR in unknown
    assert 'value="maria@example.org"' in wrong


@pytest.mark.parametrize(
    "target", ["//evil.example", "/\\evil.example", "https://evil.example", "http:/evil.example"]
)
def test_next_pointing_elsewhere_is_refused(make_user, login_form, target):
    make_user(email="maria@example.org")
    response = login_form("maria@example.org", next=target)
    assert response.status_code == 302
    assert response.location == "/en/arena/"


def test_pending_member_logs_in_but_sees_only_status(make_user, login_form, client):
    make_user(email="piotr@example.org", status="pending", country="PL")
    response = login_form("piotr@example.org", next="/en/account")
    assert response.location == "/en/account/status"
    page = client.get("/en/account/status").get_data(as_text=True)
    assert "Waiting for approval" in page


def test_rejected_member_cannot_log_in(make_user, login_form, client):
    make_user(email="rejected@example.org", status="rejected")
    response = login_form("rejected@example.org")
    assert response.status_code == 200
    assert client.get("/en/account/status").status_code == 302


def test_five_failures_lock_the_account_but_not_others(make_user, login_form):
    make_user(email="maria@example.org")
    make_user(email="other@example.org")
    for _ in range(5):
        login_form("maria@example.org", "wrong password 123")
    locked = login_form("maria@example.org")
    assert locked.status_code == 429
    assert "Too many attempts. Please try again in" in locked.get_data(as_text=True)
    assert login_form("other@example.org").status_code == 302


def test_twenty_failures_from_one_address_lock_the_address(make_user, login_form, app):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = [20, 3600]
    make_user(email="maria@example.org")
    for number in range(20):
        login_form(f"guess{number}@example.org", "wrong password 123")
    assert login_form("maria@example.org").status_code == 429
    other_address = app.test_client()
    page = other_address.get("/en/login", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    response = other_address.post(
        "/en/login",
        data={
            "csrf_token": csrf_token_from(page.get_data(as_text=True)),
            "email": "maria@example.org",
            "password": PASSWORD,
        },
        environ_base={"REMOTE_ADDR": "10.9.8.7"},
    )
    assert response.status_code == 302


def test_successful_login_clears_the_account_failures(make_user, login_form):
    make_user(email="maria@example.org")
    for _ in range(4):
        login_form("maria@example.org", "wrong password 123")
    assert login_form("maria@example.org").status_code == 302


def test_login_without_csrf_token_is_refused(make_user, client):
    make_user(email="maria@example.org")
    response = client.post("/en/login", data={"email": "maria@example.org", "password": PASSWORD})
    assert response.status_code == 400
