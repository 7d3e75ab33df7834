"""The rate limiter under requests at once (issue 15): first attempts together raise no
duplicate key (an HTTP 500), and a burst lets exactly the limit through, not more."""

from __future__ import annotations

from app.core import ratelimit
from tests.fixtures.threads import at_once

THREADS = 8
LIMIT = 3
FRESH_KEYS = 5


def hits_at_once(app, key: str) -> tuple[list[bool], list[str]]:
    """THREADS threads (requests) call hit() for the same key at the same moment: whether
    each was limited, and the errors they met."""
    limited: list[bool] = []
    errors = at_once(app, THREADS, lambda _number: limited.append(
        ratelimit.hit("burst", key, LIMIT, 3600)))
    return limited, errors


def test_a_burst_on_a_fresh_key_lets_exactly_the_limit_through(app):
    for number in range(FRESH_KEYS):
        limited, errors = hits_at_once(app, f"203.0.113.{number}")
        assert errors == [], f"key {number}"
        assert limited.count(False) == LIMIT, f"key {number}: {limited}"


def test_the_attempts_of_a_burst_all_count(app):
    hits_at_once(app, "198.51.100.7")
    assert ratelimit.limit_reached("burst", "198.51.100.7", THREADS, 3600)
    assert not ratelimit.limit_reached("burst", "198.51.100.7", THREADS + 1, 3600)
