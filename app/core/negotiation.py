"""What kind of answer a request asks for."""

from __future__ import annotations

from flask import request


def wants_json() -> bool:
    """True when a page's script sent a form and waits for a short JSON answer (Accept:
    application/json); a browser posting the form itself gets a page."""
    return request.accept_mimetypes.best == "application/json"
