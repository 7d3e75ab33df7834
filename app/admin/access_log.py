"""The access log for admins: filtered by member, action and date, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.access_log import AccessLogEntry
from app.extensions import db


@dataclass(frozen=True)
class LogFilters:
    """What the admin narrowed the log to (None: any)."""

    member_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def access_log_page(filters: LogFilters, page: int, per_page: int) -> Pagination:
    """One page of log lines matching the filters, newest first, with their members."""
    query = select(AccessLogEntry).options(selectinload(AccessLogEntry.actor))
    if filters.member_id is not None:
        query = query.where(AccessLogEntry.actor_id == filters.member_id)
    if filters.action:
        query = query.where(AccessLogEntry.action == filters.action)
    if filters.date_from:
        query = query.where(AccessLogEntry.created_at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AccessLogEntry.created_at < _start_of(filters.date_to + timedelta(1)))
    query = query.order_by(AccessLogEntry.created_at.desc(), AccessLogEntry.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _start_of(day: date) -> datetime:
    """Midnight UTC at the start of the day."""
    return datetime.combine(day, time.min, tzinfo=UTC)
