"""Fixed-window rate limits kept in the database, keyed by a hash (addresses are never stored)."""

from __future__ import annotations

import time

from flask import current_app, request
from sqlalchemy import String, delete
from sqlalchemy.orm import Mapped, mapped_column

from app.core.security import keyed_hash
from app.extensions import db


class RateLimitCounter(db.Model):
    """Attempts in one window for one hashed key (e.g. login by address)."""

    __tablename__ = "rate_limit_counters"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


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
    window = int(time.time()) // period
    bucket = _bucket(scope, key)
    counter = db.session.get(RateLimitCounter, (bucket, window))
    if counter is None:
        counter = RateLimitCounter(key=bucket, window=window, count=0)
        db.session.add(counter)
    counter.count += 1
    db.session.execute(
        delete(RateLimitCounter).where(
            RateLimitCounter.key == bucket, RateLimitCounter.window < window - 1
        )
    )
    db.session.commit()


def hit(scope: str, key: str, limit: int, period: int) -> bool:
    """Record an attempt and say whether it goes over the limit (for "every request" limits)."""
    if is_limited(scope, key, limit, period):
        return True
    record_attempt(scope, key, period)
    return False


def reset(scope: str, key: str) -> None:
    """Forget the attempts of `key` (e.g. after a successful login)."""
    bucket = _bucket(scope, key)
    db.session.execute(delete(RateLimitCounter).where(RateLimitCounter.key == bucket))
    db.session.commit()


__all__ = ["hit", "is_limited", "record_attempt", "reset", "client_key"]
