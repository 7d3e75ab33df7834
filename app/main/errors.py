"""Localised error pages; JSON for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.core.logs import keep_failures_private, request_id
from app.extensions import db

PAGES = {400, 403, 404, 405, 413, 429, 500}


def render_error(error: HTTPException):
    """Render the error page for an HTTP error in the visitor's language."""
    code = error.code or 500
    if request.path.startswith("/api/"):
        return jsonify(error=error.name, status=code), code
    template = f"errors/{code if code in PAGES else 500}.html"
    return render_template(template, error=error), code


def render_csrf_error(error: CSRFError):
    """An expired or missing form token: say so plainly (forms that keep input handle it)."""
    return render_template("errors/400.html", error=error, csrf=True), 400


def render_server_error(error: Exception):
    """Unexpected failure: a calm page; the session is rolled back so the page can render.
    Flask has logged it already, through OnlyFailureType: type, endpoint, request id."""
    db.session.rollback()
    return render_template("errors/500.html"), 500


def register(app: Flask) -> None:
    """Attach the handlers; unhandled exceptions are logged without their message, and
    the error page shows the request id the log names."""
    keep_failures_private(app.logger)
    app.jinja_env.globals["request_id"] = request_id
    app.register_error_handler(CSRFError, render_csrf_error)
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(500, render_server_error)
