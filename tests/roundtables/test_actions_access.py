"""Every route of actions, adopted cases and joint evaluations answers each visitor rightly.

Anonymous visitors go to the login page, members who are not approved to their status page;
to approved visitors who may not see the roundtable it does not exist (404); its members who
may not manage it get 403 for managing routes."""

from __future__ import annotations

from datetime import date

import pytest
from flask import g
from sqlalchemy import delete

from app.extensions import db
from app.library.models import ContentItem
from app.roundtables.models import ActionItem, AdoptedCase, Evaluation
from tests.fixtures.roundtables import VISITORS

OK, MOVED = 200, 302
APPROVED = VISITORS[2:]  # other_member, member, secretariat, other_coordinator, coordinator, admin
MANAGE = (404, 403, MOVED, 404, MOVED, MOVED)
MANAGE_PAGE = (404, 403, OK, 404, OK, OK)

# (name, method, url, form data, before each request, answers for the approved visitors)
ROUTES = [
    ("my actions", "GET", "/en/roundtables/actions", {}, None, (OK,) * 6),
    ("my closed actions", "GET", "/en/roundtables/actions?show=closed", {}, None, (OK,) * 6),
    ("add action", "POST", "/en/roundtables/{rt}/actions",
     {"title": "Call the school", "owner": "{member}", "due_on": "2030-01-31"}, None, MANAGE),
    ("missing roundtable action", "POST", "/en/roundtables/999999/actions",
     {"title": "x", "owner": "{member}", "due_on": "2030-01-31"}, None, (404,) * 6),
    ("action status", "POST", "/en/roundtables/actions/{action}/status",
     {"status": "done", "back": "mine"}, "reopen", (404, MOVED, MOVED, 404, MOVED, MOVED)),
    ("others' action status", "POST", "/en/roundtables/actions/{secretariat_action}/status",
     {"status": "done"}, "reopen", (404, 403, MOVED, 404, MOVED, MOVED)),
    ("missing action", "POST", "/en/roundtables/actions/999999/status",
     {"status": "done"}, None, (404,) * 6),
    ("adopt case", "POST", "/en/roundtables/{rt}/cases", {"case": "{case}"},
     "unadopt", MANAGE),
    ("release case", "POST", "/en/roundtables/{rt}/cases/{case}/release", {}, "adopt", MANAGE),
    ("new evaluation", "GET", "/en/roundtables/{rt}/evaluations/new", {}, None, MANAGE_PAGE),
    ("save evaluation", "POST", "/en/roundtables/{rt}/evaluations/new",
     {"title": "Spring cycle", "language": "de", "worked": "Meeting monthly."}, None, MANAGE),
    ("evaluation", "GET", "/en/roundtables/evaluations/{evaluation}", {}, None,
     (404, OK, OK, 404, OK, OK)),
    ("missing evaluation", "GET", "/en/roundtables/evaluations/999999", {}, None, (404,) * 6),
    ("edit evaluation", "GET", "/en/roundtables/evaluations/{evaluation}/edit", {}, None,
     MANAGE_PAGE),
    ("save edited evaluation", "POST", "/en/roundtables/evaluations/{evaluation}/edit",
     {"title": "Autumn cycle", "language": "de", "worked": "Sharing early."}, None, MANAGE),
    ("lesson", "POST", "/en/roundtables/evaluations/{evaluation}/lesson", {}, "no_lesson",
     MANAGE),
]


@pytest.fixture
def world(app, roundtable_world, make_case):
    """roundtable_world with an action for the member and one for the secretariat, a DE case
    and an evaluation; ids named like the URL arguments."""
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about rights, not tokens
    people, roundtable = roundtable_world["people"], roundtable_world["roundtable"]
    mine = ActionItem(roundtable=roundtable, title="Mine", owner_id=people["member"].id,
                      due_on=date(2030, 1, 1))
    theirs = ActionItem(roundtable=roundtable, title="Theirs",
                        owner_id=people["secretariat"].id, due_on=date(2030, 1, 1))
    evaluation = Evaluation(roundtable=roundtable, title="Review", language="de",
                            worked="Regular meetings.")
    db.session.add_all([mine, theirs, evaluation])
    db.session.commit()
    ids = {"rt": roundtable.id, "member": people["member"].id, "action": mine.id,
           "secretariat_action": theirs.id, "case": make_case(country="DE").id,
           "evaluation": evaluation.id}
    return people, ids


def _prepare(step: str | None, ids: dict) -> None:
    """Put the world back where the route finds something to change."""
    if step == "reopen":
        for action in db.session.scalars(db.select(ActionItem)):
            action.status, action.closed_at = "open", None
    elif step == "unadopt":
        db.session.execute(delete(AdoptedCase))
    elif step == "adopt":
        db.session.execute(delete(AdoptedCase))
        db.session.add(AdoptedCase(roundtable_id=ids["rt"], case_id=ids["case"]))
    elif step == "no_lesson":
        db.session.get(Evaluation, ids["evaluation"]).lesson_id = None
        db.session.execute(delete(ContentItem))
    db.session.commit()


def _act(client, act_as, user) -> None:
    if user is None:
        with client.session_transaction() as session:
            session.clear()
        g.pop("_login_user", None)
    else:
        act_as(user)


@pytest.mark.parametrize("name,method,url,data,before,expected", ROUTES,
                         ids=[r[0] for r in ROUTES])
def test_every_route_answers_each_visitor_rightly(client, act_as, world, name, method, url,
                                                  data, before, expected):
    people, ids = world
    answers = dict(zip(VISITORS, ("login", "status", *expected), strict=True))
    for visitor in VISITORS:
        _prepare(before, ids)
        _act(client, act_as, people[visitor])
        payload = {key: value.format(**ids) for key, value in data.items()}
        response = client.open(url.format(**ids), method=method, data=payload)
        _check(response, answers[visitor], f"{name} as {visitor}")


def _check(response, expected, label: str) -> None:
    if expected == "login":
        assert response.status_code == 302, label
        assert "/login" in response.location, label
    elif expected == "status":
        assert response.status_code == 302, label
        assert "/account/status" in response.location, label
    else:
        assert response.status_code == expected, label
