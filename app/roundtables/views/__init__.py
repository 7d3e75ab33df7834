"""Roundtable views, one module per area; each route checks rights on the server."""

from app.roundtables import bp
from app.roundtables.views import helpers  # noqa: F401

bp.context_processor(helpers.template_labels)
