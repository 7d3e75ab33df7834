"""Roundtables themselves: creation, Markdown, stakeholder mapping, the lists people see."""

from __future__ import annotations

from app.extensions import db
from app.roundtables.choices import MAPPED_AGENCIES
from app.roundtables.services import roundtables
from app.roundtables.services.roundtables import RoundtableFields
from tests.fixtures.roundtables import seat

FIELDS = RoundtableFields(name=" Mitte ", city="Berlin", languages=["de"],
                          description="**Hi** <script>x</script>")


def test_create_seats_the_chosen_secretariat(make_user):
    coordinator, chosen = make_user(role="coordinator"), make_user()
    roundtable = roundtables.create_roundtable(coordinator, "DE", FIELDS, [chosen])
    assert [(m.user_id, m.secretariat, m.status) for m in roundtable.memberships] == [
        (chosen.id, True, "active")]


def test_the_creator_gets_no_seat_unless_chosen(make_user):
    coordinator = make_user(role="coordinator")
    roundtable = roundtables.create_roundtable(coordinator, "DE", FIELDS, [make_user()])
    assert coordinator.id not in [m.user_id for m in roundtable.memberships]


def test_description_is_sanitised_markdown(make_user):
    roundtable = roundtables.create_roundtable(make_user(role="admin"), "DE", FIELDS,
                                               [make_user()])
    assert "<script>" not in roundtable.description_html


def test_description_markdown_is_rendered(make_user):
    roundtable = roundtables.create_roundtable(make_user(role="admin"), "DE", FIELDS,
                                               [make_user()])
    assert "<strong>Hi</strong>" in roundtable.description_html


def test_name_is_trimmed(make_user):
    roundtable = roundtables.create_roundtable(make_user(role="admin"), "DE", FIELDS,
                                               [make_user()])
    assert roundtable.name == "Mitte"


def test_missing_agencies_leave_out_those_present(make_roundtable, make_user):
    roundtable = make_roundtable()  # its secretariat sits for "school"
    seat(roundtable, make_user(), agency="police")
    db.session.commit()
    assert roundtables.missing_agencies(roundtable) == [
        a for a in MAPPED_AGENCIES if a not in ("school", "police")]


def test_pending_seats_do_not_count_as_present(make_roundtable, make_user):
    roundtable = make_roundtable()
    seat(roundtable, make_user(), agency="health", status="invited")
    db.session.commit()
    assert "health" in roundtables.missing_agencies(roundtable)


def test_other_is_never_missing(make_roundtable):
    assert "other" not in roundtables.missing_agencies(make_roundtable())


def test_joinable_lists_country_roundtables_without_a_seat(make_roundtable, make_user):
    mine, free = make_roundtable(name="Mine"), make_roundtable(name="Free")
    make_roundtable(country="PL", name="Elsewhere")
    asked = make_roundtable(name="Asked")
    user = make_user()
    seat(mine, user)
    seat(asked, user, status="requested")
    db.session.commit()
    assert [r.id for r in db.session.scalars(roundtables.joinable_roundtables(user))] == [free.id]


def test_joinable_is_empty_for_a_coordinator_who_sees_them_all(make_roundtable, make_user):
    make_roundtable()
    coordinator = make_user(role="coordinator")
    assert list(db.session.scalars(roundtables.joinable_roundtables(coordinator))) == []
