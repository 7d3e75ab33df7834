"""Every feature's models, imported together for Alembic and the test schema."""

from app.accounts.models import RecoveryCode, User  # noqa: F401
from app.alerts.models import (  # noqa: F401
    Alert,
    AlertMessage,
    FollowUpGrant,
    RecommendationFeedback,
)
from app.arena.models import Case, Notification  # noqa: F401
from app.core.access_log import AccessLogEntry  # noqa: F401
from app.core.jobs import Job  # noqa: F401
from app.core.ratelimit import RateLimitBackoff, RateLimitCounter  # noqa: F401
from app.core.schedule import ScheduledRun  # noqa: F401
from app.library.models import Attachment, ContentItem  # noqa: F401
from app.roundtables.models import Roundtable  # noqa: F401
from app.search.models import IndexQueue  # noqa: F401
