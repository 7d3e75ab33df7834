"""Rate limits kept in the database: sliding-window counters and a growing back-off after
failures, keyed by hashes that rotate with each window (addresses are never stored).

Why the database and not a library with Redis: the portal already has its database on every
deployment (SQLite or PostgreSQL); a small NGO should not have to run and secure a second
server for counting. One INSERT ... ON CONFLICT DO UPDATE ... RETURNING per attempt is atomic
on both databases, so several server processes never let more than the limit through and
never race into a duplicate key. The cost is one small write per limited request.

Sliding window counter: an attempt counts in the window of `period` seconds it falls in; the
limit applies to the current window's count plus the previous window's count weighted by the
share of the period not yet elapsed (the previous window is closed, so reading it is safe).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from flask import current_app, request
from sqlalchemy import String, case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.core.security import keyed_hash
from app.extensions import db

# The two databases the portal runs on; both upsert (SQLite from 3.24, RETURNING from 3.35).
_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# Longest back-off exponent worth computing (2**30 seconds is decades).
_MAX_DOUBLINGS = 30
# The worker prunes rows that no longer count this often (app/core/tasks.py).
PRUNE_INTERVAL = 3600


class RateLimitCounter(db.Model):
    """Attempts in one window for one hashed key (e.g. reports from one address)."""

    __tablename__ = "rate_limit_counters"

    # The scope in clear, then an HMAC of the raw key under a salt of this window: rows of
    # different windows (and scopes) of one address cannot be linked without the secret key.
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    # Epoch second after which the window no longer counts (the end of the next window); the
    # hourly prune deletes it then, so no hash is kept longer than the limit needs.
    expires: Mapped[int] = mapped_column(default=0, index=True)


class RateLimitBackoff(db.Model):
    """Failures in a row for one hashed key (e.g. an account from one address), and when the
    next attempt is allowed."""

    __tablename__ = "rate_limit_backoff"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    next_allowed: Mapped[int] = mapped_column(default=0)  # epoch second
    # The failures are forgotten (and the row pruned) this long after the wait ended.
    expires: Mapped[int] = mapped_column(default=0, index=True)


@dataclass(frozen=True)
class Backoff:
    """A growing wait: `free` failures without one, then `base` seconds doubling with each
    further failure, at most `longest`; failures are forgotten `longest` seconds after the
    wait ended."""

    free: int
    base: int
    longest: int

    def wait_after(self, failures: int) -> int:
        """Seconds before the next attempt, after `failures` failures in a row."""
        if failures < self.free:
            return 0
        return min(self.base * 2 ** min(failures - self.free, _MAX_DOUBLINGS), self.longest)


def now() -> int:
    """The current epoch second (tests freeze time by replacing this function)."""
    return int(time.time())


def client_key() -> str:
    """The requesting address; only ever used through a keyed hash."""
    return request.remote_addr or "unknown"


def _enabled() -> bool:
    """Limits can be switched off (e.g. for a load test)."""
    return bool(current_app.config["RATELIMIT_ENABLED"])


def _hashed_text(scope: str, key: str) -> str:
    """What the HMAC covers: the scope too, so one address's rows of two scopes differ."""
    return scope + "\n" + key


def _bucket(scope: str, key: str, period: int, window: int) -> str:
    """The stored key of one window: the scope plus an HMAC of scope and key under a salt
    derived from the secret key, the period and the window number."""
    return f"{scope}:{keyed_hash(_hashed_text(scope, key), f'ratelimit:{period}:{window}')[:48]}"


def hit(scope: str, key: str, limit: int, period: int) -> bool:
    """Count an attempt and say whether it goes over the limit. Counting first, in one
    statement, lets exactly `limit` concurrent attempts through; refused attempts count too."""
    if not _enabled():
        return False
    moment = now()
    window = moment // period
    previous = _window_count(scope, key, period, window - 1)
    count = _count_attempt(scope, key, period, window)
    db.session.commit()
    return _weighted(count, previous, moment % period, period) > limit * period


def limit_reached(scope: str, key: str, limit: int, period: int) -> bool:
    """True when the next attempt would be refused. Read only, so only for telling people
    early: hit() is what enforces the limit."""
    return retry_after(scope, key, limit, period) > 0


def retry_after(scope: str, key: str, limit: int, period: int) -> int:
    """Seconds until one more attempt would pass, if nothing else is counted meanwhile."""
    if not _enabled():
        return 0
    moment = now()
    window, elapsed = divmod(moment, period)
    current = _window_count(scope, key, period, window)
    previous = _window_count(scope, key, period, window - 1)
    if _weighted(current + 1, previous, elapsed, period) <= limit * period:
        return 0
    if current + 1 <= limit:  # the previous window's share fades before this one ends
        return math.ceil(period - elapsed - (limit - current - 1) * period / previous)
    # Next window: `current` becomes the previous one and fades from its start.
    return math.ceil(period - elapsed + max(0.0, period - (limit - 1) * period / max(current, 1)))


def _weighted(current: int, previous: int, elapsed: int, period: int) -> int:
    """The sliding count times `period` (integers, so a limit is never off by rounding)."""
    return current * period + previous * (period - elapsed)


