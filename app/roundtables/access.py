"""Who may see and do what with a roundtable (every view asks these, on the server).

Internal pages are for the roundtable's active members, its country's coordinators and the
admins; to anyone else a roundtable does not exist (404). Managing (members, meetings,
minutes, actions, evaluations) is for its secretariat, and for the country's coordinators and
admins, who can step in when a secretariat is gone."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.roundtables.models import Roundtable, RoundtableMember


def membership(user: User | None, roundtable: Roundtable) -> RoundtableMember | None:
    """The user's seat at the roundtable (invited, asking or active), if any."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(RoundtableMember).where(
            RoundtableMember.roundtable_id == roundtable.id,
            RoundtableMember.user_id == user.id,
        )
    )


def is_member(user: User | None, roundtable: Roundtable) -> bool:
    """An approved member whose seat is active."""
    seat = membership(user, roundtable)
    return bool(seat is not None and seat.is_active and user.is_approved)


def is_secretariat(user: User | None, roundtable: Roundtable) -> bool:
    """An active member of the roundtable's secretariat."""
    seat = membership(user, roundtable)
    return bool(seat is not None and seat.is_active and seat.secretariat and user.is_approved)


def can_see(user: User | None, roundtable: Roundtable) -> bool:
    """Internal pages: active members, the country's coordinators, admins."""
    if user is None or not getattr(user, "is_approved", False):
        return False
    return user.coordinates(roundtable.country) or is_member(user, roundtable)


def can_manage(user: User | None, roundtable: Roundtable) -> bool:
    """The secretariat, the country's coordinators and admins."""
    if user is None or not getattr(user, "is_approved", False):
        return False
    return user.coordinates(roundtable.country) or is_secretariat(user, roundtable)


def can_create(user: User | None, country: str) -> bool:
    """Coordinators create roundtables for their country; admins for any."""
    return bool(user is not None and getattr(user, "is_approved", False)
                and user.coordinates(country))


def can_ask_to_join(user: User | None, roundtable: Roundtable) -> bool:
    """Approved members of the roundtable's country without a seat may ask to join."""
    if user is None or not getattr(user, "is_approved", False):
        return False
    return user.country == roundtable.country and membership(user, roundtable) is None


def visible_roundtables(user: User):
    """A select of the roundtables whose internal pages the user may open."""
    query = select(Roundtable).order_by(Roundtable.country, Roundtable.name)
    if user.is_admin:
        return query
    seats = select(RoundtableMember.roundtable_id).where(
        RoundtableMember.user_id == user.id, RoundtableMember.status == "active"
    )
    if user.is_coordinator:
        return query.where((Roundtable.country == user.country) | Roundtable.id.in_(seats))
    return query.where(Roundtable.id.in_(seats))
