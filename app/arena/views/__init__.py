"""ARENA views, one module per area; each route checks rights on the server."""

from app.arena import bp
from app.arena.views import (  # noqa: F401
    answered,
    board,
    discussion,
    feedback,
    lessons,
    notifications,
    people,
)
from app.arena.views.helpers import template_labels

bp.context_processor(template_labels)
