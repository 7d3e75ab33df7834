"""Roundtables themselves: creation, changes, stakeholder mapping and the lists people see."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import defer

from app.accounts.models import User, utcnow
from app.core.markup import render_markdown
from app.extensions import db
from app.roundtables import access
from app.roundtables.choices import MAPPED_AGENCIES
from app.roundtables.models import Meeting, Roundtable, RoundtableMember


@dataclass(frozen=True)
class RoundtableFields:
    """What the creator or a manager of a roundtable may set."""

    name: str
    city: str
    languages: list[str]
    description: str = ""
    public_profile: bool = False


def create_roundtable(creator: User, country: str, fields: RoundtableFields,
                      secretariat: list[User]) -> Roundtable:
    """A new roundtable of `country` with its first secretariat members (active seats)."""
    roundtable = Roundtable(country=country, created_by_id=creator.id)
    db.session.add(roundtable)
    update_roundtable(roundtable, fields)
    for user in secretariat:
        db.session.add(RoundtableMember(
            roundtable=roundtable, user_id=user.id, agency="other",
            organisation=user.organisation or "", secretariat=True, status="active",
            invited_by_id=creator.id, joined_at=utcnow(),
        ))
    db.session.flush()
    return roundtable


def update_roundtable(roundtable: Roundtable, fields: RoundtableFields) -> None:
    """Store the fields; the description is rendered through the Markdown sanitiser."""
    roundtable.name = fields.name.strip()
    roundtable.city = fields.city.strip()
    roundtable.languages = list(fields.languages)
    roundtable.description = fields.description
    roundtable.description_html = render_markdown(fields.description) if fields.description else ""
    roundtable.public_profile = fields.public_profile


def approved_members(countries: list[str]) -> list[User]:
    """Approved members of those countries, by name (the people a roundtable may seat)."""
    return list(db.session.scalars(
        select(User).where(User.status == "approved", User.country.in_(countries))
        .order_by(User.name, User.id)
    ))


def agencies_present(roundtable_ids: list[int]) -> dict[int, list[str]]:
    """Per roundtable, the agencies its active members sit for (in the order of the choices)."""
    rows = db.session.execute(
        select(RoundtableMember.roundtable_id, RoundtableMember.agency).where(
            RoundtableMember.roundtable_id.in_(roundtable_ids),
            RoundtableMember.status == "active",
        ).distinct()
    )
    present: dict[int, set[str]] = defaultdict(set)
    for roundtable_id, agency in rows:
        present[roundtable_id].add(agency)
    order = [*MAPPED_AGENCIES, "other"]
    return {rid: sorted(agencies, key=lambda a: order.index(a) if a in order else len(order))
            for rid, agencies in present.items()}


def missing_agencies(roundtable: Roundtable) -> list[str]:
    """Stakeholder mapping: the named agencies no active member sits for yet."""
    present = set(agencies_present([roundtable.id]).get(roundtable.id, []))
    return [agency for agency in MAPPED_AGENCIES if agency not in present]


def joinable_roundtables(user: User) -> Select:
    """A select of the roundtables of the member's country they hold no seat at and cannot
    open: the ones they could ask to join."""
    seats = select(RoundtableMember.roundtable_id).where(RoundtableMember.user_id == user.id)
    visible = access.visible_roundtables(user).with_only_columns(Roundtable.id).order_by(None)
    return select(Roundtable).where(
        Roundtable.country == user.country, Roundtable.id.not_in(seats),
        Roundtable.id.not_in(visible),
    ).order_by(Roundtable.name, Roundtable.id)


def seats_of(user: User, status: str) -> list[RoundtableMember]:
    """The member's invitations ("invited") or requests ("requested"), the newest first."""
    return list(db.session.scalars(
        select(RoundtableMember).where(
            RoundtableMember.user_id == user.id, RoundtableMember.status == status,
        ).order_by(RoundtableMember.created_at.desc(), RoundtableMember.id.desc())
    ))


def has_unmapped_seats(roundtable: Roundtable) -> bool:
    """True when an active seat's agency is still "other" (e.g. the founding secretariat)."""
    return bool(db.session.scalar(select(exists().where(
        RoundtableMember.roundtable_id == roundtable.id, RoundtableMember.status == "active",
        RoundtableMember.agency == "other"))))


def meetings_query(roundtable: Roundtable) -> Select:
    """A select of the roundtable's meetings, newest first (their minutes are not loaded)."""
    return (select(Meeting).options(defer(Meeting.minutes), defer(Meeting.minutes_html))
            .where(Meeting.roundtable_id == roundtable.id)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))


def with_minutes(meetings: list[Meeting]) -> set[int]:
    """The ids of those meetings that have minutes (one query, the texts left in the database)."""
    if not meetings:
        return set()
    return set(db.session.scalars(select(Meeting.id).where(
        Meeting.id.in_([meeting.id for meeting in meetings]), Meeting.minutes_html != "")))


def past_meetings(roundtable: Roundtable, limit: int = 5) -> list[Meeting]:
    """The roundtable's last meetings that have ended (cancelled ones left out), newest first."""
    return list(db.session.scalars(meetings_query(roundtable).where(
        Meeting.ends_at < utcnow(), Meeting.cancelled_at.is_(None)).limit(limit)))
