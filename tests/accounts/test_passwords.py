"""Password reset by mailed link: same answer for unknown addresses, one use, expiry."""

from tests.fixtures.accounts import link_in
from tests.fixtures.users import PASSWORD

NEW = "my brand new passphrase"


def test_password_reset_end_to_end(make_user, post_form, outbox, login_form, client):
    make_user(email="maria@example.org", language="de")
    response = post_form("/en/password/forgot", {"email": "maria@example.org"})
    assert "Check your e-mail" in response.get_data(as_text=True)
    link = link_in(outbox[0])
    assert link.startswith("/de/password/reset/")
    response = post_form(link, {"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and "/de/login" in response.location
    assert login_form("maria@example.org", PASSWORD).status_code == 200
    assert login_form("maria@example.org", NEW).status_code == 302


def test_unknown_address_gets_the_same_page_and_no_mail(make_user, post_form, outbox):
    make_user(email="maria@example.org")
    known = post_form("/en/password/forgot", {"email": "maria@example.org"}).get_data(as_text=True)
    unknown = post_form("/en/password/forgot", {"email": "nobody@example.org"}).get_data(
        as_text=True
    )
    assert known == unknown
    assert [mail.to for mail in outbox] == ["maria@example.org"]


def test_reset_link_works_only_once(make_user, post_form, outbox, client):
    make_user(email="maria@example.org")
    post_form("/en/password/forgot", {"email": "maria@example.org"})
    link = link_in(outbox[0])
    post_form(link, {"password": NEW, "confirm": NEW})
    assert client.get(link).status_code == 400


def test_expired_reset_link_is_refused(app, make_user, post_form, outbox, client):
    make_user(email="maria@example.org")
    post_form("/en/password/forgot", {"email": "maria@example.org"})
    app.config["TOKEN_MAX_AGE"] = -1
    assert client.get(link_in(outbox[0])).status_code == 400


def test_reset_ends_existing_sessions(app, make_user, post_form, outbox, login_form, client):
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    old_session = app.test_client()
    old_session.set_cookie("session", client.get_cookie("session").value)
    post_form("/en/password/forgot", {"email": "maria@example.org"})
    post_form(link_in(outbox[0]), {"password": NEW, "confirm": NEW})
    assert old_session.get("/en/account").status_code == 302
