"""ARENA cases a roundtable adopted for joint response: adoption, release, and what the case
page shows of the roundtables working on it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.models import User
from app.arena.models import Case
from app.arena.services import cases as arena_cases
from app.arena.services.access import can_see_case, visible_cases
from app.extensions import db
from app.roundtables import access
from app.roundtables.models import ActionItem, AdoptedCase, AgendaItem, Meeting, Roundtable


class AdoptionError(ValueError):
    """A case the roundtable cannot adopt or release (the message key says which)."""


@dataclass
class CaseRoundtable:
    """One roundtable working on a case, as a viewer of the case page may see it: the agenda
    items and actions only for those who may open the roundtable."""

    roundtable: Roundtable
    visible: bool
    adopted: bool
    agenda: list[AgendaItem] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)


def adopted_cases(roundtable: Roundtable) -> list[Case]:
    """The ARENA cases the roundtable adopted, the most recently adopted first."""
    return list(db.session.scalars(
        select(Case).join(AdoptedCase, AdoptedCase.case_id == Case.id)
        .where(AdoptedCase.roundtable_id == roundtable.id)
        .order_by(AdoptedCase.created_at.desc(), AdoptedCase.id.desc())
    ))


def adoptable_cases(roundtable: Roundtable, actor: User, limit: int = 100) -> list[Case]:
    """Open cases of the roundtable's country the actor may see and the roundtable has not
    adopted yet, the newest first (at most `limit`)."""
    adopted = select(AdoptedCase.case_id).where(AdoptedCase.roundtable_id == roundtable.id)
    query = select(Case).where(Case.country == roundtable.country, Case.status != "closed",
                               Case.id.not_in(adopted))
    return list(db.session.scalars(
        visible_cases(actor, query).order_by(Case.created_at.desc(), Case.id.desc())
        .limit(limit)))


def adoption(roundtable: Roundtable, case_id: int) -> AdoptedCase | None:
    """The roundtable's adoption of the case, if any."""
    return db.session.scalar(select(AdoptedCase).where(
        AdoptedCase.roundtable_id == roundtable.id, AdoptedCase.case_id == case_id))


def adoptable_case(roundtable: Roundtable, actor: User, case_id: int) -> Case:
    """The case the actor may adopt for the roundtable; AdoptionError("missing") when it does
    not exist or the actor cannot see it, "country" for another country, "closed" for a closed
    case, "adopted" twice."""
    case = db.session.get(Case, case_id)
    if case is None or not can_see_case(actor, case):
        raise AdoptionError("missing")
    if case.country != roundtable.country:
        raise AdoptionError("country")
    if case.is_closed:
        raise AdoptionError("closed")
    if adoption(roundtable, case.id) is not None:
        raise AdoptionError("adopted")
    return case


def adopt_case(roundtable: Roundtable, actor: User, case_id: int) -> AdoptedCase:
    """Adopt a case of the roundtable's country; the case history says so."""
    case = adoptable_case(roundtable, actor, case_id)
    adopted = AdoptedCase(roundtable=roundtable, case_id=case.id, adopted_by_id=actor.id)
    db.session.add(adopted)
    arena_cases.record(case, actor, "roundtable_adopted", roundtable=roundtable.name)
    db.session.flush()
    return adopted


def release_case(roundtable: Roundtable, actor: User, case_id: int) -> None:
    """End the roundtable's joint response to a case (its actions and agenda items stay)."""
    adopted = adoption(roundtable, case_id)
    if adopted is None:
        raise AdoptionError("missing")
    case = db.session.get(Case, case_id)
    db.session.delete(adopted)
    if case is not None:
        arena_cases.record(case, actor, "roundtable_released", roundtable=roundtable.name)
    db.session.flush()


def closed_adopted_cases(roundtable: Roundtable) -> list[Case]:
    """The adopted cases that are closed (what a joint evaluation can look back on)."""
    return [case for case in adopted_cases(roundtable) if case.is_closed]


def case_roundtables(case: Case, viewer: User) -> list[CaseRoundtable]:
    """The roundtables that adopted the case or put it on an agenda or an action, as the
    viewer may see them (the case page asks this; the viewer already sees the case)."""
    adopted = set(db.session.scalars(
        select(AdoptedCase.roundtable_id).where(AdoptedCase.case_id == case.id)))
    agenda = list(db.session.scalars(
        select(AgendaItem).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.case_id == case.id).order_by(Meeting.starts_at, AgendaItem.position)))
    actions = list(db.session.scalars(
        select(ActionItem).where(ActionItem.case_id == case.id)
        .order_by(ActionItem.due_on, ActionItem.id)))
    ids = adopted | {item.meeting.roundtable_id for item in agenda}
    ids |= {action.roundtable_id for action in actions}
    found = []
    for roundtable in _roundtables(ids, case.country):
        visible = access.can_see(viewer, roundtable)
        found.append(CaseRoundtable(
            roundtable, visible, roundtable.id in adopted,
            [i for i in agenda if i.meeting.roundtable_id == roundtable.id] if visible else [],
            [a for a in actions if a.roundtable_id == roundtable.id] if visible else [],
        ))
    return found


def _roundtables(ids: set[int], country: str) -> list[Roundtable]:
    """The roundtables of the case's country among `ids`, by name."""
    if not ids:
        return []
    return list(db.session.scalars(
        select(Roundtable).where(Roundtable.id.in_(ids), Roundtable.country == country)
        .order_by(Roundtable.name, Roundtable.id)))
