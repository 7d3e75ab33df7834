"""Roundtable views, one module per area; each route checks rights on the server."""

from app.roundtables import bp
from app.roundtables.views import (  # noqa: F401
    calendar,
    evaluations,
    helpers,  # noqa: F401
    meetings,
    members,
    roundtables,
    work,
)

bp.context_processor(helpers.template_labels)
bp.context_processor(work.work_helpers)
