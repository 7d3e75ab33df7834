"""The "answered by the library" lane: every alert reaches the members of its country; they
may open a case on one for the experts; the contact stays with the coordinators."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.alerts.models import Alert
from app.arena.models import Case, CaseEvent
from app.arena.services.cases import case_for_alert
from app.core.access_log import AccessLogEntry
from app.extensions import db
from tests.fixtures.app import counted_statements
from tests.fixtures.arena import library_match

MARKER = "secret-contact-7f3a@example.org"
LANE = "/en/arena/answered"
VIEWERS = (
    "anonymous",
    "pending",
    "member",
    "other_member",
    "coordinator",
    "other_coordinator",
    "admin",
)
# Who sees a DE alert's page, and who sees its reporter's contact.
SEES = {"member", "coordinator", "admin"}
SEES_CONTACT = {"coordinator", "admin"}


@pytest.fixture
def answered_alert(make_alert, make_item):
    """answered_alert(country="DE", **fields): an alert the library answered with a
    practice, its contact address the unique MARKER."""
    item = make_item(type="practice", title="Class council against hate", slug="class-council")

    def _make(country: str = "DE", **fields) -> Alert:
        return make_alert(
            country=country,
            contact_email=fields.pop("contact_email", MARKER),
            matches=[library_match(item)],
            **fields,
        )

    return _make


@pytest.fixture
def people(make_user) -> dict[str, User | None]:
    """One visitor of every kind, for a DE alert."""
    return {
        "anonymous": None,
        "pending": make_user(status="pending", country="DE"),
        "member": make_user(country="DE"),
        "other_member": make_user(country="PL"),
        "coordinator": make_user(role="coordinator", country="DE"),
        "other_coordinator": make_user(role="coordinator", country="PL"),
        "admin": make_user(role="admin", country="PL"),
    }


def _visit(client, act_as, user):
    """The client as this visitor (logged out for the anonymous one)."""
    from flask import g

    g.pop("_login_user", None)
    with client.session_transaction() as session:
        session.clear()
    if user is not None:
        act_as(user)
    return client


def _reveal(post_form, alert: Alert):
    """Post the reveal button of an answered alert's page."""
    url = f"{LANE}/{alert.id}"
    return post_form(url, {}, action=f"{url}/contact")


# Access ---------------------------------------------------------------------------------
@pytest.mark.parametrize("who", VIEWERS)
def test_the_lane_and_the_alert_page_open_for_the_countrys_members_only(
    client, act_as, people, answered_alert, who
):
    alert = answered_alert(description="A pupil shares propaganda clips in the class chat.")
    _visit(client, act_as, people[who])
    lane = client.get(LANE)
    page = client.get(f"{LANE}/{alert.id}")
    if who == "anonymous":
        assert "/login" in lane.headers["Location"]
        assert "/login" in page.headers["Location"]
    elif who == "pending":
        assert "/account/status" in lane.headers["Location"]
        assert "/account/status" in page.headers["Location"]
    elif who in SEES:
        assert "A pupil shares propaganda clips" in lane.get_data(as_text=True)
        assert "A pupil shares propaganda clips" in page.get_data(as_text=True)
    else:
        assert "A pupil shares propaganda clips" not in lane.get_data(as_text=True)
        assert page.status_code == 404


@pytest.mark.parametrize("who", VIEWERS)
def test_the_contact_is_never_on_a_page_for_anyone_but_the_countrys_coordinators(
    client, act_as, people, answered_alert, post_form, who
):
    alert = answered_alert()
    _visit(client, act_as, people[who])
    pages = [client.get(LANE), client.get(f"{LANE}/{alert.id}"), client.get("/en/arena/")]
    for response in pages:
        assert MARKER not in response.get_data(as_text=True)
    if who in SEES:
        revealed = _reveal(post_form, alert)
        shown = MARKER in revealed.get_data(as_text=True)
        assert shown == (who in SEES_CONTACT)


def test_a_reveal_is_logged_and_never_cached(client, act_as, people, answered_alert, post_form):
    alert = answered_alert()
    act_as(people["coordinator"])
    response = _reveal(post_form, alert)
    assert response.headers["Cache-Control"] == "no-store"
    logged = db.session.scalars(
        select(AccessLogEntry.action).where(
            AccessLogEntry.object_type == "alert", AccessLogEntry.object_id == alert.id
        )
    ).all()
    assert "contact_revealed" in logged


