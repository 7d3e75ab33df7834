"""Roundtables: local multi-agency coalitions that meet, decide, act and evaluate together."""

from flask import Blueprint

bp = Blueprint("roundtables", __name__, url_prefix="/roundtables")

from app.roundtables import receivers, views  # noqa: E402,F401 - signal receivers; routes attach to bp
