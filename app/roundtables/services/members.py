"""Seats at a roundtable: invitations, requests to join, the secretariat, leaving; and the
notifications each step sends (kind "roundtable", sentences in app.roundtables.receivers)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import contains_eager

from app.accounts.models import User, utcnow
from app.arena.services.notifications import notify
from app.extensions import db
from app.roundtables import access
from app.roundtables.choices import AGENCY_LABELS
from app.roundtables.models import Attendance, Meeting, Roundtable, RoundtableMember


class MemberError(Exception):
    """A refused change of seats; str(error) is a key the views translate."""


@dataclass(frozen=True)
class Seat:
    """The agency a member sits for, their organisation and whether they are mandated."""

    agency: str
    organisation: str = ""
    mandated: bool = False


def directory(roundtable: Roundtable, with_pending: bool = False) -> list[RoundtableMember]:
    """The roundtable's seats by agency then name; invitations and requests only on demand."""
    query = (select(RoundtableMember).join(RoundtableMember.user)
             .options(contains_eager(RoundtableMember.user))
             .where(RoundtableMember.roundtable_id == roundtable.id))
    if not with_pending:
        query = query.where(RoundtableMember.status == "active")
    order = list(AGENCY_LABELS)
    seats = db.session.scalars(query.order_by(User.name, User.id)).all()
    return sorted(seats, key=lambda s: order.index(s.agency) if s.agency in order else len(order))


def invitable(roundtable: Roundtable) -> list[User]:
    """Approved members of the roundtable's country who hold no seat there yet."""
    seated = select(RoundtableMember.user_id).where(
        RoundtableMember.roundtable_id == roundtable.id)
    return list(db.session.scalars(
        select(User).where(User.status == "approved", User.country == roundtable.country,
                           User.id.not_in(seated)).order_by(User.name, User.id)
    ))


def secretariat(roundtable: Roundtable) -> list[User]:
    """The active secretariat members of the roundtable."""
    return list(db.session.scalars(
        select(User).join(RoundtableMember, RoundtableMember.user_id == User.id).where(
            RoundtableMember.roundtable_id == roundtable.id, RoundtableMember.secretariat,
            RoundtableMember.status == "active", User.status == "approved",
        ).order_by(User.id)
    ))


def invite(roundtable: Roundtable, user: User, inviter: User, seat: Seat) -> RoundtableMember:
    """Invite an approved member of the country without a seat; they are notified."""
    if not user.is_approved or user.country != roundtable.country:
        raise MemberError("not_eligible")
    if access.membership(user, roundtable) is not None:
        raise MemberError("already_seated")
    member = _new_seat(roundtable, user, seat, "invited")
    member.invited_by_id = inviter.id
    db.session.flush()
    notify(user, "roundtable", "roundtables.view_invitation", {"roundtable_id": roundtable.id},
           event="invited", name=roundtable.name)
    return member


def ask_to_join(roundtable: Roundtable, user: User, seat: Seat) -> RoundtableMember:
    """A request to join from a member of the country; the secretariat is notified."""
    if not access.can_ask_to_join(user, roundtable):
        raise MemberError("not_eligible")
    member = _new_seat(roundtable, user, seat, "requested")
    db.session.flush()
    for manager in secretariat(roundtable):
        notify(manager, "roundtable", "roundtables.list_members",
               {"roundtable_id": roundtable.id}, event="join_request", name=roundtable.name,
               member=user.name)
    return member


def accept_invitation(member: RoundtableMember, seat: Seat) -> None:
    """The invitee accepts, possibly correcting agency, organisation and mandate."""
    _require_status(member, "invited")
    _apply(member, seat)
    _activate(member)


def accept_request(member: RoundtableMember) -> None:
    """The secretariat accepts a request to join; the member is notified."""
    _require_status(member, "requested")
    _activate(member)
    notify(member.user, "roundtable", "roundtables.view_roundtable",
           {"roundtable_id": member.roundtable_id}, event="request_accepted",
           name=member.roundtable.name)


def decline(member: RoundtableMember, status: str) -> None:
    """Decline an invitation (the invitee) or a request (the secretariat): the seat goes."""
    _require_status(member, status)
    db.session.delete(member)
    db.session.flush()