def test_the_reveal_button_shows_for_coordinators_only(client, act_as, people, answered_alert):
    alert = answered_alert()
    act_as(people["member"])
    assert "Reveal the reporter" not in client.get(f"{LANE}/{alert.id}").get_data(as_text=True)
    _visit(client, act_as, people["coordinator"])
    assert "Reveal the reporter" in client.get(f"{LANE}/{alert.id}").get_data(as_text=True)


# What the lane lists --------------------------------------------------------------------
def test_the_lane_lists_only_answered_alerts_of_the_country(
    client, act_as, people, answered_alert, make_case, db
):
    answered_alert(description="Answered here in Germany about a school chat group.")
    answered_alert(country="PL", description="Answered in Poland about a football club.")
    answered_alert(description="Withdrawn by its reporter about a sports hall.", status="withdrawn")
    answered_alert(description="Erased by an admin about a neighbourhood.", purged_at=db.func.now())
    make_case(country="DE", description="Forwarded to the experts about a mosque.")
    act_as(people["member"])
    html = client.get(LANE).get_data(as_text=True)
    assert "Answered here in Germany" in html
    assert "Answered in Poland" not in html
    assert "Withdrawn by its reporter" not in html
    assert "Erased by an admin" not in html
    assert "Forwarded to the experts" not in html


def test_admins_see_every_country_and_may_filter_by_country_and_category(
    client, act_as, people, answered_alert
):
    answered_alert(
        description="German alert on hate speech in a school yard.", categories=["hate_speech"]
    )
    answered_alert(country="PL", description="Polish alert on propaganda in a club.")
    act_as(people["admin"])
    everything = client.get(LANE).get_data(as_text=True)
    assert "German alert" in everything
    assert "Polish alert" in everything
    poland = client.get(f"{LANE}?country=PL").get_data(as_text=True)
    assert "German alert" not in poland
    assert "Polish alert" in poland
    hate = client.get(f"{LANE}?category=hate_speech").get_data(as_text=True)
    assert "German alert" in hate
    assert "Polish alert" not in hate


def test_members_cannot_widen_the_lane_to_another_country(client, act_as, people, answered_alert):
    answered_alert(country="PL", description="Polish alert on propaganda in a club.")
    act_as(people["member"])
    assert "Polish alert" not in client.get(f"{LANE}?country=PL").get_data(as_text=True)


def test_an_empty_lane_says_so(client, act_as, people):
    act_as(people["member"])
    assert "No alert is waiting here" in client.get(LANE).get_data(as_text=True)


def test_the_lane_tabs_count_both_lanes(client, act_as, people, answered_alert, make_case):
    answered_alert()
    answered_alert()
    answered_alert(country="PL")
    make_case(country="DE")
    act_as(people["member"])
    for url in (LANE, "/en/arena/"):
        html = client.get(url).get_data(as_text=True)
        lanes = html.split('class="arena-lanes"', 1)[1].split("</nav>", 1)[0]
        assert 'Needs experts <span class="count">1</span>' in lanes
        assert 'Answered by the library <span class="count">2</span>' in lanes


def test_the_lane_pages_newest_first(app, client, act_as, people, answered_alert):
    app.config["PAGE_SIZE"] = 2
    for number in range(5):
        answered_alert(description=f"Numbered alert {number} about a class chat group.")
    act_as(people["member"])
    first = client.get(LANE).get_data(as_text=True)
    third = client.get(f"{LANE}?page=3").get_data(as_text=True)
    assert "Numbered alert 4" in first
    assert "Numbered alert 2" not in first
    assert "Numbered alert 0" in third
    assert "Numbered alert 1" not in third


def test_the_alert_page_shows_what_the_reporter_received(client, act_as, people, answered_alert):
    alert = answered_alert()
    act_as(people["member"])
    html = client.get(f"{LANE}/{alert.id}").get_data(as_text=True)
    assert "Class council against hate" in html
    assert "Why this matches:" in html


def _lane_statements(client) -> int:
    """SQL statements of one visit to the lane (the visitor loaded afresh each time)."""
    from flask import g

    g.pop("_login_user", None)
    db.session.expire_all()
    with counted_statements() as seen:
        assert client.get(LANE).status_code == 200
    return len(seen)


def test_the_lane_runs_the_same_statements_as_alerts_grow(
    app, client, act_as, people, answered_alert
):
    app.config["PAGE_SIZE"] = 3
    for _ in range(4):
        answered_alert()
    act_as(people["member"])
    small = _lane_statements(client)
    for _ in range(30):
        answered_alert()
    assert _lane_statements(client) == small


