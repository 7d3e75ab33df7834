"""Template filters and globals shared by every feature."""

from __future__ import annotations

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, format_decimal

from app.core.markup import safe_html


def register(app: Flask) -> None:
    """Make the shared filters available in Jinja."""
    app.jinja_env.filters["html"] = safe_html
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.globals["page_url"] = page_url


def page_url(page: int) -> str:
    """The current URL with ?page= replaced, keeping filters and sort order."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for(request.endpoint, **(request.view_args or {}), **args)
