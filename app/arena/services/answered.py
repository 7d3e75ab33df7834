"""The "answered by the library" lane: alerts ALERT answered with matches, shown to the
approved members of their country, who may still open a case on them for the experts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, String, cast, func, select

from app.accounts.models import User
from app.alerts.models import Alert
from app.alerts.services import forward_to_arena
from app.arena.models import Case
from app.arena.services.access import can_use_arena, visible_cases
from app.arena.services.cases import ensure_case, record
from app.extensions import db

MEMBER_REASON = "member"  # Alert.forward_reason when a member opened the case


@dataclass
class AnsweredFilters:
    """What the member narrowed the answered lane to (both optional)."""

    category: str = ""
    country: str = ""  # admins only; everyone else sees their own country


def _answered() -> Select:
    """Alerts the library answered that still are: not forwarded, withdrawn or erased."""
    return select(Alert).where(
        Alert.status == "answered", Alert.forwarded_at.is_(None), Alert.purged_at.is_(None)
    )


def _for_viewer(user: User, query: Select, country: str = "") -> Select:
    """Restrict to the user's country (admins: all, or the country they chose)."""
    if not user.is_admin:
        return query.where(Alert.country == user.country)
    return query.where(Alert.country == country) if country else query


def answered_query(user: User, filters: AnsweredFilters) -> Select:
    """The lane's alerts for this user, newest first (paginate it: only a page is loaded)."""
    query = _for_viewer(user, _answered(), filters.country)
    if filters.category:
        # JSON list stored as text on SQLite and PostgreSQL alike: match the quoted key.
        query = query.where(cast(Alert.categories, String).like(f'%"{filters.category}"%'))
    return query.order_by(Alert.created_at.desc(), Alert.id.desc())


def lane_counts(user: User) -> dict[str, int]:
    """How many cases (the board) and answered alerts (library lane) the user may see."""
    answered = _for_viewer(user, _answered().with_only_columns(func.count(Alert.id)))
    cases = visible_cases(user, select(func.count(Case.id)))  # the unfiltered board's total
    return {"experts": db.session.scalar(cases) or 0, "answered": db.session.scalar(answered) or 0}


def can_see_answered(user: User | None, alert: Alert) -> bool:
    """Approved members see the answered alerts of their country; admins see all."""
    if not can_use_arena(user):
        return False
    return user.is_admin or user.country == alert.country


def visible_answered_alert(user: User | None, alert_id: int) -> Alert | None:
    """The answered alert, if it is still in the lane and the user may see it; else None."""
    alert = db.session.scalar(_answered().where(Alert.id == alert_id))
    return alert if alert is not None and can_see_answered(user, alert) else None


def open_case(alert: Alert, member: User) -> Case:
    """Forward an answered alert to the experts as a case on the member's behalf (ALERT's own
    forwarding), record who did it in the case history, and return the case; an alert
    already forwarded keeps its one case."""
    forwarded = forward_to_arena(alert, MEMBER_REASON)
    case = ensure_case(alert)  # the forwarding job may not have run yet (worker mode)
    if forwarded:
        record(case, member, "opened_by_member")
    return case
