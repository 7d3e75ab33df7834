"""Sessions end after a time without requests (shorter for coordinators and admins) and in
any case a fixed time after the login; the cookie is not rewritten on every request."""

from datetime import timedelta

MINUTE = 60
HOUR = 3600


def _logged_in(client) -> bool:
    """True when the profile page opens (not a redirect to the login page)."""
    return client.get("/en/account").status_code == 200


def test_a_member_stays_logged_in_for_eight_idle_hours(make_user, login_form, client, clock):
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    clock.advance(8 * HOUR - MINUTE)
    assert _logged_in(client)


def test_a_member_is_logged_out_after_eight_idle_hours(make_user, login_form, client, clock):
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    clock.advance(8 * HOUR + MINUTE)
    response = client.get("/en/account")
    assert response.status_code == 302
    assert response.location.startswith("/en/login")
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session has ended" in page


def test_a_coordinator_is_logged_out_after_thirty_idle_minutes(
    make_user, login_form, client, clock
):
    make_user(email="coordinator@example.org", role="coordinator")
    login_form("coordinator@example.org")
    clock.advance(29 * MINUTE)
    assert _logged_in(client)
    clock.advance(31 * MINUTE)
    assert not _logged_in(client)


def test_activity_keeps_a_coordinator_logged_in(make_user, login_form, client, clock):
    make_user(email="coordinator@example.org", role="coordinator")
    login_form("coordinator@example.org")
    for _visit in range(6):
        clock.advance(20 * MINUTE)
        assert _logged_in(client)


def test_the_idle_limit_is_configurable_by_role(app, make_user, login_form, client, clock):
    app.config["SESSION_IDLE_SECONDS"] = {"member": 10 * MINUTE, "coordinator": 5 * MINUTE,
                                          "admin": 5 * MINUTE}
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    clock.advance(11 * MINUTE)
    assert not _logged_in(client)


def test_an_active_session_ends_after_its_absolute_lifetime(make_user, login_form, client, clock):
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    for _visit in range(3):
        clock.advance(7 * HOUR)
        assert _logged_in(client)
    clock.advance(4 * HOUR)  # 25 hours after the login, never idle for long
    assert not _logged_in(client)


def test_a_session_from_before_the_clocks_starts_its_lifetime_now(
    make_user, login, client, clock
):
    login(make_user())  # a cookie with a user but without login time
    assert _logged_in(client)
    clock.advance(8 * HOUR + MINUTE)
    assert not _logged_in(client)


def test_last_seen_is_rewritten_at_most_once_a_minute(make_user, login_form, client, clock):
    make_user(email="maria@example.org")
    login_form("maria@example.org")
    client.get("/en/account")
    clock.advance(30)
    assert "Set-Cookie" not in client.get("/en/account").headers
    clock.advance(MINUTE)
    assert "Set-Cookie" in client.get("/en/account").headers


def test_the_signed_cookie_lives_no_longer_than_a_session(app):
    lifetime = timedelta(seconds=app.config["SESSION_ABSOLUTE_SECONDS"])
    assert app.permanent_session_lifetime == lifetime
    assert lifetime < timedelta(days=2)
