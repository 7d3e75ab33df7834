"""Signed, expiring links for e-mail confirmation and password reset."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.accounts.models import User
from app.extensions import db

CONFIRM = "confirm-email"
RESET = "reset-password"


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    """A serializer salted per purpose, so a reset token never confirms an address."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"accounts-{purpose}")


def _fingerprint(user: User, purpose: str) -> str:
    """What the token is bound to: the address, and for resets also the current password."""
    material = user.email if purpose == CONFIRM else f"{user.email}|{user.password_hash}"
    return hashlib.sha256(material.encode()).hexdigest()[:24]


def make_token(user: User, purpose: str) -> str:
    """A URL-safe token for `user`; a reset token dies once the password changes."""
    return _serializer(purpose).dumps({"id": user.id, "fp": _fingerprint(user, purpose)})


def read_token(token: str, purpose: str) -> User | None:
    """The user a valid, unexpired token was made for, or None."""
    max_age = current_app.config["TOKEN_MAX_AGE"]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:  # also covers SignatureExpired
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), int):
        return None
    user = db.session.get(User, payload["id"])
    if user is None or payload.get("fp") != _fingerprint(user, purpose):
        return None
    return user
