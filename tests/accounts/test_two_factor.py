"""Two-factor authentication: enrolment, the second login step, recovery codes, replay and
guessing limits, the requirement for coordinators and admins, and an admin's reset."""

import base64
import re
import zlib

import pyotp
from sqlalchemy import select

from app.accounts import services, two_factor
from app.accounts.models import RecoveryCode
from tests.fixtures.app import csrf_token_from
from tests.fixtures.two_factor import current_code
from tests.fixtures.users import PASSWORD

SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
CODES_RE = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")


def _shown_secret(html: str) -> str:
    """The key printed for manual entry on the enrolment page."""
    found = SECRET_RE.search(html)
    assert found, "enrolment page shows no key"
    return found.group(1).replace(" ", "")


def _verify(post_form, code: str, next_: str = ""):
    """Send a code on the second login step."""
    url = "/en/login/verify" + (f"?next={next_}" if next_ else "")
    return post_form(url, {"code": code})


def _require_two_factor(app):
    """Turn the requirement for coordinators and admins on (tests switch it off by default)."""
    app.config["TWO_FACTOR_REQUIRED_ROLES"] = ["coordinator", "admin"]


# Enrolment ---------------------------------------------------------------------------------
def test_enrolment_shows_a_local_qr_code_and_the_key(make_user, login, client, clock):
    login(make_user())
    html = client.get("/en/account/two-factor/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html
    assert "http" not in html.split('class="qr-code" src="')[1].split('"')[0][:40]
    assert len(_shown_secret(html)) == 32
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html


def test_enrolment_with_a_right_code_shows_ten_recovery_codes_once(
    make_user, login, client, post_form, clock, db
):
    user = make_user()
    login(user)
    secret = _shown_secret(client.get("/en/account/two-factor/setup").get_data(as_text=True))
    response = post_form("/en/account/two-factor/setup",
                         {"code": pyotp.TOTP(secret).at(clock.moment)})
    codes = CODES_RE.findall(response.get_data(as_text=True))
    assert len(set(codes)) == 10
    assert response.headers["Cache-Control"] == "no-store"
    assert user.two_factor_enabled
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10
    assert not set(codes) & set(stored)


def test_enrolment_refuses_a_wrong_code(make_user, login, client, post_form, clock):
    user = make_user()
    login(user)
    secret = _shown_secret(client.get("/en/account/two-factor/setup").get_data(as_text=True))
    wrong = pyotp.TOTP(secret).at(clock.moment - 300)
    response = post_form("/en/account/two-factor/setup", {"code": wrong})
    assert 'id="code-error"' in response.get_data(as_text=True)
    assert not user.two_factor_enabled


def test_the_key_stays_the_same_until_enrolment_is_confirmed(make_user, login, client, clock):
    login(make_user())
    first = _shown_secret(client.get("/en/account/two-factor/setup").get_data(as_text=True))
    second = _shown_secret(client.get("/en/account/two-factor/setup").get_data(as_text=True))
    assert first == second


# The second login step -----------------------------------------------------------------------
def test_password_alone_does_not_log_in_an_enrolled_member(enrolled, login_form, client):
    user, _codes = enrolled(email="maria@example.org")
    response = login_form("maria@example.org")
    assert response.status_code == 302
    assert response.location.startswith("/en/login/verify")
    assert client.get("/en/account").status_code == 302


def test_right_code_logs_in_and_keeps_a_local_next(enrolled, login_form, post_form, client, clock):
    user, _codes = enrolled(email="maria@example.org")
    login_form("maria@example.org", next="/en/account")
    response = _verify(post_form, current_code(user, clock), "/en/account")
    assert response.status_code == 302
    assert response.location == "/en/account"
    assert client.get("/en/account").status_code == 200


def test_a_foreign_next_is_ignored_after_the_code(enrolled, login_form, post_form, clock):
    user, _codes = enrolled(email="maria@example.org")
    login_form("maria@example.org")
    response = _verify(post_form, current_code(user, clock), "//evil.example/")
    assert "evil.example" not in response.location


def test_wrong_code_is_refused(enrolled, login_form, post_form, client, clock):
    user, _codes = enrolled(email="maria@example.org")
    login_form("maria@example.org")
    response = _verify(post_form, current_code(user, clock, offset=300))
    assert "This code is not right" in response.get_data(as_text=True)
    assert client.get("/en/account").status_code == 302


def test_a_used_code_cannot_be_replayed(app, enrolled, login_form, post_form, clock):
    user, _codes = enrolled(email="maria@example.org")
    code = current_code(user, clock)
    login_form("maria@example.org")
    assert _verify(post_form, code).status_code == 302
    other = app.test_client()
    page = other.get("/en/login")
    other.post("/en/login", data={"csrf_token": csrf_token_from(page.get_data(as_text=True)),
                                  "email": "maria@example.org", "password": PASSWORD})
    verify = other.get("/en/login/verify")
    replay = other.post("/en/login/verify", data={
        "csrf_token": csrf_token_from(verify.get_data(as_text=True)), "code": code})
    assert "This code is not right" in replay.get_data(as_text=True)
    assert other.get("/en/account").status_code == 302


def test_wrong_codes_count_against_the_login_throttle(enrolled, login_form, post_form, clock):
    user, _codes = enrolled(email="maria@example.org")
    login_form("maria@example.org")
    for _attempt in range(5):
        _verify(post_form, current_code(user, clock, offset=600))
    assert services.login_throttled("maria@example.org", "127.0.0.1")
    assert _verify(post_form, current_code(user, clock)).status_code == 429


def test_a_right_password_does_not_reset_the_code_limit(enrolled, login_form, post_form, clock):
    user, _codes = enrolled(email="maria@example.org")
    for _round in range(3):  # each right password forgets the login failures, not the codes
        login_form("maria@example.org")
        for _attempt in range(2):
            _verify(post_form, current_code(user, clock, offset=600))
    login_form("maria@example.org")
    assert _verify(post_form, current_code(user, clock)).status_code == 429


def test_the_pending_login_expires_after_five_minutes(enrolled, login_form, client, clock):
    enrolled(email="maria@example.org")
    login_form("maria@example.org")
    assert client.get("/en/login/verify").status_code == 200
    clock.advance(5 * 60 + 1)
    response = client.get("/en/login/verify")
    assert response.status_code == 302
    assert response.location.startswith("/en/login")
    assert not response.location.startswith("/en/login/verify")


# Recovery codes ------------------------------------------------------------------------------
def test_a_recovery_code_works_once(app, enrolled, login_form, post_form, client, clock):
    user, codes = enrolled(email="maria@example.org")
    login_form("maria@example.org")
    response = post_form("/en/login/verify", {"recovery_code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/en/account").status_code == 200
    post_form("/en/account", {}, action="/en/logout")
    login_form("maria@example.org")
    again = post_form("/en/login/verify", {"recovery_code": codes[0]})
    assert "This code is not right" in again.get_data(as_text=True)


def test_new_recovery_codes_replace_the_old_ones(enrolled, login, client, post_form, clock):
    user, old = enrolled()
    login(user)
    response = post_form("/en/account/two-factor", {"current_password": PASSWORD},
                         action="/en/account/two-factor/recovery-codes")
    new = CODES_RE.findall(response.get_data(as_text=True))
    assert len(new) == 10
    assert not two_factor.use_recovery_code(user, old[0])
    assert two_factor.use_recovery_code(user, new[0])


def test_new_recovery_codes_need_the_password(enrolled, login, post_form, clock):
    user, old = enrolled()
    login(user)
    response = post_form("/en/account/two-factor", {"current_password": "not my password"},
                         action="/en/account/two-factor/recovery-codes")
    assert response.status_code == 400
    assert not CODES_RE.findall(response.get_data(as_text=True))


# Opting out ----------------------------------------------------------------------------------
def test_a_member_turns_it_off_with_password_and_code(enrolled, login, post_form, clock):
    user, _codes = enrolled()
    login(user)
    response = post_form(
        "/en/account/two-factor",
        {"disable-current_password": PASSWORD, "disable-code": current_code(user, clock)},
        action="/en/account/two-factor/disable",
    )
    assert response.status_code == 302
    assert not user.two_factor_enabled


def test_turning_it_off_needs_a_right_code(enrolled, login, post_form, clock):
    user, _codes = enrolled()
    login(user)
    response = post_form(
        "/en/account/two-factor",
        {"disable-current_password": PASSWORD,
         "disable-code": current_code(user, clock, offset=600)},
        action="/en/account/two-factor/disable",
    )
    assert response.status_code == 400
    assert user.two_factor_enabled


def test_a_required_role_cannot_turn_it_off(app, enrolled, login, post_form, clock):
    _require_two_factor(app)
    user, _codes = enrolled(role="coordinator")
    login(user)
    post_form(
        "/en/account/two-factor",
        {"disable-current_password": PASSWORD, "disable-code": current_code(user, clock)},
        action="/en/account/two-factor/disable",
    )
    assert user.two_factor_enabled


# Required for coordinators and admins ------------------------------------------------------
def test_a_coordinator_without_two_factor_sees_only_the_enrolment_page(
    app, make_user, login, client
):
    _require_two_factor(app)
    login(make_user(role="coordinator"))
    response = client.get("/en/admin/members")
    assert response.status_code == 302
    assert response.location.endswith("/en/account/two-factor/setup")
    assert client.get("/en/account/two-factor/setup").status_code == 200


def test_the_requirement_is_off_in_the_test_configuration(make_user, login, client):
    login(make_user(role="coordinator"))
    assert client.get("/en/admin/members").status_code == 200


def test_a_member_is_not_forced_to_enrol(app, make_user, login, client):
    _require_two_factor(app)
    login(make_user())
    assert client.get("/en/account").status_code == 200


def test_an_enrolled_coordinator_may_work(app, enrolled, login, client):
    _require_two_factor(app)
    user, _codes = enrolled(role="coordinator")
    login(user)
    assert client.get("/en/admin/members").status_code == 200


def test_demo_accounts_are_exempt_in_development_only(app, make_user, login, client):
    _require_two_factor(app)
    demo = make_user(role="coordinator", email=f"coordinator-de@{services.DEMO_DOMAIN}")
    login(demo)
    assert client.get("/en/admin/members").status_code == 200
    app.config["ENV_MODE"] = "production"
    assert two_factor.is_required(demo)


# Admin reset ---------------------------------------------------------------------------------
def test_an_admin_resets_a_members_two_factor(
    enrolled, make_user, login, client, post_form, db, clock
):
    member, _codes = enrolled(country="PL")
    login(make_user(role="admin"))
    url = f"/en/admin/members/{member.id}"
    assert "Reset two-factor authentication" in client.get(url).get_data(as_text=True)
    response = post_form(url, {}, action=f"{url}/two-factor/reset")
    assert response.status_code == 302
    assert not member.two_factor_enabled
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_a_coordinator_cannot_reset_two_factor(enrolled, make_user, login, post_form, clock):
    member, _codes = enrolled()
    login(make_user(role="coordinator"))
    url = f"/en/admin/members/{member.id}"
    response = post_form(url, {}, action=f"{url}/two-factor/reset")
    assert response.status_code == 403
    assert member.two_factor_enabled


def test_a_suspended_coordinator_sees_the_status_page_not_a_redirect_loop(
    app, make_user, login, client
):
    _require_two_factor(app)
    login(make_user(role="coordinator", status="suspended"))
    assert client.get("/en/account/status").status_code == 200


def test_the_session_cookie_never_carries_the_key(make_user, login, client, clock):
    login(make_user())
    secret = _shown_secret(client.get("/en/account/two-factor/setup").get_data(as_text=True))
    cookie = client.get_cookie("session").value
    payload = cookie.lstrip(".").split(".")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.startswith("."):
        decoded = zlib.decompress(decoded)
    assert b"_two_factor_setup" in decoded  # the cookie was read
    assert secret.encode() not in decoded


def test_deleting_an_enrolled_account_deletes_its_recovery_codes(
    enrolled, login, post_form, db, clock
):
    user, _codes = enrolled()
    login(user)
    response = post_form("/en/account/delete", {"current_password": PASSWORD})
    assert response.status_code == 302
    assert db.session.scalars(select(RecoveryCode)).all() == []
