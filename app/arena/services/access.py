"""Who may see and do what in ARENA (every view asks these, on the server)."""

from __future__ import annotations

from sqlalchemy import Select, true

from app.accounts.models import User
from app.arena.models import Case, Comment, Recommendation

EDIT_WINDOW_SECONDS = 15 * 60


def can_use_arena(user: User | None) -> bool:
    """Only approved members (coordinators and admins included) use ARENA."""
    return bool(user is not None and getattr(user, "is_approved", False))


def can_see_case(user: User | None, case: Case) -> bool:
    """Members and coordinators see the cases of their country; admins see all."""
    if not can_use_arena(user):
        return False
    return user.is_admin or user.country == case.country


def can_coordinate(user: User | None, case: Case) -> bool:
    """Coordinators of the case's country (and admins) assign, merge, reopen and write lessons."""
    return can_see_case(user, case) and user.coordinates(case.country)


def can_close(user: User, case: Case) -> bool:
    """The lead member or a coordinator records the outcome."""
    return can_see_case(user, case) and (case.lead_id == user.id or can_coordinate(user, case))


def can_release(user: User, recommendation: Recommendation) -> bool:
    """The author of a recommendation, or a coordinator, releases it to the reporter."""
    if not can_see_case(user, recommendation.case):
        return False
    return recommendation.author_id == user.id or can_coordinate(user, recommendation.case)


def can_see_contact(user: User, case: Case) -> bool:
    """The reporter's contact address is for coordinators of that country only."""
    return can_coordinate(user, case)


def visible_cases(user: User, query: Select) -> Select:
    """Restrict a select of cases to those the user may see."""
    if user.is_admin:
        return query.where(true())
    return query.where(Case.country == user.country)


def comment_editable(user: User, comment: Comment, now) -> bool:
    """Authors may edit their comment for 15 minutes after posting."""
    if comment.author_id != user.id:
        return False
    created = comment.created_at
    if created.tzinfo is None:  # SQLite returns naive datetimes (stored as UTC)
        created = created.replace(tzinfo=now.tzinfo)
    return (now - created).total_seconds() <= EDIT_WINDOW_SECONDS