# Opening a case -------------------------------------------------------------------------
def test_a_member_opens_one_case_and_the_history_names_them(
    client, act_as, people, answered_alert, post_form
):
    alert = answered_alert()
    act_as(people["member"])
    url = f"{LANE}/{alert.id}"
    first = post_form(url, {}, action=f"{url}/case")
    case = case_for_alert(alert)
    assert first.headers["Location"].endswith(f"/arena/cases/{case.id}")
    token = _token(client, f"/en/arena/cases/{case.id}")
    again = client.post(f"{url}/case", data={"csrf_token": token})
    assert again.headers["Location"].endswith(f"/arena/cases/{case.id}")
    assert db.session.scalar(select(func.count(Case.id)).where(Case.alert_id == alert.id)) == 1
    db.session.refresh(alert)
    assert alert.forward_reason == "member"
    events = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "opened_by_member")
    )
    assert [event.actor_id for event in events] == [people["member"].id]


def _token(client, url: str) -> str:
    """A CSRF token from a page of this session."""
    from tests.fixtures.app import csrf_token_from

    return csrf_token_from(client.get(url).get_data(as_text=True))


def test_opening_a_case_needs_the_csrf_token(client, act_as, people, answered_alert):
    alert = answered_alert()
    act_as(people["member"])
    response = client.post(f"{LANE}/{alert.id}/case")
    assert response.status_code == 400
    assert case_for_alert(alert) is None


@pytest.mark.parametrize("who", ["other_member", "other_coordinator"])
def test_another_countrys_members_cannot_open_a_case(
    client, act_as, people, answered_alert, post_form, who
):
    alert = answered_alert()
    act_as(people[who])
    response = post_form("/en/arena/", {}, action=f"{LANE}/{alert.id}/case")
    assert response.status_code == 404
    assert case_for_alert(alert) is None


def test_the_old_address_of_an_opened_alert_leads_to_its_case(
    client, act_as, people, answered_alert, post_form
):
    alert = answered_alert()
    act_as(people["member"])
    post_form(f"{LANE}/{alert.id}", {}, action=f"{LANE}/{alert.id}/case")
    response = client.get(f"{LANE}/{alert.id}")
    assert response.headers["Location"].endswith(f"/arena/cases/{case_for_alert(alert).id}")


def test_a_released_recommendation_on_the_opened_case_reaches_the_reporter(
    app, client, act_as, people, answered_alert, post_form
):
    from flask import g

    from app.alerts.services import new_receipt_code, receipt_hash
    from app.arena.services import discussion

    alert = answered_alert()
    code = new_receipt_code()
    alert.receipt_hash = receipt_hash(code)
    db.session.commit()
    act_as(people["member"])
    post_form(f"{LANE}/{alert.id}", {}, action=f"{LANE}/{alert.id}/case")
    case = case_for_alert(alert)
    rec = discussion.add_recommendation(
        case,
        people["member"],
        action="Invite the parents.",
        reason="They can talk with the pupil.",
        actors=["school"],
        urgency="medium",
    )
    discussion.release_recommendation(rec, people["member"])
    db.session.commit()
    reporter = app.test_client()
    g.pop("_login_user", None)
    form = reporter.get("/en/alert/follow-up").get_data(as_text=True)
    token = form.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    reporter.post("/en/alert/follow-up", data={"csrf_token": token, "code": code})
    html = reporter.get("/en/alert/follow-up").get_data(as_text=True)
    assert "Invite the parents." in html


# Erasure --------------------------------------------------------------------------------
def test_an_admin_erases_an_answered_alert_from_its_page(
    client, act_as, people, answered_alert, post_form
):
    alert = answered_alert(description="Erase me: a pupil shares clips in a class chat.")
    act_as(people["admin"])
    page = client.get(f"{LANE}/{alert.id}").get_data(as_text=True)
    assert f"/admin/alerts/{alert.id}/erase" in page
    response = post_form(
        f"{LANE}/{alert.id}", {"confirm": "y"}, action=f"/en/admin/alerts/{alert.id}/erase"
    )
    assert response.headers["Location"].endswith(LANE)
    db.session.refresh(alert)
    assert alert.purged_at is not None
    assert alert.description is None
    assert client.get(f"{LANE}/{alert.id}").status_code == 404
    assert "Erase me" not in client.get(LANE).get_data(as_text=True)


def test_members_see_no_erase_form(client, act_as, people, answered_alert):
    alert = answered_alert()
    act_as(people["coordinator"])
    assert "/erase" not in client.get(f"{LANE}/{alert.id}").get_data(as_text=True)
