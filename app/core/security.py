"""Response headers, safe redirects and small helpers for secrets."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request, session

VIDEO_FRAME_HOSTS = "https://www.youtube-nocookie.com https://player.vimeo.com"


def content_security_policy() -> str:
    """CSP without inline scripts; video frames only after the visitor clicks to load them."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"frame-src {VIDEO_FRAME_HOSTS}; media-src 'self'; connect-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def set_security_headers(response: Response) -> Response:
    """Add the portal's security headers to every response."""
    response.headers.setdefault("Content-Security-Policy", content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


# Blueprints whose every page shows case content, member data, messages or a report: no
# browser or proxy keeps a copy, whoever asks (the JSON API answers with matches).
PRIVATE_BLUEPRINTS = frozenset({"accounts", "admin", "alerts", "alerts_api", "arena"})


def is_private_response() -> bool:
    """True when the response may carry case content, member data or messages: a private
    blueprint's page, or any page seen by a logged-in member (the header, the library's
    drafts and the search's ARENA results depend on who asks)."""
    if request.endpoint == "static":
        return False
    if request.blueprint in PRIVATE_BLUEPRINTS:
        return True
    return has_login_session()


def has_login_session() -> bool:
    """True when the session carries a member's identity (Flask-Login's key), decided
    without a database query, so an error page while the database is down still gets its
    headers (a stale identity errs on the side of no-store)."""
    return "_user_id" in session


def set_cache_headers(response: Response) -> Response:
    """`no-store` on private responses; every page varies with the session cookie, so a
    shared cache never hands a member's page to anyone else (public pages stay cacheable)."""
    if request.endpoint != "static":
        response.vary.add("Cookie")
    if is_private_response():
        response.headers["Cache-Control"] = "no-store"
    return response


def is_safe_next(target: str | None) -> bool:
    """True only for a path on this site: no scheme, no host, no //, no backslash tricks."""
    if not target or not target.startswith("/"):
        return False
    if target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback: str) -> str:
    """The `next` target when it is a local path, else the fallback."""
    return target if is_safe_next(target) else fallback


def keyed_hash(value: str, purpose: str) -> str:
    """HMAC-SHA256 of a value under the secret key: lets us compare without storing it."""
    key = f"{current_app.config['SECRET_KEY']}:{purpose}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def init_security(app: Flask) -> None:
    """Register the header hooks."""
    app.after_request(set_security_headers)
    app.after_request(set_cache_headers)
