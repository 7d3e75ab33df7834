"""Fixed-window rate limits kept in the database, keyed by a hash (addresses are never stored)."""

from __future__ import annotations

import time

from flask import current_app, request
from sqlalchemy import String, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, mapped_column

from app.core.security import keyed_hash
from app.extensions import db

# The two databases the portal runs on; both upsert (SQLite from 3.24, RETURNING from 3.35).
_UPSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class RateLimitCounter(db.Model):
    """Attempts in one window for one hashed key (e.g. login by address)."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    # Epoch second after which the window no longer counts (the hourly prune deletes it, so
    # no hashed address is kept longer than its limit needs).
    expires: Mapped[int] = mapped_column(default=0, index=True)


def client_key() -> str:
    """The requesting address; only ever used through a keyed hash."""
    return request.remote_addr or "unknown"


def _bucket(scope: str, key: str) -> str:
    """The stored key: scope plus an HMAC of the raw key."""
    return f"{scope}:{keyed_hash(key, 'ratelimit')[:48]}"


def is_limited(scope: str, key: str, limit: int, period: int) -> bool:
    """True when `key` has used up `limit` attempts in the current `period` seconds."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    window = int(time.time()) // period
    counter = db.session.get(RateLimitCounter, (_bucket(scope, key), window))
    return counter is not None and counter.count >= limit


def record_attempt(scope: str, key: str, period: int) -> None:
    """Count one attempt for `key` in the current window, and drop windows long gone."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return
    _count_attempt(scope, key, period)
    db.session.commit()


def hit(scope: str, key: str, limit: int, period: int) -> bool:
    """Record an attempt and say whether it goes over the limit (for "every request" limits).
    Counting first, in one statement, lets exactly `limit` concurrent attempts through."""
    if not current_app.config["RATELIMIT_ENABLED"]:
        return False
    over = _count_attempt(scope, key, period) > limit
    db.session.commit()
    return over


def _count_attempt(scope: str, key: str, period: int) -> int:
    """Add one attempt and return the window's count, in one INSERT ... ON CONFLICT DO
    UPDATE (read, then write let two first attempts race into a duplicate key); then drop
    windows long gone."""
    window = int(time.time()) // period
    bucket = _bucket(scope, key)
    insert = _UPSERTS[db.engine.dialect.name](RateLimitCounter)
    upsert = insert.values(key=bucket, window=window, count=1,
                           expires=(window + 2) * period).on_conflict_do_update(
        index_elements=[RateLimitCounter.key, RateLimitCounter.window],
        set_={"count": RateLimitCounter.count + 1},
    )
    count = db.session.execute(upsert.returning(RateLimitCounter.count)).scalar_one()
    db.session.execute(
        delete(RateLimitCounter).where(
            RateLimitCounter.key == bucket, RateLimitCounter.window < window - 1
        )
    )
    return count


def prune_expired() -> int:
    """Delete every window that no longer counts (the worker does this hourly)."""
    result = db.session.execute(
        delete(RateLimitCounter).where(RateLimitCounter.expires < int(time.time())))
    db.session.commit()
    return result.rowcount or 0


def reset(scope: str, key: str) -> None:
    """Forget the attempts of `key` (e.g. after a successful login)."""
    bucket = _bucket(scope, key)
    db.session.execute(delete(RateLimitCounter).where(RateLimitCounter.key == bucket))
    db.session.commit()


__all__ = ["hit", "is_limited", "record_attempt", "reset", "client_key", "prune_expired"]
