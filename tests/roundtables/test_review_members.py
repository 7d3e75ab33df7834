"""Review fixes for seats: new members join the meetings already planned, leavers drop out of
the upcoming ones, seats can be corrected, and the notification sentences and links."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app.arena.models import Notification
from app.arena.services.notifications import describe
from app.extensions import db
from app.roundtables import access
from app.roundtables.models import Attendance
from app.roundtables.services import members
from app.roundtables.services.members import Seat
from tests.fixtures.roundtables import seat


@pytest.fixture
def table(make_roundtable, make_user, make_meeting):
    """A DE roundtable (secretary, member), a past, two upcoming and one cancelled meeting."""
    from app.accounts.models import utcnow

    boss = make_user(country="DE", name="Sabine Sekretariat")
    member = make_user(country="DE", name="Moritz Mitglied")
    roundtable = make_roundtable(secretariat=[boss], members=[member], name="Neukölln")
    meetings = {"past": make_meeting(roundtable, days=-7), "next": make_meeting(roundtable),
                "later": make_meeting(roundtable, days=14),
                "cancelled": make_meeting(roundtable, days=3, cancelled_at=utcnow())}
    return roundtable, boss, member, meetings


def _pending(roundtable, user, status: str = "invited"):
    """A committed invitation or request of the user."""
    member = seat(roundtable, user, status=status)
    db.session.commit()
    return member


def _invited_to(user) -> set[int]:
    return set(db.session.scalars(select(Attendance.meeting_id).where(
        Attendance.user_id == user.id)))


def _notes(user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).filter_by(user_id=user.id)))


def test_accepted_invitation_invites_to_the_upcoming_meetings(table, make_user):
    roundtable, _boss, _member, meetings = table
    newcomer = make_user(country="DE")
    members.accept_invitation(_pending(roundtable, newcomer), Seat("police"))
    db.session.commit()
    assert _invited_to(newcomer) == {meetings["next"].id, meetings["later"].id}


def test_joining_sends_one_notification_with_the_count(table, make_user):
    roundtable, _boss, _member, _meetings = table
    newcomer = make_user(country="DE")
    members.accept_invitation(_pending(roundtable, newcomer), Seat("police"))
    db.session.commit()
    [note] = _notes(newcomer)
    assert note.params == {"event": "meetings_added", "name": "Neukölln", "count": 2}


def test_the_notification_says_how_many_meetings(table, make_user):
    note = Notification(kind="roundtable",
                        params={"event": "meetings_added", "name": "Neukölln", "count": 2})
    with force_locale("en"):
        assert describe(note) == "Neukölln: you are invited to 2 upcoming meetings"


def test_accepted_request_invites_to_the_upcoming_meetings(table, make_user):
    roundtable, _boss, _member, meetings = table
    asker = make_user(country="DE")
    members.accept_request(_pending(roundtable, asker, "requested"))
    db.session.commit()
    assert _invited_to(asker) == {meetings["next"].id, meetings["later"].id}


def test_no_meeting_planned_means_no_extra_notification(make_roundtable, make_user):
    roundtable = make_roundtable()
    newcomer = make_user(country="DE")
    members.accept_invitation(_pending(roundtable, newcomer), Seat("police"))
    db.session.commit()
    assert _notes(newcomer) == []


def test_a_removed_member_keeps_past_attendance_only(table):
    roundtable, _boss, member, meetings = table
    members.remove(access.membership(member, roundtable))
    db.session.commit()
    assert _invited_to(member) == {meetings["past"].id}


def test_a_member_who_leaves_drops_out_of_the_next_meeting(table, client, act_as, post_form):
    roundtable, _boss, member, meetings = table
    act_as(member)
    post_form(f"/en/roundtables/{roundtable.id}", {},
              action=f"/en/roundtables/{roundtable.id}/leave")
    assert meetings["next"].id not in _invited_to(member)


# Edit seat --------------------------------------------------------------------------------


def _edit_url(roundtable, user) -> str:
    return f"/en/roundtables/{roundtable.id}/members/{access.membership(user, roundtable).id}/edit"


def test_secretariat_corrects_a_members_seat(table, act_as, post_form):
    roundtable, boss, member, _meetings = table
    act_as(boss)
    response = post_form(_edit_url(roundtable, member),
                         {"agency": "police", "organisation": "Polizei Berlin", "mandated": "y"})
    assert response.status_code == 302
    assert access.membership(member, roundtable).agency == "police"


def test_a_member_corrects_their_own_seat(table, act_as, post_form):
    roundtable, _boss, member, _meetings = table
    act_as(member)
    post_form(_edit_url(roundtable, member), {"agency": "health", "organisation": "Klinik"})
    assert access.membership(member, roundtable).organisation == "Klinik"


def test_a_member_may_not_edit_anothers_seat(table, act_as, client):
    roundtable, boss, member, _meetings = table
    act_as(member)
    assert client.get(_edit_url(roundtable, boss)).status_code == 403


def test_seat_errors_answer_400_and_keep_the_text(table, act_as, post_form):
    roundtable, boss, member, _meetings = table
    act_as(boss)
    response = post_form(_edit_url(roundtable, member),
                         {"agency": "", "organisation": "Jugendamt Neukölln"})
    assert response.status_code == 400
    assert 'value="Jugendamt Neukölln"' in response.text


def test_members_page_offers_edit_seat_to_managers(table, act_as, client):
    roundtable, boss, member, _meetings = table
    act_as(boss)
    html = client.get(f"/en/roundtables/{roundtable.id}/members").text
    assert f'href="{_edit_url(roundtable, member)}"' in html


def test_members_page_offers_a_member_their_own_seat(table, act_as, client):
    roundtable, _boss, member, _meetings = table
    act_as(member)
    html = client.get(f"/en/roundtables/{roundtable.id}/members").text
    assert f'href="{_edit_url(roundtable, member)}"' in html


def test_roundtable_page_hints_managers_at_seats_without_agency(table, act_as, client):
    roundtable, boss, _member, _meetings = table
    access.membership(boss, roundtable).agency = "other"
    db.session.commit()
    act_as(boss)
    html = client.get(f"/en/roundtables/{roundtable.id}").text
    assert "Some members have no agency yet: edit their seat" in html


def test_roundtable_page_has_no_hint_when_every_seat_has_an_agency(table, act_as, client):
    roundtable, boss, _member, _meetings = table
    act_as(boss)
    html = client.get(f"/en/roundtables/{roundtable.id}").text
    assert "Some members have no agency yet" not in html


# Notifications ----------------------------------------------------------------------------


@pytest.mark.parametrize("event,params,sentence", [
    ("invited", {}, "You are invited to join Neukölln"),
    ("join_request", {"member": "Ana"}, "Ana asks to join Neukölln"),
    ("request_accepted", {}, "You are now a member of Neukölln"),
])
def test_sentences_do_not_put_roundtable_before_the_name(event, params, sentence):
    note = Notification(kind="roundtable", params={"event": event, "name": "Neukölln", **params})
    with force_locale("en"):
        assert describe(note) == sentence


def test_an_accepted_invitations_notification_leads_to_the_roundtable(table, act_as, client):
    roundtable, _boss, member, _meetings = table
    act_as(member)
    response = client.get(f"/en/roundtables/{roundtable.id}/invitation")
    assert response.location.endswith(f"/en/roundtables/{roundtable.id}")


def test_a_meeting_notification_opens_the_meeting(table, make_user, act_as, post_form):
    roundtable, _boss, _member, meetings = table
    newcomer = make_user(country="DE")
    members.accept_invitation(_pending(roundtable, newcomer), Seat("police"))
    db.session.commit()
    [note] = _notes(newcomer)
    act_as(newcomer)
    response = post_form("/en/arena/notifications", {},
                         action=f"/en/arena/notifications/{note.id}")
    assert response.location.endswith(f"/en/roundtables/{roundtable.id}/meetings")
