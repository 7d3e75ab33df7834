"""ARENA views, one module per area; each route checks rights on the server."""

from app.arena.views import board, discussion, notifications, people  # noqa: F401
from app.arena import bp  # noqa: E402
from app.arena.views.helpers import template_labels  # noqa: E402

bp.context_processor(template_labels)
