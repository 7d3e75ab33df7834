"""The case board: filters, counts per status, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, String, cast, func, select

from app.accounts.models import User
from app.arena.models import Case
from app.arena.services.access import visible_cases
from app.extensions import db


@dataclass
class BoardFilters:
    """What the member narrowed the board to (all optional)."""

    status: str = ""
    category: str = ""
    city: str = ""
    date_from: date | None = None
    date_to: date | None = None
    no_response: bool = False


def _filtered(user: User, filters: BoardFilters, with_status: bool = True) -> Select:
    """Cases the user may see, narrowed by every filter (optionally not by status)."""
    query = visible_cases(user, select(Case))
    if with_status and filters.status:
        query = query.where(Case.status == filters.status)
    if filters.category:
        # JSON list stored as text on SQLite and PostgreSQL alike: match the quoted key.
        query = query.where(cast(Case.categories, String).like(f'%"{filters.category}"%'))
    if filters.city:
        query = query.where(func.lower(Case.city) == filters.city.lower())
    if filters.date_from:
        query = query.where(Case.created_at >= datetime.combine(filters.date_from, time.min))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        query = query.where(Case.created_at < end)
    if filters.no_response:
        query = query.where(Case.response_count == 0)
    return query


def board_query(user: User, filters: BoardFilters) -> Select:
    """The board's cases, newest first."""
    return _filtered(user, filters).order_by(Case.created_at.desc(), Case.id.desc())


def status_counts(user: User, filters: BoardFilters) -> dict[str, int]:
    """How many cases per status under the other filters (for the status facet)."""
    sub = _filtered(user, filters, with_status=False).subquery()
    rows = db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status))
    return {status: count for status, count in rows}


def communities(user: User) -> list[str]:
    """Cities and communities among the user's visible cases, for the filter."""
    query = visible_cases(user, select(Case.city).distinct()).where(Case.city != "")
    return sorted(db.session.scalars(query), key=str.lower)
