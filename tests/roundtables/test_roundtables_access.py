"""Every route of roundtables and their membership checks rights on the server, for each of
the eight kinds of visitor (a fresh world per route and visitor, since many routes change it)."""

from __future__ import annotations

import pytest
from flask import g

from app.extensions import db
from app.roundtables.access import membership
from tests.fixtures.roundtables import VISITORS, seat

OK, MOVED, BAD = 200, 302, 400
ROUNDTABLE = {"name": "Neukölln", "city": "Berlin", "languages": "de", "description": "Hi"}
SEAT = {"agency": "police", "organisation": "Polizei"}
CONTACT = {"name": "Anna", "email": "anna@example.org", "message": "Hello"}

# (name, method, url, data, expected for other_member, member, secretariat, other_coordinator,
# coordinator, admin); anonymous visitors go to login, pending ones to their status page,
# except on the public profile.
ROUTES = [
    ("list", "GET", "/en/roundtables/", {}, (OK, OK, OK, OK, OK, OK)),
    ("new form", "GET", "/en/roundtables/new", {}, (403, 403, 403, OK, OK, OK)),
    ("create", "POST", "/en/roundtables/new",
     {**ROUNDTABLE, "country": "DE", "secretariat": "{member_user}"},
     (403, 403, 403, BAD, MOVED, MOVED)),
    ("page", "GET", "/en/roundtables/{rt}", {}, (404, OK, OK, 404, OK, OK)),
    ("missing", "GET", "/en/roundtables/999999", {}, (404, 404, 404, 404, 404, 404)),
    ("edit form", "GET", "/en/roundtables/{rt}/edit", {}, (404, 403, OK, 404, OK, OK)),
    ("edit", "POST", "/en/roundtables/{rt}/edit", ROUNDTABLE,
     (404, 403, MOVED, 404, MOVED, MOVED)),
    ("members", "GET", "/en/roundtables/{rt}/members", {}, (404, OK, OK, 404, OK, OK)),
    ("invite", "POST", "/en/roundtables/{rt}/members/invite", {**SEAT, "member": "{outsider}"},
     (404, 403, MOVED, 404, MOVED, MOVED)),
    # An accepted invitation's notification leads active members to the roundtable.
    ("invitation", "GET", "/en/roundtables/{rt}/invitation", {},
     (404, MOVED, MOVED, 404, 404, 404)),
    ("accept invitation", "POST", "/en/roundtables/{rt}/invitation/accept", SEAT, (404,) * 6),
    ("decline invitation", "POST", "/en/roundtables/{rt}/invitation/decline", {}, (404,) * 6),
    ("join form", "GET", "/en/roundtables/{rt}/join", {}, (OK, 404, 404, 404, OK, 404)),
    ("join", "POST", "/en/roundtables/{rt}/join", SEAT, (MOVED, 404, 404, 404, MOVED, 404)),
    ("accept request", "POST", "/en/roundtables/{rt}/members/{request}/accept", {},
     (404, 403, MOVED, 404, MOVED, MOVED)),
    ("decline request", "POST", "/en/roundtables/{rt}/members/{request}/decline", {},
     (404, 403, MOVED, 404, MOVED, MOVED)),
    ("request of another", "POST", "/en/roundtables/{rt}/members/{elsewhere}/accept", {},
     (404, 403, 404, 404, 404, 404)),
    ("remove", "POST", "/en/roundtables/{rt}/members/{peer}/remove", {},
     (404, 403, MOVED, 404, MOVED, MOVED)),
    ("secretariat", "POST", "/en/roundtables/{rt}/members/{peer}/secretariat", {},
     (404, 403, MOVED, 404, MOVED, MOVED)),
    ("edit seat form", "GET", "/en/roundtables/{rt}/members/{peer}/edit", {},
     (404, 403, OK, 404, OK, OK)),
    ("edit seat", "POST", "/en/roundtables/{rt}/members/{peer}/edit", SEAT,
     (404, 403, MOVED, 404, MOVED, MOVED)),
    ("edit own seat", "POST", "/en/roundtables/{rt}/members/{member_seat}/edit", SEAT,
     (404, MOVED, MOVED, 404, MOVED, MOVED)),
    ("edit seat elsewhere", "GET", "/en/roundtables/{rt}/members/{elsewhere}/edit", {},
     (404, 404, 404, 404, 404, 404)),
    ("meetings", "GET", "/en/roundtables/{rt}/meetings", {}, (404, OK, OK, 404, OK, OK)),
    ("meetings elsewhere", "GET", "/en/roundtables/{other}/meetings", {},
     (OK, 404, 404, 404, OK, OK)),
    ("leave", "POST", "/en/roundtables/{rt}/leave", {}, (404, MOVED, MOVED, 404, 404, 404)),
]
PUBLIC_ROUTES = [
    ("profile", "GET", "/en/roundtables/{rt}/profile", {}, OK),
    ("profile off", "GET", "/en/roundtables/{other}/profile", {}, 404),
    ("contact", "POST", "/en/roundtables/{rt}/profile/contact", CONTACT, MOVED),
    ("contact off", "POST", "/en/roundtables/{other}/profile/contact", CONTACT, 404),
]


