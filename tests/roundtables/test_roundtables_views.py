"""The roundtable list, creation form, roundtable page and public profile, as users see them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.arena.models import Notification
from app.core.jobs import Job
from app.extensions import db
from app.roundtables.models import ActionItem, AdoptedCase, Roundtable
from tests.fixtures.app import counted_statements
from tests.fixtures.roundtables import seat

NEW = {"name": "Neukölln", "city": "Berlin", "country": "DE", "languages": ["de", "en"],
       "description": "We *meet* monthly."}


@pytest.fixture
def coordinator(act_as, make_user):
    """A logged-in DE coordinator."""
    user = make_user(role="coordinator", country="DE")
    act_as(user)
    return user


def test_create_roundtable_redirects_to_its_page(coordinator, make_user, post_form):
    chosen = make_user(country="DE")
    response = post_form("/en/roundtables/new", {**NEW, "secretariat": [chosen.id]})
    roundtable = db.session.scalar(select(Roundtable).filter_by(name="Neukölln"))
    assert response.location.endswith(f"/en/roundtables/{roundtable.id}")


def test_missing_languages_answer_400_and_keep_the_text(coordinator, make_user, post_form):
    chosen = make_user(country="DE")
    data = {**NEW, "languages": [], "secretariat": [chosen.id]}
    response = post_form("/en/roundtables/new", data)
    assert response.status_code == 400
    assert "Please choose at least one working language." in response.text
    assert "We *meet* monthly." in response.text


def test_a_coordinator_cannot_create_for_another_country(coordinator, make_user, post_form):
    chosen = make_user(country="DE")
    response = post_form("/en/roundtables/new", {**NEW, "country": "PL",
                                                 "secretariat": [chosen.id]})
    assert response.status_code == 400


def test_secretariat_must_come_from_the_roundtables_country(act_as, make_user, post_form):
    act_as(make_user(role="admin", country="EU"))
    polish = make_user(country="PL")
    response = post_form("/en/roundtables/new", {**NEW, "secretariat": [polish.id]})
    assert "Choose approved members of the roundtable's country." in response.text


def test_secretariat_is_required(coordinator, post_form):
    response = post_form("/en/roundtables/new", NEW)
    assert "Please choose at least one secretariat member." in response.text


def test_list_shows_an_empty_state(act_as, make_user, client):
    act_as(make_user(country="RO"))
    assert "You are not a member of any roundtable yet." in client.get("/en/roundtables/").text


def test_list_offers_roundtables_of_the_country_to_join(act_as, make_user, make_roundtable,
                                                       client):
    roundtable = make_roundtable(name="Hamburg")
    act_as(make_user(country="DE"))
    assert f"/en/roundtables/{roundtable.id}/join" in client.get("/en/roundtables/").text


def test_list_shows_the_visitors_invitation(act_as, make_user, make_roundtable, client):
    roundtable, guest = make_roundtable(), make_user(country="DE")
    seat(roundtable, guest, status="invited")
    db.session.commit()
    act_as(guest)
    assert f"/en/roundtables/{roundtable.id}/invitation" in client.get("/en/roundtables/").text


def test_list_offers_new_roundtable_to_coordinators(coordinator, client):
    assert "/en/roundtables/new" in client.get("/en/roundtables/").text


def test_list_hides_new_roundtable_from_members(act_as, make_user, client):
    act_as(make_user(country="DE"))
    assert "/en/roundtables/new" not in client.get("/en/roundtables/").text


def test_page_lists_missing_agencies(coordinator, make_roundtable, client):
    roundtable = make_roundtable()
    html = client.get(f"/en/roundtables/{roundtable.id}").text
    assert '<ul class="inline-list missing-agencies"><li><span class="tag">Police' in html


def test_page_flags_overdue_actions(coordinator, make_roundtable, client):
    roundtable = make_roundtable()
    db.session.add(ActionItem(roundtable_id=roundtable.id, title="Call the school",
                              due_on=date.today() - timedelta(days=1)))
    db.session.commit()
    assert "Overdue" in client.get(f"/en/roundtables/{roundtable.id}").text


def test_page_does_not_flag_actions_due_today(coordinator, make_roundtable, client):
    roundtable = make_roundtable()
    db.session.add(ActionItem(roundtable_id=roundtable.id, title="Call", due_on=date.today()))
    db.session.commit()
    assert "Overdue" not in client.get(f"/en/roundtables/{roundtable.id}").text


def test_page_links_adopted_cases(coordinator, make_roundtable, make_case, client):
    roundtable, case = make_roundtable(), make_case()
    db.session.add(AdoptedCase(roundtable_id=roundtable.id, case_id=case.id))
    db.session.commit()
    assert f"/en/arena/cases/{case.id}" in client.get(f"/en/roundtables/{roundtable.id}").text


def test_edit_keeps_text_on_error(act_as, make_roundtable, make_user, post_form):
    boss = make_user(country="DE")
    roundtable = make_roundtable(secretariat=[boss])
    act_as(boss)
    response = post_form(f"/en/roundtables/{roundtable.id}/edit",
                         {"name": "", "city": "Köln", "languages": ["de"]})
    assert response.status_code == 400
    assert 'value="Köln"' in response.text


def test_main_navigation_links_roundtables_for_members(act_as, make_user, client):
    act_as(make_user(country="DE"))
    assert 'href="/en/roundtables/"' in client.get("/en/").text


def test_main_navigation_hides_roundtables_from_visitors(client):
    assert 'href="/en/roundtables/"' not in client.get("/en/").text


def _contact(post_form, roundtable, **data):
    """Send the public profile's contact form like a browser."""
    url = f"/en/roundtables/{roundtable.id}/profile"
    fields = {"name": "Anna", "email": "anna@example.org", "message": "Hallo", **data}
    return post_form(url, fields, action=url + "/contact")


