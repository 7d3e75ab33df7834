"""New passwords found in the offline breached-password list, or close to the member's own
name or address, are refused on registration, change and reset."""

import pytest

from app.accounts import passwords
from app.accounts.models import User
from tests.fixtures.accounts import link_in
from tests.fixtures.users import PASSWORD

BREACHED = "qwerty123456"  # in zxcvbn's list of passwords from breaches, long enough to pass
BREACHED_MESSAGE = "appears in lists of breached passwords"
PERSONAL_MESSAGE = "too close to your name or e-mail address"


def _register(post_form, register_data, password: str, **fields):
    """Send the registration form with this password."""
    data = register_data(password=password, confirm=password, **fields)
    return post_form("/en/register", data)


@pytest.mark.parametrize("password", [BREACHED, "QWERTY123456", "Password2024!!", "iloveyou12345"])
def test_registration_refuses_a_breached_password(post_form, register_data, db, password):
    response = _register(post_form, register_data, password)
    assert BREACHED_MESSAGE in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


@pytest.mark.parametrize("password", ["annakowalska1", "Anna.Kowalska!", "anna@example.org",
                                      "kowalska2024!", "Annakowalsky1"])
def test_registration_refuses_a_password_close_to_name_or_address(
    post_form, register_data, db, password
):
    response = _register(post_form, register_data, password)
    assert PERSONAL_MESSAGE in response.get_data(as_text=True)
    assert db.session.query(User).count() == 0


def test_registration_accepts_an_unlisted_passphrase(post_form, register_data, db):
    response = _register(post_form, register_data, "violet kettle under seven bridges")
    assert response.status_code == 302
    assert db.session.query(User).count() == 1


def test_the_check_can_be_switched_off(app, post_form, register_data, db):
    app.config["BREACHED_PASSWORD_CHECK"] = False
    assert _register(post_form, register_data, BREACHED).status_code == 302


def test_password_change_refuses_a_breached_password(make_user, login, post_form):
    user = make_user()
    login(user)
    response = post_form(
        "/en/account",
        {"current_password": PASSWORD, "password": BREACHED, "confirm": BREACHED},
        action="/en/account/password",
    )
    assert BREACHED_MESSAGE in response.get_data(as_text=True)
    assert user.check_password(PASSWORD)


def test_password_change_refuses_the_members_own_name(make_user, login, post_form):
    user = make_user(name="Maria Schneider")
    login(user)
    response = post_form(
        "/en/account",
        {"current_password": PASSWORD, "password": "MariaSchneider!", "confirm": "MariaSchneider!"},
        action="/en/account/password",
    )
    assert PERSONAL_MESSAGE in response.get_data(as_text=True)
    assert user.check_password(PASSWORD)


def test_password_reset_refuses_a_breached_password(make_user, post_form, outbox):
    user = make_user(email="maria@example.org")
    post_form("/en/password/forgot", {"email": "maria@example.org"})
    response = post_form(link_in(outbox[0]), {"password": BREACHED, "confirm": BREACHED})
    assert BREACHED_MESSAGE in response.get_data(as_text=True)
    assert user.check_password(PASSWORD)


def test_the_list_is_loaded_once_and_holds_thirty_thousand_passwords():
    passwords.breached_passwords.cache_clear()
    first = passwords.breached_passwords()
    assert len(first) == 30_000
    assert passwords.breached_passwords() is first


def test_short_name_parts_do_not_refuse_good_passwords():
    assert passwords.password_problem("li and the seven bridges", "li@example.org", "Li Wu") is None


def test_create_admin_refuses_a_breached_password(runner, db):
    result = runner.invoke(args=["accounts", "create-admin", "--email", "boss@example.org",
                                 "--name", "Boss", "--password", BREACHED])
    assert result.exit_code != 0
    assert BREACHED_MESSAGE in result.output
    assert db.session.query(User).count() == 0
