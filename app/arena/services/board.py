"""The case board: filters, counts per status, urgent cases waiting for a coordinator first,
then newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.alerts.models import Alert
from app.arena.models import Case
from app.arena.services.access import visible_cases
from app.arena.services.urgent import waiting_for_coordinator
from app.extensions import db

SUMMARY_LENGTH = 140  # characters of the alert text shown on the board


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
    """The board's cases: urgent ones nobody acknowledged yet first, then newest first (with
    their alerts, for the one-line summaries)."""
    query = _filtered(user, filters).options(selectinload(Case.alert))
    waiting_first = sql_case((waiting_for_coordinator(), 0), else_=1)
    return query.order_by(waiting_first, Case.created_at.desc(), Case.id.desc())


def summary(case: Case, length: int = SUMMARY_LENGTH) -> str:
    """The start of the case's alert text as one line of plain text (cut at a word)."""
    return alert_summary(case.alert, length)


def alert_summary(alert: Alert, length: int = SUMMARY_LENGTH) -> str:
    """The start of an alert's description as one line of plain text (cut at a word)."""
    text = " ".join((alert.description or "").split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def status_counts(user: User, filters: BoardFilters) -> dict[str, int]:
    """How many cases per status under the other filters (for the status facet)."""
    sub = _filtered(user, filters, with_status=False).subquery()
    rows = db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status))
    return {status: count for status, count in rows}


def communities(user: User) -> list[str]:
    """Cities and communities among the user's visible cases, for the filter."""
    query = visible_cases(user, select(Case.city).distinct()).where(Case.city != "")
    return sorted(db.session.scalars(query), key=str.lower)
