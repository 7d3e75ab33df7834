"""Template filters and globals shared by every feature."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, ngettext
from flask_babel import gettext as _

from app.core.markup import safe_html
from app.core.urls import current_url


def register(app: Flask) -> None:
    """Make the shared filters available in Jinja."""
    app.jinja_env.filters["html"] = safe_html
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["duration"] = format_duration
    app.jinja_env.globals["page_url"] = page_url


def page_url(page: int) -> str:
    """The current URL with ?page= replaced, keeping filters and sort order."""
    return current_url(page=page)


def format_duration(minutes: int) -> str:
    """A span of whole minutes in words: "37 minutes", "2 hours", "1 h 12 min"."""
    hours, rest = divmod(max(int(minutes), 0), 60)
    if not hours and not rest:
        return _("less than a minute")
    if not hours:
        return ngettext("%(num)s minute", "%(num)s minutes", rest)
    if not rest:
        return ngettext("%(num)s hour", "%(num)s hours", hours)
    return _("%(hours)s h %(minutes)s min", hours=hours, minutes=rest)
