"""Insights: public trends of alerts (issue 13) and the SVG charts other pages reuse."""

from flask import Blueprint

bp = Blueprint("insights", __name__, url_prefix="/trends")

from app.insights import views  # noqa: E402,F401 - routes attach to bp
