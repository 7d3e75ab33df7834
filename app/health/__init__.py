"""Health for load balancers and monitors: /healthz (alive), /readyz (can serve), /metrics."""

from flask import Blueprint

bp = Blueprint("health", __name__)

from app.health import views  # noqa: E402,F401 - routes attach to bp
