"""Urgent cases: the country's coordinators hear at once, one of them acknowledges, and a
case nobody acknowledged within URGENT_ESCALATE_MINUTES is escalated to the admins."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, select, update

from app.accounts.models import User, utcnow
from app.arena.models import Case, Notification
from app.arena.services import cases
from app.arena.services.channels import send_urgent
from app.extensions import db

log = logging.getLogger(__name__)

def escalate_minutes() -> int:
    """Minutes a coordinator has to acknowledge an urgent case before the admins are told."""
    return int(current_app.config["URGENT_ESCALATE_MINUTES"])


def coordinators_of(country: str) -> list[User]:
    """The approved coordinators of a country (admins not counted)."""
    return list(db.session.scalars(
        select(User).where(User.role == "coordinator", User.status == "approved",
                           User.country == country).order_by(User.id)))


def admins() -> list[User]:
    """The approved administrators."""
    return list(db.session.scalars(
        select(User).where(User.role == "admin", User.status == "approved").order_by(User.id)))


def first_responders(country: str) -> list[User]:
    """Who must hear of a new urgent case at once: the country's coordinators, or the admins
    when the country has none."""
    return coordinators_of(country) or admins()


def alert_urgent_case(case: Case) -> list[User]:
    """Tell the case's first responders at once through the urgent channels; returns them."""
    coordinators = coordinators_of(case.country)
    people = coordinators or admins()
    cases.record(case, None, "urgent_alerted", to="coordinators" if coordinators else "admins")
    if not people:
        log.warning("urgent: case %s has nobody to alert (no coordinator, no admin)", case.id)
    for person in people:
        send_urgent(person, "urgent_case", case, country=case.country)
    return people


def waiting_for_coordinator() -> ColumnElement[bool]:
    """SQL condition: an open urgent case nobody has acknowledged yet."""
    return Case.urgent.is_(True) & Case.acknowledged_at.is_(None) & (Case.status != "closed")


def acknowledge(case: Case, coordinator: User) -> bool:
    """Record that a coordinator has the open urgent case in hand (once, even when two click
    at the same moment); they follow it, lead it unless someone already does, and everyone's
    urgent alarms for it are read."""
    if not case.urgent or case.is_closed:
        return False
    now = utcnow()
    claimed = db.session.execute(
        update(Case).where(Case.id == case.id, Case.acknowledged_at.is_(None))
        .values(acknowledged_at=now, acknowledged_by_id=coordinator.id))
    if claimed.rowcount != 1:
        return False
    case.acknowledged_at, case.acknowledged_by = now, coordinator
    cases.record(case, coordinator, "acknowledged")
    cases.follow(case, coordinator)
    if case.lead_id is None:  # "I am dealing with it": the case shows who, the reporter sees
        cases.take_lead(case, coordinator)  # it move to "in discussion"
    _mark_alarms_read(case)
    return True


def _mark_alarms_read(case: Case) -> None:
    """Urgent notifications about the case stop counting as new: somebody has it."""
    db.session.execute(
        update(Notification).where(
            Notification.kind == "urgent_case", Notification.read_at.is_(None),
            Notification.endpoint_args["case_id"].as_integer() == case.id,
        ).values(read_at=utcnow()))


def overdue_cases(now: datetime) -> list[Case]:
    """Open urgent cases nobody acknowledged within the configured time, not yet escalated."""
    deadline = now - timedelta(minutes=escalate_minutes())
    return list(db.session.scalars(
        select(Case).where(waiting_for_coordinator(), Case.escalated_at.is_(None),
                           Case.created_at < deadline).order_by(Case.id)))


def escalate_overdue(now: datetime | None = None) -> int:
    """Escalate every overdue urgent case to the admins; returns how many were escalated."""
    now = now or utcnow()
    return sum(escalate(case, now) for case in overdue_cases(now))


def escalate(case: Case, now: datetime) -> bool:
    """Mark the case escalated (once, even with two workers), say so in its history and tell
    the admins through the urgent channels."""
    claimed = db.session.execute(
        update(Case).where(Case.id == case.id, Case.escalated_at.is_(None),
                           Case.acknowledged_at.is_(None)).values(escalated_at=now))
    if claimed.rowcount != 1:
        return False
    case.escalated_at = now
    minutes = escalate_minutes()
    cases.record(case, None, "escalated", minutes=minutes)
    people = admins()
    if not people:
        log.warning("urgent: case %s is escalated but there is no approved admin", case.id)
    for admin in people:
        send_urgent(admin, "urgent_escalated", case, country=case.country, minutes=minutes)
    return True


def unacknowledged_minutes(case: Case, now: datetime | None = None) -> int | None:
    """Whole minutes an open urgent case has waited for a coordinator; None when it waits for
    nobody (not urgent, acknowledged or closed)."""
    if not case.urgent or case.acknowledged_at is not None or case.is_closed:
        return None
    created = case.created_at
    if created.tzinfo is None:  # SQLite returns naive datetimes (stored as UTC)
        created = created.replace(tzinfo=UTC)
    return max(int(((now or utcnow()) - created).total_seconds() // 60), 0)
