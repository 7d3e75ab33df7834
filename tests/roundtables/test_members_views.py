"""The member directory, invitations, requests to join and leaving, as users see them."""

from __future__ import annotations

import pytest

from app.arena.models import Notification
from app.extensions import db
from app.roundtables import access
from tests.fixtures.app import counted_statements
from tests.fixtures.roundtables import seat


@pytest.fixture
def table(make_roundtable, make_user):
    """A DE roundtable with a secretariat member (Sabine) and a member (Moritz)."""
    boss = make_user(country="DE", name="Sabine Sekretariat")
    member = make_user(country="DE", name="Moritz Mitglied")
    return make_roundtable(secretariat=[boss], members=[member]), boss, member


@pytest.fixture
def guest(table, act_as, make_user):
    """A logged-in DE member invited to the roundtable by its secretariat member."""
    roundtable, boss, _member = table
    user = make_user(country="DE")
    seat(roundtable, user, status="invited").invited_by_id = boss.id
    db.session.commit()
    act_as(user)
    return user


def test_invite_notifies_the_invitee(table, act_as, make_user, post_form):
    roundtable, boss, _member = table
    guest = make_user(country="DE", language="pl")
    act_as(boss)
    url = f"/en/roundtables/{roundtable.id}/members"
    post_form(url, {"member": guest.id, "agency": "police", "organisation": ""},
              action=url + "/invite")
    note = db.session.scalar(db.select(Notification).filter_by(user_id=guest.id))
    assert note.params == {"event": "invited", "name": roundtable.name}


def test_invite_errors_answer_400_and_keep_the_text(table, act_as, make_user, post_form):
    roundtable, boss, _member = table
    make_user(country="DE")  # someone to invite, so the form is there
    act_as(boss)
    url = f"/en/roundtables/{roundtable.id}/members"
    response = post_form(url, {"member": "", "agency": "police", "organisation": "Polizei"},
                         action=url + "/invite")
    assert response.status_code == 400
    assert 'value="Polizei"' in response.text


def test_invitation_page_names_who_invited(table, guest, client):
    roundtable, _boss, _member = table
    assert "Sabine Sekretariat invited you" in client.get(
        f"/en/roundtables/{roundtable.id}/invitation").text


def test_accepting_the_invitation_corrects_the_seat(table, guest, post_form):
    roundtable, _boss, _member = table
    url = f"/en/roundtables/{roundtable.id}/invitation"
    post_form(url, {"agency": "health", "organisation": "Klinik", "mandated": "y"},
              action=url + "/accept")
    mine = access.membership(guest, roundtable)
    assert (mine.status, mine.agency, mine.organisation, mine.mandated) == (
        "active", "health", "Klinik", True)


def test_accepting_with_a_bad_agency_answers_400_and_keeps_the_text(table, guest, post_form):
    roundtable, _boss, _member = table
    url = f"/en/roundtables/{roundtable.id}/invitation"
    response = post_form(url, {"agency": "army", "organisation": "Klinik"},
                         action=url + "/accept")
    assert response.status_code == 400
    assert 'value="Klinik"' in response.text


def test_asking_to_join_notifies_the_secretariat(table, act_as, make_user, post_form):
    roundtable, boss, _member = table
    act_as(make_user(country="DE", name="Jana Neu"))
    post_form(f"/en/roundtables/{roundtable.id}/join", {"agency": "school"})
    note = db.session.scalar(db.select(Notification).filter_by(user_id=boss.id))
    assert note.params["member"] == "Jana Neu"


def test_the_last_secretariat_member_cannot_leave(table, act_as, post_form):
    roundtable, boss, _member = table
    act_as(boss)
    response = post_form(f"/en/roundtables/{roundtable.id}", {},
                         action=f"/en/roundtables/{roundtable.id}/leave", follow_redirects=True)
    assert "A roundtable always needs at least one secretariat member" in response.text


def test_a_member_can_leave(table, act_as, post_form):
    roundtable, _boss, member = table
    act_as(member)
    post_form(f"/en/roundtables/{roundtable.id}", {},
              action=f"/en/roundtables/{roundtable.id}/leave")
    assert access.membership(member, roundtable) is None


def test_removing_the_last_secretariat_is_refused(table, act_as, make_user, post_form):
    roundtable, boss, _member = table
    act_as(make_user(role="coordinator", country="DE"))
    boss_seat = access.membership(boss, roundtable)
    url = f"/en/roundtables/{roundtable.id}/members"
    response = post_form(url, {}, action=f"{url}/{boss_seat.id}/remove", follow_redirects=True)
    assert "A roundtable always needs at least one secretariat member" in response.text


def test_a_button_without_its_token_changes_nothing(table, act_as, client):
    roundtable, boss, member = table
    act_as(boss)
    member_seat = access.membership(member, roundtable)
    response = client.post(f"/en/roundtables/{roundtable.id}/members/{member_seat.id}/remove")
    assert response.status_code == 400


def test_members_do_not_see_pending_requests(table, act_as, make_user, client):
    roundtable, _boss, member = table
    seat(roundtable, make_user(country="DE", name="Paula Pending"), status="requested")
    db.session.commit()
    act_as(member)
    assert "Paula Pending" not in client.get(f"/en/roundtables/{roundtable.id}/members").text


def test_managers_see_pending_requests(table, act_as, make_user, client):
    roundtable, boss, _member = table
    seat(roundtable, make_user(country="DE", name="Paula Pending"), status="requested")
    db.session.commit()
    act_as(boss)
    assert "Paula Pending" in client.get(f"/en/roundtables/{roundtable.id}/members").text


def test_directory_shows_who_sits_for_which_agency(table, act_as, client):
    roundtable, _boss, member = table
    act_as(member)
    html = client.get(f"/en/roundtables/{roundtable.id}/members").text
    assert '<td data-label="Name">Moritz Mitglied</td>' in html


def _directory_statements(client, roundtable) -> int:
    with counted_statements() as seen:
        client.get(f"/en/roundtables/{roundtable.id}/members")
    return len(seen)


def test_directory_queries_do_not_grow_with_members(table, act_as, make_user, client):
    roundtable, boss, _member = table
    act_as(boss)
    db.session.commit()  # both counts start from an expired session
    before = _directory_statements(client, roundtable)
    for _ in range(4):
        seat(roundtable, make_user(country="DE"), agency="police")
    db.session.commit()
    assert _directory_statements(client, roundtable) == before
