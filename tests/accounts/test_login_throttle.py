"""Login throttling (issue 11): failures slow down one account from one address with a wait
that doubles, so an attacker is slowed down and the owner elsewhere is never locked out."""

from __future__ import annotations

import pytest

from app.accounts import services
from tests.fixtures.app import csrf_token_from
from tests.fixtures.users import PASSWORD

EMAIL = "maria@example.org"
ATTACKER = "198.51.100.66"
OWNER = "203.0.113.5"
WRONG = "wrong password 123"


@pytest.fixture
def maria(make_user):
    """An approved member whose account is under attack."""
    return make_user(email=EMAIL)


def login_from(app, address: str, password: str, email: str = EMAIL):
    """Log in through the form from `address`, in a browser of its own."""
    browser = app.test_client()
    page = browser.get("/en/login", environ_base={"REMOTE_ADDR": address})
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "email": email,
            "password": password}
    return browser.post("/en/login", data=data, environ_base={"REMOTE_ADDR": address})


def fail(times: int, address: str = ATTACKER) -> None:
    """`times` wrong passwords for the account from `address`."""
    for _ in range(times):
        assert services.authenticate(EMAIL, WRONG, address) is None


def test_an_attacker_elsewhere_does_not_lock_the_owner_out(app, maria, limiter_clock):
    for _ in range(20):
        login_from(app, ATTACKER, WRONG)
    assert login_from(app, ATTACKER, PASSWORD).status_code == 429
    assert login_from(app, OWNER, PASSWORD).status_code == 302


def test_the_free_failures_need_no_wait(app, maria, limiter_clock):
    fail(app.config["LOGIN_FREE_FAILURES"] - 1)
    assert services.login_wait_seconds(EMAIL, ATTACKER) == 0
    assert services.authenticate(EMAIL, PASSWORD, ATTACKER) == maria


def waits_after_the_free_failures(app, clock, count: int) -> list[int]:
    """Use up the free failures, then fail `count` times more, each as soon as allowed: the
    waits before each of them."""
    fail(app.config["LOGIN_FREE_FAILURES"])
    waits = []
    for _ in range(count):
        waits.append(services.login_wait_seconds(EMAIL, ATTACKER))
        clock.advance(waits[-1])
        fail(1)
    return waits


def test_each_further_failure_doubles_the_wait(app, maria, limiter_clock):
    assert waits_after_the_free_failures(app, limiter_clock, 5) == [2, 4, 8, 16, 32]


def test_the_wait_stops_growing_at_the_maximum(app, maria, limiter_clock):
    app.config["LOGIN_DELAY_MAX"] = 10
    assert waits_after_the_free_failures(app, limiter_clock, 5) == [2, 4, 8, 10, 10]


def test_during_the_wait_even_the_right_password_is_not_tried(app, maria, limiter_clock):
    fail(app.config["LOGIN_FREE_FAILURES"])
    limiter_clock.advance(1)
    assert services.login_throttled(EMAIL, ATTACKER)
    assert services.authenticate(EMAIL, PASSWORD, ATTACKER) is None
    limiter_clock.advance(1)
    assert not services.login_throttled(EMAIL, ATTACKER)
    assert services.authenticate(EMAIL, PASSWORD, ATTACKER) == maria


def test_attempts_refused_during_the_wait_do_not_make_it_longer(app, maria, limiter_clock):
    fail(app.config["LOGIN_FREE_FAILURES"])
    fail(10)  # all refused before the password is checked
    assert services.login_wait_seconds(EMAIL, ATTACKER) == 2


def test_the_login_page_tells_to_wait(app, maria, limiter_clock):
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        login_from(app, ATTACKER, WRONG)
    page = login_from(app, ATTACKER, PASSWORD)
    assert page.status_code == 429
    assert "Please try again in less than a minute." in page.get_data(as_text=True)
    for _ in range(5):  # the wait doubles: 2, 4, 8, 16, 32, then 64 seconds
        limiter_clock.advance(services.login_wait_seconds(EMAIL, ATTACKER))
        login_from(app, ATTACKER, WRONG)
    page = login_from(app, ATTACKER, PASSWORD)
    assert "Please try again in 2 minutes." in page.get_data(as_text=True)


def test_a_successful_login_forgets_the_failures(app, maria, limiter_clock):
    fail(app.config["LOGIN_FREE_FAILURES"])
    limiter_clock.advance(2)
    assert services.authenticate(EMAIL, PASSWORD, ATTACKER) == maria
    fail(app.config["LOGIN_FREE_FAILURES"] - 1)
    assert services.login_wait_seconds(EMAIL, ATTACKER) == 0


def test_failures_are_forgotten_after_a_quiet_time(app, maria, limiter_clock):
    fail(app.config["LOGIN_FREE_FAILURES"] - 1)
    limiter_clock.advance(app.config["LOGIN_DELAY_MAX"])
    fail(1)  # would be the last free failure if the earlier ones still counted
    assert services.login_wait_seconds(EMAIL, ATTACKER) == 0


def test_an_address_trying_many_accounts_is_limited(app, maria, limiter_clock):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = [3, 3600]
    for number in range(3):
        assert services.authenticate(f"guess{number}@example.org", WRONG, ATTACKER) is None
    assert services.login_throttled(EMAIL, ATTACKER)
    assert services.authenticate(EMAIL, PASSWORD, ATTACKER) is None
    assert services.authenticate(EMAIL, PASSWORD, OWNER) == maria


def test_the_time_to_wait_covers_the_account_and_the_address(app, maria, limiter_clock):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = [6, 3600]
    fail(app.config["LOGIN_FREE_FAILURES"])
    assert services.login_retry_after(EMAIL, ATTACKER) == 2
    limiter_clock.advance(2)
    fail(1)  # the address's sixth attempt: its limit now outlasts the account's wait
    assert services.login_retry_after(EMAIL, ATTACKER) == (3600 - 2) + 3600 // 6


def test_successful_logins_do_not_use_up_the_address_limit(app, maria, limiter_clock):
    app.config["LOGIN_ADDRESS_RATE_LIMIT"] = [3, 3600]
    for _ in range(5):  # an office behind one address, everyone logging in
        assert services.authenticate(EMAIL, PASSWORD, OWNER) == maria
    assert not services.login_throttled(EMAIL, OWNER)


def test_wrong_second_factor_codes_count_as_failures(app, maria, limiter_clock):
    assert services.authenticate(EMAIL, PASSWORD, ATTACKER) == maria
    for _ in range(app.config["LOGIN_FREE_FAILURES"]):
        services.count_failed_second_factor(EMAIL, ATTACKER)
    assert services.login_wait_seconds(EMAIL, ATTACKER) == 2
