"""Adopted ARENA cases: only of the roundtable's country, recorded in the case history, and the
case page shows the roundtables working on it (links and details only to those who may)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.arena.models import CaseEvent
from app.extensions import db
from app.roundtables.models import ActionItem, AdoptedCase
from app.roundtables.services import cases
from tests.fixtures.app import csrf_token_from


@pytest.fixture
def world(roundtable_world):
    """The people and the Berlin roundtable of roundtable_world."""
    return roundtable_world["people"], roundtable_world["roundtable"]


def _adopt(client, roundtable, case_number):
    token = csrf_token_from(client.get("/en/roundtables/actions").get_data(as_text=True))
    return client.post(f"/en/roundtables/{roundtable.id}/cases",
                       data={"csrf_token": token, "case": str(case_number)})


def _adoptions() -> int:
    return db.session.scalar(select(func.count(AdoptedCase.id)))


def test_secretariat_adopts_a_case_of_its_country(client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="DE")
    act_as(people["secretariat"])
    response = _adopt(client, roundtable, case.id)
    assert response.status_code == 302
    assert cases.adopted_cases(roundtable) == [case]


def test_adoption_is_recorded_in_the_case_history(client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="DE")
    act_as(people["secretariat"])
    _adopt(client, roundtable, case.id)
    event = db.session.scalar(select(CaseEvent).where(CaseEvent.kind == "roundtable_adopted"))
    assert event.detail["roundtable"] == "Berlin Mitte"
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "adopted this case for Berlin Mitte" in html


def test_case_the_manager_cannot_see_is_refused_as_unknown(client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="PL")
    act_as(people["coordinator"])
    response = _adopt(client, roundtable, case.id)
    assert response.status_code == 400
    assert "There is no such case on your board." in response.get_data(as_text=True)
    assert _adoptions() == 0


def test_case_of_another_country_is_refused_with_a_field_error(client, act_as, world,
                                                               make_case):
    people, roundtable = world
    case = make_case(country="PL")
    act_as(people["admin"])
    response = _adopt(client, roundtable, case.id)
    assert response.status_code == 400
    assert "Only cases of the roundtable" in response.get_data(as_text=True)
    assert _adoptions() == 0


def test_unknown_case_number_is_refused(client, act_as, world):
    people, roundtable = world
    act_as(people["secretariat"])
    response = _adopt(client, roundtable, 987654)
    assert response.status_code == 400
    assert "There is no such case on your board." in response.get_data(as_text=True)


def test_a_case_is_adopted_once(client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="DE")
    act_as(people["secretariat"])
    _adopt(client, roundtable, case.id)
    assert _adopt(client, roundtable, case.id).status_code == 400
    assert _adoptions() == 1


def test_release_ends_the_adoption(client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="DE")
    act_as(people["secretariat"])
    _adopt(client, roundtable, case.id)
    token = csrf_token_from(client.get("/en/roundtables/actions").get_data(as_text=True))
    response = client.post(f"/en/roundtables/{roundtable.id}/cases/{case.id}/release",
                           data={"csrf_token": token})
    assert response.status_code == 302
    assert _adoptions() == 0


def test_case_page_shows_the_roundtable_to_a_member_of_the_country(client, act_as, world,
                                                                    make_case, make_user):
    people, roundtable = world
    case = make_case(country="DE")
    cases.adopt_case(roundtable, people["secretariat"], case.id)
    db.session.commit()
    act_as(make_user(country="DE"))
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Berlin Mitte" in html
    assert f"/en/roundtables/{roundtable.id}\"" not in html


def test_case_page_links_the_roundtable_for_its_members(client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="DE")
    cases.adopt_case(roundtable, people["secretariat"], case.id)
    db.session.commit()
    act_as(people["member"])
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert f'href="/en/roundtables/{roundtable.id}"' in html


def test_case_page_shows_the_case_actions_only_to_those_who_see_the_roundtable(
        client, act_as, world, make_case):
    people, roundtable = world
    case = make_case(country="DE")
    cases.adopt_case(roundtable, people["secretariat"], case.id)
    db.session.add(ActionItem(roundtable=roundtable, case_id=case.id, title="Talk to the class",
                              owner_id=people["member"].id, due_on=date(2030, 1, 1)))
    db.session.commit()
    act_as(people["member"])
    assert "Talk to the class" in client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    act_as(people["other_member"])
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Talk to the class" not in html


def test_case_page_without_roundtables_has_no_section(client, act_as, world, make_case):
    people, _roundtable = world
    case = make_case(country="DE")
    act_as(people["member"])
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Roundtables working on this case" not in html


def test_adopted_cases_partial_offers_managers_release_and_adopt(app, act_as, world,
                                                                  make_case):
    from flask import render_template
    from flask_login import login_user

    people, roundtable = world
    case = make_case(country="DE")
    cases.adopt_case(roundtable, people["secretariat"], case.id)
    make_case(country="DE")  # an open case still to adopt
    db.session.commit()
    with app.test_request_context(f"/en/roundtables/{roundtable.id}"):
        login_user(people["secretariat"])
        html = render_template("roundtables/_adopted_cases.html", roundtable=roundtable,
                               cases=cases.adopted_cases(roundtable))
    assert f"/roundtables/{roundtable.id}/cases/{case.id}/release" in html
    assert "Adopt the case" in html
