"""The access log: opening a case and revealing a reporter's contact are recorded (who, when,
what, never the content); only admins read the log, filtered and paged."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import utcnow
from app.core.access_log import AccessLogEntry
from tests.fixtures.app import csrf_token_from

CONTACT = "reporter.access@example.org"


def _entries(db, action: str | None = None) -> list[AccessLogEntry]:
    """Log lines, optionally of one action, oldest first."""
    query = select(AccessLogEntry).order_by(AccessLogEntry.id)
    if action:
        query = query.where(AccessLogEntry.action == action)
    return list(db.session.scalars(query))


def _reveal(client, case):
    """Press "Reveal the reporter's contact" on the case page."""
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    return client.post(f"/en/arena/cases/{case.id}/contact",
                       data={"csrf_token": csrf_token_from(page)})


def test_opening_a_case_is_recorded(app, make_case, make_user, login, db):
    case = make_case(country="DE")
    member = make_user(country="DE")
    login(member).get(f"/en/arena/cases/{case.id}")
    entries = _entries(db, "case_opened")
    assert [(e.actor_id, e.object_type, e.object_id) for e in entries] == [
        (member.id, "case", case.id)]


def test_a_case_another_country_cannot_open_is_not_recorded(app, make_case, make_user, login,
                                                            db):
    case = make_case(country="DE")
    response = login(make_user(country="PL")).get(f"/en/arena/cases/{case.id}")
    assert response.status_code == 404
    assert _entries(db) == []


def test_the_case_page_hides_the_contact_until_a_coordinator_reveals_it(
        app, make_case, make_user, login, db):
    case = make_case(country="DE", contact_email=CONTACT)
    client = login(make_user(role="coordinator", country="DE"))
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert CONTACT not in html
    assert "Reveal the reporter" in html


def test_revealing_the_contact_shows_it_and_records_who(app, make_case, make_user, login, db):
    case = make_case(country="DE", contact_email=CONTACT)
    coordinator = make_user(role="coordinator", country="DE")
    response = _reveal(login(coordinator), case)
    entries = _entries(db, "contact_revealed")
    assert CONTACT in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert [(e.actor_id, e.object_id) for e in entries] == [(coordinator.id, case.id)]


def test_a_member_cannot_reveal_the_contact(app, make_case, make_user, login, db):
    case = make_case(country="DE", contact_email=CONTACT)
    client = login(make_user(country="DE"))
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    response = client.post(f"/en/arena/cases/{case.id}/contact",
                           data={"csrf_token": csrf_token_from(html)})
    assert "Reveal the reporter" not in html
    assert response.status_code == 403
    assert CONTACT not in response.get_data(as_text=True)
    assert _entries(db, "contact_revealed") == []


def test_another_countrys_coordinator_gets_404_for_the_contact(app, make_case, make_user,
                                                               login, act_as, db):
    case = make_case(country="DE", contact_email=CONTACT)
    other = make_case(country="PL")
    client = login(make_user(role="coordinator", country="PL"))
    page = client.get(f"/en/arena/cases/{other.id}").get_data(as_text=True)
    response = client.post(f"/en/arena/cases/{case.id}/contact",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 404
    assert _entries(db, "contact_revealed") == []


def test_the_reveal_is_a_post(app, make_case, make_user, login):
    case = make_case(country="DE", contact_email=CONTACT)
    client = login(make_user(role="coordinator", country="DE"))
    assert client.get(f"/en/arena/cases/{case.id}/contact").status_code == 405


def test_admins_read_the_log(app, make_case, make_user, login, act_as, db):
    case = make_case(country="DE")
    member = make_user(country="DE", name="Opening Olga")
    login(member).get(f"/en/arena/cases/{case.id}")
    html = act_as(make_user(role="admin")).get("/en/admin/access-log").get_data(as_text=True)
    assert "Opening Olga" in html
    assert f"Case #{case.id}" in html
    assert "Opened a case" in html


def test_coordinators_and_members_cannot_read_the_log(app, make_user, login, act_as):
    assert login(make_user()).get("/en/admin/access-log").status_code == 403
    coordinator = act_as(make_user(role="coordinator"))
    assert coordinator.get("/en/admin/access-log").status_code == 403


def test_visitors_are_sent_to_the_login(app, client):
    response = client.get("/en/admin/access-log")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def _add(db, actor, action: str, object_id: int, days_ago: int = 0) -> None:
    """One log line."""
    db.session.add(AccessLogEntry(actor_id=actor.id, action=action, object_type="case",
                                  object_id=object_id,
                                  created_at=utcnow() - timedelta(days=days_ago)))
    db.session.commit()


def test_the_log_filters_by_member_action_and_date(app, make_user, login, db):
    anna, bert = make_user(name="Anna Opener"), make_user(name="Bert Revealer")
    _add(db, anna, "case_opened", 101)
    _add(db, bert, "contact_revealed", 202)
    _add(db, bert, "case_opened", 303, days_ago=10)
    client = login(make_user(role="admin"))
    by_member = client.get(f"/en/admin/access-log?member={anna.id}").get_data(as_text=True)
    by_action = client.get("/en/admin/access-log?action=contact_revealed").get_data(as_text=True)
    since = (utcnow() - timedelta(days=2)).date().isoformat()
    by_date = client.get(f"/en/admin/access-log?date_from={since}").get_data(as_text=True)
    assert "Case #101" in by_member
    assert "Case #202" not in by_member
    assert "Case #202" in by_action
    assert "Case #101" not in by_action
    assert "Case #303" not in by_date
    assert "Case #202" in by_date


def test_the_log_is_paged(app, make_user, login, db):
    app.config["PAGE_SIZE"] = 2
    member = make_user()
    for number in (1, 2, 3):
        _add(db, member, "case_opened", 500 + number, days_ago=number)
    client = login(make_user(role="admin"))
    first = client.get("/en/admin/access-log").get_data(as_text=True)
    second = client.get("/en/admin/access-log?page=2").get_data(as_text=True)
    assert "Case #501" in first
    assert "Case #503" not in first
    assert "Case #503" in second


def test_the_log_keeps_no_content(app, make_case, make_user, login, db):
    case = make_case(country="DE", contact_email=CONTACT)
    _reveal(login(make_user(role="coordinator", country="DE")), case)
    stored = [str(value) for entry in _entries(db) for value in
              (entry.action, entry.object_type, entry.object_id)]
    assert all(CONTACT not in value for value in stored)
    assert set(AccessLogEntry.__table__.columns.keys()) == {
        "id", "actor_id", "action", "object_type", "object_id", "created_at"}


def test_a_reveal_without_the_form_token_is_refused(app, make_case, make_user, login, db):
    case = make_case(country="DE", contact_email=CONTACT)
    response = login(make_user(role="coordinator", country="DE")).post(
        f"/en/arena/cases/{case.id}/contact")
    assert response.status_code == 400
    assert _entries(db, "contact_revealed") == []


def test_visitors_cannot_reveal_a_contact(app, make_case, client, db):
    case = make_case(country="DE", contact_email=CONTACT)
    response = client.post(f"/en/arena/cases/{case.id}/contact")
    assert response.status_code in (302, 400)
    assert CONTACT not in response.get_data(as_text=True)
