"""Administration: member vetting by coordinators, coordinator appointment by admins, and the
GDPR operations (retention, erasure, access log)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from app.admin import tasks, views  # noqa: E402,F401 - scheduled tasks; routes attach to bp
