"""Response headers, safe redirects and small helpers for secrets."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from flask import Flask, Response, current_app

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
    """Register the header hook."""
    app.after_request(set_security_headers)
