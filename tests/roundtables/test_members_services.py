"""Seats at a roundtable: invitations, requests, the secretariat rule, and who is notified."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from app.arena.models import Notification
from app.arena.services.notifications import describe
from app.arena.views.helpers import commit
from app.extensions import db
from app.roundtables import access
from app.roundtables.services import members
from app.roundtables.services.members import MemberError, Seat
from tests.fixtures.roundtables import seat


def _notes(user, event: str) -> list[Notification]:
    return [n for n in db.session.scalars(db.select(Notification).filter_by(user_id=user.id))
            if n.params.get("event") == event]


@pytest.fixture
def table(make_roundtable, make_user):
    """A DE roundtable with one secretariat member."""
    boss = make_user(country="DE", language="de")
    return make_roundtable(secretariat=[boss], name="Mitte"), boss


def test_invite_makes_an_invited_seat(table, make_user):
    roundtable, boss = table
    guest = make_user(country="DE")
    seat_ = members.invite(roundtable, guest, boss, Seat("police", "", True))
    assert seat_.status == "invited"


def test_invite_defaults_to_the_members_organisation(table, make_user):
    roundtable, boss = table
    guest = make_user(country="DE", organisation="Jugendamt")
    assert members.invite(roundtable, guest, boss, Seat("youth_work")).organisation == "Jugendamt"


def test_invite_notifies_the_invitee(table, make_user):
    roundtable, boss = table
    guest = make_user(country="DE")
    members.invite(roundtable, guest, boss, Seat("police"))
    assert [n.endpoint for n in _notes(guest, "invited")] == ["roundtables.view_invitation"]


def test_invitation_mail_speaks_the_members_language(table, make_user, run_jobs_now, outbox):
    roundtable, boss = table
    guest = make_user(country="DE", language="de")
    members.invite(roundtable, guest, boss, Seat("police"))
    commit()
    run_jobs_now()
    mail = next(m for m in outbox if m.to == guest.email)
    assert f"/de/roundtables/{roundtable.id}/invitation" in mail.body


def test_unknown_events_get_a_generic_sentence(app):
    note = Notification(kind="roundtable", params={"event": "new_thing", "name": "Mitte"})
    with force_locale("en"):
        assert describe(note) == "News from Mitte"


def test_invite_refuses_another_country(table, make_user):
    roundtable, boss = table
    with pytest.raises(MemberError, match="not_eligible"):
        members.invite(roundtable, make_user(country="PL"), boss, Seat("police"))


def test_invite_refuses_a_seated_member(table):
    roundtable, boss = table
    with pytest.raises(MemberError, match="already_seated"):
        members.invite(roundtable, boss, boss, Seat("police"))


def test_accepting_an_invitation_activates_the_seat_with_corrections(table, make_user):
    roundtable, boss = table
    seat_ = members.invite(roundtable, make_user(country="DE"), boss, Seat("police"))
    members.accept_invitation(seat_, Seat("health", "Klinik", True))
    assert (seat_.status, seat_.agency, seat_.organisation, seat_.mandated) == (
        "active", "health", "Klinik", True)


def test_declining_an_invitation_removes_the_seat(table, make_user):
    roundtable, boss = table
    guest = make_user(country="DE")
    members.decline(members.invite(roundtable, guest, boss, Seat("police")), "invited")
    assert access.membership(guest, roundtable) is None


def test_accepting_a_request_twice_is_refused(table, make_user):
    roundtable, _boss = table
    seat_ = members.ask_to_join(roundtable, make_user(country="DE"), Seat("school"))
    members.accept_request(seat_)
    with pytest.raises(MemberError, match="wrong_status"):
        members.accept_request(seat_)


def test_a_request_notifies_the_secretariat(table, make_user):
    roundtable, boss = table
    members.ask_to_join(roundtable, make_user(country="DE", name="Jana"), Seat("school"))
    assert [n.params["member"] for n in _notes(boss, "join_request")] == ["Jana"]


def test_accepting_a_request_notifies_the_member(table, make_user):
    roundtable, _boss = table
    asker = make_user(country="DE")
    members.accept_request(members.ask_to_join(roundtable, asker, Seat("school")))
    assert len(_notes(asker, "request_accepted")) == 1


def test_a_member_of_another_country_cannot_ask(table, make_user):
    roundtable, _boss = table
    with pytest.raises(MemberError, match="not_eligible"):
        members.ask_to_join(roundtable, make_user(country="HU"), Seat("school"))


def test_the_last_secretariat_member_cannot_be_removed(table):
    roundtable, boss = table
    with pytest.raises(MemberError, match="last_secretariat"):
        members.remove(access.membership(boss, roundtable))


def test_the_last_secretariat_role_cannot_be_withdrawn(table):
    roundtable, boss = table
    with pytest.raises(MemberError, match="last_secretariat"):
        members.toggle_secretariat(access.membership(boss, roundtable))


def test_a_second_secretariat_member_lets_the_first_go(table, make_user):
    roundtable, boss = table
    second = seat(roundtable, make_user(country="DE"))
    db.session.flush()
    members.toggle_secretariat(second)
    members.remove(access.membership(boss, roundtable))
    assert [u.id for u in members.secretariat(roundtable)] == [second.user_id]


def test_an_invitation_does_not_count_as_secretariat(table, make_user):
    roundtable, boss = table
    invited = seat(roundtable, make_user(country="DE"), status="invited", secretariat=True)
    db.session.flush()
    assert invited.user_id not in [u.id for u in members.secretariat(roundtable)]


def test_directory_hides_pending_seats_unless_asked(table, make_user):
    roundtable, _boss = table
    seat(roundtable, make_user(country="DE"), status="requested")
    db.session.flush()
    assert len(members.directory(roundtable)) == 1


def test_directory_shows_pending_seats_to_managers(table, make_user):
    roundtable, _boss = table
    seat(roundtable, make_user(country="DE"), status="requested")
    db.session.flush()
    assert len(members.directory(roundtable, with_pending=True)) == 2


def test_invitable_members_are_of_the_country_without_seat(table, make_user):
    roundtable, _boss = table
    free = make_user(country="DE")
    make_user(country="PL")
    make_user(country="DE", status="pending")
    assert [u.id for u in members.invitable(roundtable)] == [free.id]
