"""`flask dev demo-accounts` also creates one demo roundtable per country, once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.extensions import db
from app.roundtables.models import ActionItem, Meeting, Roundtable


def _meetings(roundtable: Roundtable) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(Meeting.roundtable_id == roundtable.id)))


def test_one_demo_roundtable_per_country(runner):
    runner.invoke(args=["dev", "demo-accounts"])
    countries = db.session.scalars(select(Roundtable.country)).all()
    assert sorted(countries) == ["DE", "HU", "PL", "RO"]


def test_running_twice_creates_no_second_set(runner):
    runner.invoke(args=["dev", "demo-accounts"])
    runner.invoke(args=["dev", "demo-accounts"])
    assert db.session.scalar(select(func.count(Roundtable.id))) == 4


def test_each_has_a_past_meeting_with_minutes_and_an_upcoming_one(runner):
    runner.invoke(args=["dev", "demo-accounts"])
    for roundtable in db.session.scalars(select(Roundtable)):
        meetings = sorted(_meetings(roundtable), key=lambda m: m.starts_at)
        assert len(meetings) == 2
        assert "<h2>" in meetings[0].minutes_html
        assert meetings[1].public


def test_demo_actions_include_one_overdue(runner):
    runner.invoke(args=["dev", "demo-accounts"])
    overdue = db.session.scalars(select(ActionItem).where(
        ActionItem.status == "open", ActionItem.due_on < date.today())).all()
    assert len(overdue) == 4


def test_demo_roundtable_leaves_agencies_missing(runner):
    from app.roundtables.choices import MAPPED_AGENCIES

    runner.invoke(args=["dev", "demo-accounts"])
    roundtable = db.session.scalars(select(Roundtable)).first()
    present = {seat.agency for seat in roundtable.memberships}
    assert set(MAPPED_AGENCIES) - present
