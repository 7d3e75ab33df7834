"""Administration: member vetting by coordinators, coordinator appointment by admins."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import views  # noqa: E402,F401 - routes attach to bp