def _window_count(scope: str, key: str, period: int, window: int) -> int:
    """Attempts counted for `key` in one window (0 when none)."""
    count = db.session.scalar(select(RateLimitCounter.count).where(
        RateLimitCounter.key == _bucket(scope, key, period, window),
        RateLimitCounter.window == window))
    return count or 0


def _count_attempt(scope: str, key: str, period: int, window: int) -> int:
    """Add one attempt and return the window's count, in one INSERT ... ON CONFLICT DO
    UPDATE (read, then write let two first attempts race into a duplicate key)."""
    insert = _UPSERTS[db.engine.dialect.name](RateLimitCounter)
    upsert = insert.values(
        key=_bucket(scope, key, period, window), window=window, count=1,
        expires=(window + 2) * period,
    ).on_conflict_do_update(
        index_elements=[RateLimitCounter.key, RateLimitCounter.window],
        set_={"count": RateLimitCounter.count + 1},
    )
    return db.session.execute(upsert.returning(RateLimitCounter.count)).scalar_one()


def give_back(scope: str, key: str, period: int) -> None:
    """Un-count one attempt that hit() counted (e.g. a report that could not be stored): from
    the current window, or the previous one if the window changed in between."""
    if not _enabled():
        return
    window = now() // period
    for candidate in (window, window - 1):
        result = db.session.execute(
            update(RateLimitCounter)
            .where(RateLimitCounter.key == _bucket(scope, key, period, candidate),
                   RateLimitCounter.window == candidate, RateLimitCounter.count > 0)
            .values(count=RateLimitCounter.count - 1))
        if result.rowcount:
            break
    db.session.commit()


def reset(scope: str, key: str, period: int) -> None:
    """Forget the counted attempts of `key` (the windows that still count)."""
    window = now() // period
    buckets = [_bucket(scope, key, period, w) for w in (window, window - 1)]
    db.session.execute(delete(RateLimitCounter).where(RateLimitCounter.key.in_(buckets)))
    db.session.commit()


# Back-off after failures ----------------------------------------------------------------
def _backoff_key(scope: str, key: str) -> str:
    """The stored key of a back-off: the scope plus an HMAC of scope and key. It cannot rotate
    (the failures must outlive a window), so the row is pruned as soon as they are forgotten."""
    return f"{scope}:{keyed_hash(_hashed_text(scope, key), 'ratelimit-backoff')[:48]}"


def claim_attempt(scope: str, key: str, backoff: Backoff) -> bool:
    """Start an attempt unless `key` must still wait: False then. A started attempt counts as
    a failure until clear_failures(); the claim and the new wait are one transaction that
    holds the row, so concurrent attempts never slip through the same gap."""
    if not _enabled():
        return True
    moment = now()
    bucket = _backoff_key(scope, key)
    failures = db.session.execute(_claim_statement(bucket, moment)).scalar_one_or_none()
    if failures is not None:
        wait = backoff.wait_after(failures)
        db.session.execute(
            update(RateLimitBackoff).where(RateLimitBackoff.key == bucket)
            .values(next_allowed=moment + wait, expires=moment + wait + backoff.longest))
    db.session.commit()
    return failures is not None


def _claim_statement(bucket: str, moment: int):
    """INSERT a first failure, or add one when the wait is over (start again from one when
    the old failures are forgotten); RETURNING nothing while the key must wait."""
    forgotten = RateLimitBackoff.expires <= moment
    insert = _UPSERTS[db.engine.dialect.name](RateLimitBackoff)
    return insert.values(
        key=bucket, failures=1, next_allowed=moment, expires=moment,
    ).on_conflict_do_update(
        index_elements=[RateLimitBackoff.key],
        set_={"failures": case((forgotten, 1), else_=RateLimitBackoff.failures + 1)},
        where=or_(RateLimitBackoff.next_allowed <= moment, forgotten),
    ).returning(RateLimitBackoff.failures)


def wait_seconds(scope: str, key: str) -> int:
    """Seconds `key` must still wait before its next attempt (0: it may try now)."""
    if not _enabled():
        return 0
    next_allowed = db.session.scalar(select(RateLimitBackoff.next_allowed).where(
        RateLimitBackoff.key == _backoff_key(scope, key)))
    return max(0, (next_allowed or 0) - now())


def clear_failures(scope: str, key: str) -> None:
    """Forget the failures of `key` (e.g. after a successful login)."""
    db.session.execute(delete(RateLimitBackoff).where(
        RateLimitBackoff.key == _backoff_key(scope, key)))
    db.session.commit()


def seconds_kept(period: int) -> int:
    """The longest a hash of a window of `period` seconds is stored: the window counts until
    the end of the next one, then waits at most PRUNE_INTERVAL for the prune (for the
    privacy notice)."""
    return 2 * period + PRUNE_INTERVAL


def prune_expired() -> int:
    """Delete every window and back-off that no longer counts (the worker does this hourly)."""
    moment = now()
    removed = 0
    for model in (RateLimitCounter, RateLimitBackoff):
        result = db.session.execute(delete(model).where(model.expires <= moment))
        removed += result.rowcount or 0
    db.session.commit()
    return removed


__all__ = [
    "Backoff", "claim_attempt", "clear_failures", "client_key", "give_back", "hit",
    "limit_reached", "prune_expired", "reset", "retry_after", "seconds_kept", "wait_seconds",
]
