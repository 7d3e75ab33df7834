"""Rate limits across server processes (issue 11): several processes, each with its own app
and engine on the same database (the suite's SQLite file, or PostgreSQL when
CHAMPIONS_TEST_DATABASE_URL is set), fire bursts at the same moment; exactly the limit
passes and no attempt fails with an error (the old check-then-act limiter let 8-9 of 5
through and raised duplicate keys)."""

from __future__ import annotations

import pytest

from app.core import ratelimit
from tests.fixtures.processes import Outcome, in_processes

PROCESSES = 4
ATTEMPTS = 10  # per process and burst
LIMIT = 15
FREE_FAILURES = 5


def two_bursts(_number: int) -> list[list[bool]]:
    """ATTEMPTS hits on one key (whether each was refused), then ATTEMPTS login attempts on
    one account + address (whether each could start), each as fast as they go."""
    backoff = ratelimit.Backoff(free=FREE_FAILURES, base=60, longest=600)
    refused = [ratelimit.hit("burst", "198.51.100.20", LIMIT, 3600) for _ in range(ATTEMPTS)]
    started = [ratelimit.claim_attempt("login", "maria@example.org\n198.51.100.21", backoff)
               for _ in range(ATTEMPTS)]
    return [refused, started]


@pytest.fixture(scope="module")
def outcomes(database_url: str, _schema) -> list[Outcome]:
    """Both bursts, fired once by PROCESSES processes together (the first test's `app`
    empties the tables afterwards)."""
    return in_processes(database_url, PROCESSES, two_bursts)


def test_no_process_meets_an_error(outcomes, app):
    assert [outcome.error for outcome in outcomes] == [""] * PROCESSES


def test_a_burst_from_several_processes_passes_exactly_the_limit(outcomes, app):
    refused = [limited for outcome in outcomes for limited in outcome.results[0]]
    assert len(refused) == PROCESSES * ATTEMPTS
    assert refused.count(False) == LIMIT


def test_login_attempts_from_several_processes_stop_after_the_free_failures(outcomes, app):
    started = [claimed for outcome in outcomes for claimed in outcome.results[1]]
    assert len(started) == PROCESSES * ATTEMPTS
    assert started.count(True) == FREE_FAILURES
