"""Member vetting: coordinators act on their own country's members, admins on everyone."""

from __future__ import annotations

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, select

from app.accounts import mails
from app.accounts.models import User
from app.core.signals import member_status_changed
from app.extensions import db


@dataclass(frozen=True)
class Transition:
    """A vetting action: where it may start, where it leads, whether it needs a reason."""

    sources: frozenset[str]
    target: str
    needs_reason: bool


TRANSITIONS = {
    "approve": Transition(frozenset({"pending"}), "approved", False),
    "reject": Transition(frozenset({"pending"}), "rejected", True),
    "suspend": Transition(frozenset({"approved"}), "suspended", True),
    "reinstate": Transition(frozenset({"suspended", "rejected"}), "approved", False),
}
APPOINTABLE_ROLES = ("member", "coordinator")


class VettingError(ValueError):
    """The action is not possible for this member in their current state."""


def may_manage(actor: User, member: User) -> bool:
    """Coordinators manage plain members of their country; admins everyone but themselves."""
    if actor.id == member.id:
        return False
    if actor.is_admin:
        return True
    return member.role == "member" and actor.coordinates(member.country)


def member_for(actor: User, member_id: int) -> User | None:
    """The member with this id if `actor` may see and manage them, else None (answer 404)."""
    member = db.session.get(User, member_id)
    if member is None or not may_manage(actor, member):
        return None
    return member


def list_members(
    actor: User, status: str | None, country: str | None, page: int, per_page: int
) -> Pagination:
    """Members the actor may vet, pending first, newest first, one page of them."""
    query = select(User).where(User.id != actor.id)
    if actor.is_admin:
        if country:
            query = query.where(User.country == country)
    else:
        query = query.where(User.country == actor.country, User.role == "member")
    if status:
        query = query.where(User.status == status)
    pending_first = case((User.status == "pending", 0), else_=1)
    query = query.order_by(pending_first, User.created_at.desc(), User.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def available_actions(member: User) -> list[str]:
    """The vetting actions that fit the member's current status."""
    return [name for name, step in TRANSITIONS.items() if member.status in step.sources]


def change_status(actor: User, member: User, action: str, reason: str) -> None:
    """Approve, reject, suspend or reinstate; mail the member (queued), tell listeners."""
    step = TRANSITIONS.get(action)
    if step is None or member.status not in step.sources or not may_manage(actor, member):
        raise VettingError(action)
    if step.needs_reason and not reason.strip():
        raise VettingError("reason")
    member.status = step.target
    member.status_reason = reason.strip()
    if step.target in {"suspended", "rejected"}:
        member.invalidate_sessions()
    db.session.commit()
    mails.send_status_changed(member, member.status_reason)
    member_status_changed.send(member, status=member.status, actor=actor, reason=reason)


def change_role(actor: User, member: User, role: str) -> None:
    """Admins appoint approved members as coordinators, or remove them again."""
    if not actor.is_admin or role not in APPOINTABLE_ROLES or member.id == actor.id:
        raise VettingError(role)
    if role == "coordinator" and member.status != "approved":
        raise VettingError("status")
    member.role = role
    db.session.commit()
