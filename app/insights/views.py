"""Public trends pages: the whole network and each partner country."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, g, render_template

from app.accounts.choices import COUNTRIES
from app.insights import bp
from app.insights.pages import hidden_marker, trend_charts
from app.insights.trends import NETWORK, PAGE_COUNTRIES, Trends, public_trends


@bp.before_request
def trends_enabled():
    """TRENDS_ENABLED = False: the pages do not exist."""
    if not current_app.config["TRENDS_ENABLED"]:
        abort(404)


def page_trends() -> dict[str, Trends]:
    """Every page's figures, computed once per request (three grouped queries)."""
    if "insights_trends" not in g:
        g.insights_trends = public_trends(
            datetime.now(UTC).date(), int(current_app.config["TRENDS_MIN_COUNT"])
        )
    return g.insights_trends


@bp.get("")
def network_trends():
    """Alerts of the whole network by month, category and setting."""
    return _render(NETWORK)


@bp.get("/<country>")
def country_trends(country: str):
    """Alerts of one partner country (DE, PL, RO, HU); any other code is 404."""
    if country not in PAGE_COUNTRIES:
        abort(404)
    return _render(country)


def _render(page: str):
    """The trends page of `page` (NETWORK or a country code)."""
    trends = page_trends()[page]
    return render_template(
        "insights/trends.html",
        trends=trends,
        charts=trend_charts(trends),
        hidden=hidden_marker(),
        countries=PAGE_COUNTRIES,
        COUNTRIES=COUNTRIES,
    )
