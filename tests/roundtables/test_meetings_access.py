"""Every meeting and calendar URL checks rights on the server, for each kind of visitor.

Internal pages send anonymous visitors to the login page and members who are not approved to
their status page; a meeting of a roundtable the visitor may not see is a 404, managing it
without being its secretariat, the country's coordinator or an admin a 403. The private feed
answers to its secret address alone; the public calendar to anyone."""

from __future__ import annotations

import pytest
from flask import g

from app.extensions import db
from app.roundtables.services import calendar, meetings
from tests.fixtures.roundtables import VISITORS

OK, MOVED = 200, 302
LOGIN, STATUS = "login", "status"
INTERNAL = (LOGIN, STATUS)
SEE = (*INTERNAL, 404, OK, OK, 404, OK, OK)
MANAGE_GET = (*INTERNAL, 404, 403, OK, 404, OK, OK)
MANAGE_POST = (*INTERNAL, 404, 403, MOVED, 404, MOVED, MOVED)
MEETING_FORM = {"title": "Plan", "kind": "meeting", "language": "de", "day": "2099-05-05",
                "start_time": "10:00", "end_time": "11:00", "timezone": "Europe/Berlin",
                "place": "Hall"}

# (name, method, url template, form data, expected for the VISITORS in their order)
ROUTES = [
    ("new meeting form", "GET", "/en/roundtables/{rt}/meetings/new", {}, MANAGE_GET),
    ("plan meeting", "POST", "/en/roundtables/{rt}/meetings/new", MEETING_FORM, MANAGE_POST),
    ("meeting page", "GET", "/en/roundtables/meetings/{meeting}", {}, SEE),
    ("missing meeting", "GET", "/en/roundtables/meetings/999999", {},
     (*INTERNAL, 404, 404, 404, 404, 404, 404)),
    ("meeting ics", "GET", "/en/roundtables/meetings/{meeting}.ics", {}, SEE),
    ("edit form", "GET", "/en/roundtables/meetings/{meeting}/edit", {}, MANAGE_GET),
    ("edit meeting", "POST", "/en/roundtables/meetings/{meeting}/edit", MEETING_FORM,
     MANAGE_POST),
    ("cancel meeting", "POST", "/en/roundtables/meetings/{meeting}/cancel", {}, MANAGE_POST),
    ("answer invitation", "POST", "/en/roundtables/meetings/{meeting}/attendance",
     {"status": "confirmed"}, (*INTERNAL, 404, MOVED, MOVED, 404, 403, 403)),
    ("record attendance", "POST", "/en/roundtables/meetings/{meeting}/attendance/record",
     {"attended": "{member}"}, MANAGE_POST),
    ("add agenda point", "POST", "/en/roundtables/meetings/{meeting}/agenda",
     {"title": "Point", "owner": ""}, MANAGE_POST),
    ("remove agenda point", "POST", "/en/roundtables/meetings/{meeting}/agenda/{item}/delete",
     {}, MANAGE_POST),
    ("move agenda point", "POST", "/en/roundtables/meetings/{meeting}/agenda/{item}/move",
     {"direction": "up"}, MANAGE_POST),
    ("minutes form", "GET", "/en/roundtables/meetings/{meeting}/minutes", {}, MANAGE_GET),
    ("save minutes", "POST", "/en/roundtables/meetings/{meeting}/minutes",
     {"minutes": "Notes"}, MANAGE_POST),
    ("add decision", "POST", "/en/roundtables/meetings/{meeting}/decisions",
     {"text": "Agreed"}, MANAGE_POST),
    ("delete decision", "POST",
     "/en/roundtables/meetings/{meeting}/decisions/{decision}/delete", {}, MANAGE_POST),
    ("feed page", "GET", "/en/roundtables/calendar/feed", {},
     (*INTERNAL, OK, OK, OK, OK, OK, OK)),
    ("make feed", "POST", "/en/roundtables/calendar/feed", {},
     (*INTERNAL, OK, OK, OK, OK, OK, OK)),
    ("revoke feed", "POST", "/en/roundtables/calendar/feed/revoke", {},
     (*INTERNAL, MOVED, MOVED, MOVED, MOVED, MOVED, MOVED)),
    ("feed by token", "GET", "/en/roundtables/calendar/{token}.ics", {}, (OK,) * 8),
    ("unknown feed token", "GET", "/en/roundtables/calendar/nothing-here.ics", {},
     (404,) * 8),
    ("public calendar", "GET", "/en/roundtables/calendar", {}, (OK,) * 8),
]


@pytest.fixture
def world(app, roundtable_world, make_meeting):
    """roundtable_world with CSRF off, and fresh meeting objects for each visitor."""
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about rights, not tokens
    roundtable = roundtable_world["roundtable"]
    people = roundtable_world["people"]

    def fresh() -> dict:
        meeting = make_meeting(roundtable)
        meetings.add_agenda_item(meeting, "First", None, None)
        second = meetings.add_agenda_item(meeting, "Second", None, None)
        decision = meetings.add_decision(meeting, "Agreed", people["secretariat"])
        token = calendar.reset_feed(people["member"])
        db.session.commit()
        return {"rt": roundtable.id, "meeting": meeting.id, "item": second.id,
                "decision": decision.id, "token": token, "member": people["member"].id}

    return people, fresh


@pytest.mark.parametrize("name,method,url,data,expected", ROUTES, ids=[r[0] for r in ROUTES])
def test_every_meeting_route_answers_each_visitor_rightly(
    client, act_as, world, name, method, url, data, expected
):
    people, fresh = world
    for visitor, answer in zip(VISITORS, expected, strict=True):
        ids = fresh()
        _become(client, act_as, people[visitor])
        payload = {key: value.format(**ids) for key, value in data.items()}
        response = client.open(url.format(**ids), method=method, data=payload)
        _check(response, answer, f"{name} as {visitor}")


def _become(client, act_as, user) -> None:
    """Log in as the user, or log out for the anonymous visitor."""
    if user is not None:
        act_as(user)
        return
    with client.session_transaction() as session:
        session.clear()
    g.pop("_login_user", None)


def _check(response, expected, label: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, label
        assert "/login" in response.location, label
    elif expected == STATUS:
        assert response.status_code == 302, label
        assert "/account/status" in response.location, label
    else:
        assert response.status_code == expected, label
