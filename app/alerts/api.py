"""JSON API (placeholder: being built)."""

from app.alerts import api_bp  # noqa: F401
