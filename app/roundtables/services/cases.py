"""ARENA cases a roundtable adopted for joint response, and joint evaluations."""

from __future__ import annotations

from sqlalchemy import select

from app.arena.models import Case
from app.extensions import db
from app.roundtables.models import AdoptedCase, Roundtable


def adopted_cases(roundtable: Roundtable) -> list[Case]:
    """The ARENA cases the roundtable adopted, the most recently adopted first."""
    return list(db.session.scalars(
        select(Case).join(AdoptedCase, AdoptedCase.case_id == Case.id)
        .where(AdoptedCase.roundtable_id == roundtable.id)
        .order_by(AdoptedCase.created_at.desc(), AdoptedCase.id.desc())
    ))
