"""Template filters and globals shared by every feature."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal

from app.core.markup import safe_html
from app.core.urls import current_url


def register(app: Flask) -> None:
    """Make the shared filters available in Jinja."""
    app.jinja_env.filters["html"] = safe_html
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals["page_url"] = page_url


def page_url(page: int) -> str:
    """The current URL with ?page= replaced, keeping filters and sort order."""
    return current_url(page=page)
