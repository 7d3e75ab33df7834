"""Sessions end on logout, password change and suspension, even when the cookie was copied."""

from tests.fixtures.users import PASSWORD


def _copy_session(source, target) -> None:
    """Give `target` the session cookie of `source`, as a thief would."""
    target.set_cookie("session", source.get_cookie("session").value)


def test_copied_session_cookie_stops_working_after_logout(
    app, make_user, login_form, client, post_form
):
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    thief = app.test_client()
    _copy_session(client, thief)
    assert thief.get("/en/account").status_code == 200
    response = post_form("/en/account", {}, action="/en/logout")
    assert response.status_code == 302
    assert client.get("/en/account").status_code == 302
    stolen = thief.get("/en/account")
    assert stolen.status_code == 302 and "/en/login" in stolen.location


def test_logout_needs_post_with_csrf_token(make_user, login_form, client):
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    assert client.get("/en/logout").status_code == 405
    assert client.post("/en/logout").status_code == 400
    assert client.get("/en/account").status_code == 200


def test_password_change_ends_other_sessions_but_keeps_this_one(
    app, make_user, login_form, client, post_form
):
    user = make_user(email="maria@example.org")
    login_form("maria@example.org")
    other_device = app.test_client()
    _copy_session(client, other_device)
    new = "a completely new passphrase"
    response = post_form(
        "/en/account",
        {"current_password": PASSWORD, "password": new, "confirm": new},
        action="/en/account/password",
    )
    assert response.status_code == 302
    assert client.get("/en/account").status_code == 200
    assert other_device.get("/en/account").status_code == 302
    assert user.check_password(new)


def test_password_change_with_wrong_current_password_is_refused(make_user, login_form, post_form):
    user = make_user(email="maria@example.org")
    login_form("maria@example.org")
    new = "a completely new passphrase"
    response = post_form(
        "/en/account",
        {"current_password": "not my password", "password": new, "confirm": new},
        action="/en/account/password",
    )
    assert 'id="current_password-error"' in response.get_data(as_text=True)
    assert user.check_password(PASSWORD)