def remove(member: RoundtableMember) -> None:
    """Remove a seat (a member, an invitation or a request), never the last secretariat; a
    member's invitations to upcoming meetings go (past attendance stays as the record)."""
    if _is_last_secretariat(member):
        raise MemberError("last_secretariat")
    _leave_upcoming_meetings(member)
    db.session.delete(member)
    db.session.flush()


def update_seat(member: RoundtableMember, seat: Seat) -> None:
    """Correct a seat's agency, organisation and mandate."""
    _apply(member, seat)
    db.session.flush()


def toggle_secretariat(member: RoundtableMember) -> bool:
    """Grant or withdraw the secretariat role of an active member; returns the new state."""
    _require_status(member, "active")
    if _is_last_secretariat(member):
        raise MemberError("last_secretariat")
    member.secretariat = not member.secretariat
    db.session.flush()
    return member.secretariat


def _new_seat(roundtable: Roundtable, user: User, seat: Seat, status: str) -> RoundtableMember:
    """A seat in `status` (the organisation defaults to the member's own)."""
    member = RoundtableMember(roundtable=roundtable, user_id=user.id, status=status)
    member.user = user
    _apply(member, seat)
    db.session.add(member)
    return member


def _apply(member: RoundtableMember, seat: Seat) -> None:
    """Copy the seat's agency, organisation and mandate onto the member."""
    if seat.agency not in AGENCY_LABELS:
        raise MemberError("bad_agency")
    member.agency = seat.agency
    member.organisation = seat.organisation.strip() or (member.user.organisation or "")
    member.mandated = seat.mandated


def _activate(member: RoundtableMember) -> None:
    """Make the seat active from now and invite the member to the meetings already planned."""
    member.status = "active"
    member.joined_at = utcnow()
    db.session.flush()
    _join_upcoming_meetings(member)


def _upcoming_meeting_ids(roundtable_id: int, with_cancelled: bool = False) -> list[int]:
    """Ids of the roundtable's meetings that have not ended (cancelled ones on demand)."""
    query = select(Meeting.id).where(Meeting.roundtable_id == roundtable_id,
                                     Meeting.ends_at >= utcnow())
    if not with_cancelled:
        query = query.where(Meeting.cancelled_at.is_(None))
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def _join_upcoming_meetings(member: RoundtableMember) -> None:
    """Invite a new member to every upcoming meeting, with one notification for them all."""
    upcoming = _upcoming_meeting_ids(member.roundtable_id)
    invited = set(db.session.scalars(select(Attendance.meeting_id).where(
        Attendance.user_id == member.user_id, Attendance.meeting_id.in_(upcoming))))
    added = [meeting_id for meeting_id in upcoming if meeting_id not in invited]
    for meeting_id in added:
        db.session.add(Attendance(meeting_id=meeting_id, user_id=member.user_id,
                                  status="invited"))
    if added:
        db.session.flush()
        notify(member.user, "roundtable", "roundtables.list_meetings",
               {"roundtable_id": member.roundtable_id}, event="meetings_added",
               name=member.roundtable.name, count=len(added))


def _leave_upcoming_meetings(member: RoundtableMember) -> None:
    """Drop the member's invitations to the roundtable's meetings that have not ended."""
    upcoming = _upcoming_meeting_ids(member.roundtable_id, with_cancelled=True)
    if upcoming:
        db.session.execute(delete(Attendance).where(
            Attendance.user_id == member.user_id, Attendance.meeting_id.in_(upcoming)))


def _require_status(member: RoundtableMember, status: str) -> None:
    """Refuse a step that does not fit the seat's state."""
    if member.status != status:
        raise MemberError("wrong_status")


def _is_last_secretariat(member: RoundtableMember) -> bool:
    """True when the seat is the roundtable's only active secretariat seat."""
    if not (member.secretariat and member.status == "active"):
        return False
    others = db.session.scalar(
        select(func.count(RoundtableMember.id)).where(
            RoundtableMember.roundtable_id == member.roundtable_id,
            RoundtableMember.id != member.id, RoundtableMember.secretariat,
            RoundtableMember.status == "active",
        )
    )
    return not others