# Public profile ---------------------------------------------------------------------------
@pytest.fixture
def public(make_roundtable, make_user):
    """A roundtable with its public profile on and a German-speaking secretariat member."""
    boss = make_user(country="DE", name="Greta Geheim", language="de")
    return make_roundtable(secretariat=[boss], public_profile=True, name="Mitte"), boss


def test_public_profile_is_404_when_off(make_roundtable, client):
    assert client.get(f"/en/roundtables/{make_roundtable().id}/profile").status_code == 404


def test_public_profile_never_shows_member_names(public, client):
    roundtable, _boss = public
    assert "Greta Geheim" not in client.get(f"/en/roundtables/{roundtable.id}/profile").text


def test_public_profile_shows_agencies_present(public, client):
    roundtable, _boss = public
    assert '<span class="tag">School</span>' in client.get(
        f"/en/roundtables/{roundtable.id}/profile").text


def test_contact_mails_the_secretariat(public, post_form, outbox, run_jobs_now):
    roundtable, boss = public
    _contact(post_form, roundtable, message="Hallo zusammen")
    run_jobs_now()
    assert [m.to for m in outbox if "Hallo zusammen" in m.body] == [boss.email]


def test_contact_mail_carries_the_senders_address(public, post_form, outbox, run_jobs_now):
    roundtable, _boss = public
    _contact(post_form, roundtable)
    run_jobs_now()
    assert "anna@example.org" in outbox[-1].body


def test_contact_stores_nothing(public, post_form, run_jobs_now):
    roundtable, _boss = public
    _contact(post_form, roundtable)
    run_jobs_now()
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_contact_errors_answer_400_and_keep_the_text(public, post_form):
    roundtable, _boss = public
    response = _contact(post_form, roundtable, email="not-an-address")
    assert response.status_code == 400
    assert "Hallo</textarea>" in response.text


def test_contact_is_rate_limited_per_address(app, public, post_form, outbox, run_jobs_now):
    app.config["ROUNDTABLE_CONTACT_RATE_LIMIT"] = [2, 3600]
    roundtable, _boss = public
    answers = [_contact(post_form, roundtable).status_code for _ in range(3)]
    assert answers == [302, 302, 429]


def _list_statements(client) -> int:
    with counted_statements() as seen:
        client.get("/en/roundtables/")
    return len(seen)


def test_list_queries_do_not_grow_with_roundtables(coordinator, make_roundtable, client):
    make_roundtable()  # commits: both counts start from an expired session
    before = _list_statements(client)
    for number in range(4):
        make_roundtable(name=f"Roundtable {number}")
    assert _list_statements(client) == before
