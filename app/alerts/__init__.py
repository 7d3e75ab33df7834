"""ALERT: report an incident, get recommendations, follow up with a receipt."""

from flask import Blueprint

bp = Blueprint("alerts", __name__, url_prefix="/alert")

from app.alerts import feedback_views, views  # noqa: E402,F401 - routes attach to bp

api_bp = Blueprint("alerts_api", __name__, url_prefix="/api/v1")

from app.alerts import api  # noqa: E402,F401 - routes attach to api_bp
