"""ARENA models: cases and their history, discussion, people, notifications."""

from app.arena.models.cases import Case, CaseAssignment, CaseEvent, CaseFollower
from app.arena.models.discussion import Comment, Recommendation
from app.arena.models.notifications import Notification, NotificationPreference
from app.arena.models.people import Conversation, DirectMessage

__all__ = [
    "Case", "CaseAssignment", "CaseEvent", "CaseFollower", "Comment", "Recommendation",
    "Notification", "NotificationPreference", "Conversation", "DirectMessage",
]
