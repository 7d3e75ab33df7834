"""Sliding-window rate limits (issue 11): the previous window still counts, weighted by the
share of the period not yet elapsed; stored keys rotate with each window and are pruned
as soon as they no longer count."""

from __future__ import annotations

from sqlalchemy import select

from app.core import ratelimit, tasks
from app.core.ratelimit import RateLimitCounter

ADDRESS = "203.0.113.9"
LIMIT = 10
PERIOD = 100


def passed(count: int, key: str = ADDRESS, scope: str = "test") -> int:
    """How many of `count` attempts the limiter lets through."""
    return [ratelimit.hit(scope, key, LIMIT, PERIOD) for _ in range(count)].count(False)


def stored_rows() -> list[RateLimitCounter]:
    """Every stored window, oldest first."""
    return list(ratelimit.db.session.scalars(
        select(RateLimitCounter).order_by(RateLimitCounter.window)))


def test_one_window_lets_exactly_the_limit_through(app, limiter_clock):
    assert passed(LIMIT + 3) == LIMIT


def test_a_new_window_does_not_reset_the_limit_at_once(app, limiter_clock):
    limiter_clock.advance(PERIOD - 1)  # the limit used up at the very end of a window
    passed(LIMIT)
    limiter_clock.advance(1)  # a fixed window would let LIMIT more through now
    assert passed(LIMIT) == 0


def test_the_previous_window_weighs_by_the_share_not_yet_elapsed(app, limiter_clock):
    passed(LIMIT)
    limiter_clock.advance(PERIOD + PERIOD * 3 // 10)  # 30% into the next window: 70% weight
    assert passed(LIMIT) == 3


def test_a_window_two_periods_old_no_longer_counts(app, limiter_clock):
    passed(LIMIT + 5)
    limiter_clock.advance(2 * PERIOD)
    assert passed(LIMIT + 1) == LIMIT


def test_refused_attempts_keep_counting(app, limiter_clock):
    passed(2 * LIMIT)  # an attacker who keeps going
    limiter_clock.advance(PERIOD + PERIOD // 2)  # 20 attempts at half weight: still full
    assert passed(1) == 0


def test_a_given_back_attempt_does_not_count(app, limiter_clock):
    passed(LIMIT)
    ratelimit.give_back("test", ADDRESS, PERIOD)
    assert passed(2) == 1


def test_an_attempt_given_back_after_the_window_changed_leaves_the_previous_one(
        app, limiter_clock):
    passed(LIMIT)
    limiter_clock.advance(PERIOD)
    ratelimit.give_back("test", ADDRESS, PERIOD)
    assert [row.count for row in stored_rows()] == [LIMIT - 1]


def test_limits_are_per_key_and_per_scope(app, limiter_clock):
    passed(LIMIT)
    assert passed(1, key="203.0.113.10") == 1
    assert passed(1, scope="other") == 1


def test_retry_after_says_when_the_next_attempt_passes(app, limiter_clock):
    passed(LIMIT)
    assert ratelimit.limit_reached("test", ADDRESS, LIMIT, PERIOD)
    wait = ratelimit.retry_after("test", ADDRESS, LIMIT, PERIOD)
    assert wait == PERIOD + PERIOD // LIMIT  # the next window, once a tenth has faded
    limiter_clock.advance(wait - 1)
    assert passed(1) == 0
    ratelimit.give_back("test", ADDRESS, PERIOD)
    limiter_clock.advance(1)
    assert passed(1) == 1


def test_reset_forgets_the_counted_attempts(app, limiter_clock):
    passed(LIMIT)
    limiter_clock.advance(PERIOD // 2)
    passed(LIMIT)
    ratelimit.reset("test", ADDRESS, PERIOD)
    assert passed(LIMIT) == LIMIT


def test_stored_keys_hold_no_address_and_differ_between_windows(app, limiter_clock):
    passed(1)
    limiter_clock.advance(PERIOD)
    passed(1)
    first, second = stored_rows()
    assert ADDRESS not in first.key
    assert first.key != second.key  # rows of one address are not linkable across windows


def test_stored_keys_differ_between_scopes(app, limiter_clock):
    passed(1, scope="alert")
    passed(1, scope="receipt")
    alert, receipt = sorted(row.key for row in stored_rows())
    assert alert.split(":", 1)[1] != receipt.split(":", 1)[1]


def test_stored_keys_depend_on_the_secret_key(app, limiter_clock):
    passed(1)
    app.config["SECRET_KEY"] = "another secret key for this test only"
    passed(1)
    assert len(stored_rows()) == 2


def test_a_window_is_pruned_once_it_no_longer_counts(app, limiter_clock):
    passed(1)
    limiter_clock.advance(PERIOD)
    passed(1)
    limiter_clock.advance(PERIOD - 1)  # the first window still weighs 1/100
    assert ratelimit.prune_expired() == 0
    limiter_clock.advance(1)
    assert ratelimit.prune_expired() == 1
    assert [row.window for row in stored_rows()] == [limiter_clock() // PERIOD - 1]


def test_the_hourly_task_prunes_windows_and_back_offs(app, limiter_clock):
    passed(1)
    ratelimit.claim_attempt("login", "someone", ratelimit.Backoff(free=5, base=2, longest=60))
    limiter_clock.advance(2 * PERIOD + 60)
    tasks.prune_old_rows()
    assert stored_rows() == []
    assert ratelimit.db.session.scalars(select(ratelimit.RateLimitBackoff)).all() == []


def test_limits_can_be_switched_off(app, limiter_clock):
    app.config["RATELIMIT_ENABLED"] = False
    assert passed(LIMIT + 1) == LIMIT + 1
    assert stored_rows() == []