@pytest.fixture
def world(app, roundtable_world, make_user):
    """roundtable_world with a public profile, an outsider to invite, a peer member, a request
    to join, an invitation of someone else, and a request at the other roundtable."""
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about rights, not tokens
    roundtable, other = roundtable_world["roundtable"], roundtable_world["other"]
    roundtable.public_profile = True
    peer = seat(roundtable, make_user(country="DE"), agency="health")
    request = seat(roundtable, make_user(country="DE"), status="requested")
    seat(roundtable, make_user(country="DE"), status="invited")
    elsewhere = seat(other, make_user(country="DE"), status="requested")
    db.session.commit()
    ids = {"rt": roundtable.id, "other": other.id, "outsider": make_user(country="DE").id,
           "peer": peer.id, "request": request.id, "elsewhere": elsewhere.id,
           "member_user": roundtable_world["people"]["member"].id,
           "member_seat": membership(roundtable_world["people"]["member"], roundtable).id}
    return roundtable_world["people"], ids


def _visit(client, act_as, people, role, method, url, data, ids):
    """Open the URL as `role` (anonymous: no session at all)."""
    if people[role] is None:
        with client.session_transaction() as session:
            session.clear()
        g.pop("_login_user", None)
    else:
        act_as(people[role])
    payload = {key: value.format(**ids) for key, value in data.items()}
    return client.open(url.format(**ids), method=method, data=payload)


@pytest.mark.parametrize("role", VISITORS)
@pytest.mark.parametrize("name,method,url,data,expected", ROUTES, ids=[r[0] for r in ROUTES])
def test_internal_route_answers_each_visitor_rightly(client, act_as, world, role, name, method,
                                                     url, data, expected):
    people, ids = world
    answers = dict(zip(VISITORS, ("login", "status", *expected), strict=True))
    response = _visit(client, act_as, people, role, method, url, data, ids)
    if answers[role] == "login":
        assert "/login" in response.location
    elif answers[role] == "status":
        assert "/account/status" in response.location
    else:
        assert response.status_code == answers[role]


@pytest.mark.parametrize("role", VISITORS)
@pytest.mark.parametrize("name,method,url,data,expected", PUBLIC_ROUTES,
                         ids=[r[0] for r in PUBLIC_ROUTES])
def test_public_route_answers_everyone_alike(client, act_as, world, role, name, method, url,
                                             data, expected):
    people, ids = world
    response = _visit(client, act_as, people, role, method, url, data, ids)
    assert response.status_code == expected


def test_the_invitee_alone_opens_the_invitation(client, act_as, world, make_user):
    people, ids = world
    from app.roundtables.models import RoundtableMember

    invited = db.session.scalar(db.select(RoundtableMember).filter_by(status="invited"))
    act_as(invited.user)
    assert client.get(f"/en/roundtables/{ids['rt']}/invitation").status_code == OK
