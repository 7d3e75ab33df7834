"""Urgent cases: coordinators hear at once, one acknowledges, the admins hear when nobody does."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.models import utcnow
from app.alerts.services import forward_to_arena
from app.arena import tasks
from app.arena.models import Case, CaseEvent, Notification
from app.arena.services import cases, urgent
from app.arena.services import notifications as service
from app.arena.services.cases import case_for_alert, close
from app.core import schedule
from app.core.templating import format_duration
from app.extensions import db


def _notes(user, kind=None) -> list[Notification]:
    query = db.select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def _events(case) -> list[str]:
    return [e.kind for e in db.session.scalars(
        db.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))]


def _age(case, minutes: int) -> None:
    case.created_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


# Who hears of an urgent case, and how -------------------------------------------------------
def test_danger_alert_reaches_every_coordinator_of_its_country_at_once_whatever_their_settings(
    send_alert, make_user, outbox
):
    digest = make_user(role="coordinator", country="RO", language="ro")
    switched_off = make_user(role="coordinator", country="RO")
    service.set_preferences(switched_off, {"new_case": "off"})
    elsewhere = make_user(role="coordinator", country="DE")
    db.session.commit()
    send_alert(lang="ro", country="RO", city="Cluj", danger="y")
    case = db.session.scalar(db.select(Case))
    assert case.urgent is True
    for coordinator in (digest, switched_off):
        [note] = _notes(coordinator)
        assert note.kind == "urgent_case"
        assert note.read_at is None
        assert note.sent_at is not None
    assert sorted(m.to for m in outbox) == sorted([digest.email, switched_off.email])
    assert _notes(elsewhere) == []


def test_urgent_mail_links_the_case_in_the_coordinators_language_and_says_why_it_came(
    send_alert, make_user, outbox
):
    coordinator = make_user(role="coordinator", country="RO", language="ro")
    send_alert(lang="ro", country="RO", urgency="high")
    case = db.session.scalar(db.select(Case))
    [mail] = outbox
    assert mail.to == coordinator.email
    assert f"/ro/arena/cases/{case.id}" in mail.body
    assert f"#{case.id}" in mail.subject
    assert "indiferent de setările lor de notificare" in mail.body  # why, in Romanian


def test_other_members_still_get_the_usual_new_case_by_their_settings(
    make_urgent_case, make_user, outbox
):
    coordinator = make_user(role="coordinator", country="RO")
    member = make_user(country="RO")
    make_urgent_case(country="RO")
    assert [n.kind for n in _notes(member)] == ["new_case"]
    assert _notes(member)[0].delivery == "digest"
    assert [n.kind for n in _notes(coordinator)] == ["urgent_case"]  # not told twice
    assert [m.to for m in outbox] == [coordinator.email]


def test_an_ordinary_case_reaches_coordinators_only_by_their_settings(
    make_case, make_user, outbox
):
    coordinator = make_user(role="coordinator", country="DE")
    case = make_case(country="DE")
    assert case.urgent is False
    assert [(n.kind, n.delivery) for n in _notes(coordinator)] == [("new_case", "digest")]
    assert outbox == []
    assert "urgent_alerted" not in _events(case)


def test_country_without_a_coordinator_alerts_the_admins_at_once(
    make_urgent_case, make_user, outbox
):
    admin = make_user(role="admin", country="DE")
    make_user(role="coordinator", country="RO", status="pending")  # not approved: not counted
    case = make_urgent_case(country="RO")
    assert [n.kind for n in _notes(admin)] == ["urgent_case"]
    assert [m.to for m in outbox] == [admin.email]
    event = db.session.scalar(db.select(CaseEvent).where(CaseEvent.kind == "urgent_alerted"))
    assert event.detail == {"to": "admins"}
    assert event.case_id == case.id


def test_only_the_portal_channel_sends_no_mail(app, make_urgent_case, make_user, outbox):
    app.config["URGENT_CHANNELS"] = ["portal"]
    coordinator = make_user(role="coordinator", country="RO")
    make_urgent_case(country="RO")
    [note] = _notes(coordinator)
    assert note.read_at is None
    assert outbox == []


def test_only_the_email_channel_mails_and_leaves_nothing_new_in_the_portal(
    app, make_urgent_case, make_user, outbox
):
    app.config["URGENT_CHANNELS"] = ["email"]
    coordinator = make_user(role="coordinator", country="RO")
    make_urgent_case(country="RO")
    [note] = _notes(coordinator)
    assert note.read_at is not None
    assert service.unread_count(coordinator) == 0
    assert [m.to for m in outbox] == [coordinator.email]


def test_alert_without_words_is_announced_to_the_countrys_coordinators_only(
    make_alert, make_user
):
    coordinator = make_user(role="coordinator", country="DE")
    member = make_user(country="DE")
    admin = make_user(role="admin", country="PL", expertise=["extremist_propaganda"])
    alert = make_alert(country="DE", description="asdf qwer zxcv", words_missing=True)
    forward_to_arena(alert, "no_words")
    assert case_for_alert(alert).urgent is False
    assert [n.kind for n in _notes(coordinator)] == ["new_case"]
    assert _notes(member) == []
    assert _notes(admin) == []


def test_notification_settings_offer_no_way_to_silence_urgent_cases(
    client, act_as, make_user
):
    act_as(make_user(role="coordinator", country="RO"))
    page = client.get("/en/arena/notifications/settings").get_data(as_text=True)
    assert 'name="urgent_case"' not in page
    assert "Urgent cases always reach coordinators and administrators at once" in page


# Acknowledging ----------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "country", "status"), [
    ("coordinator", "RO", 302), ("admin", "DE", 302), ("coordinator", "DE", 404),
    ("member", "RO", 403),
])
def test_only_coordinators_of_the_country_and_admins_acknowledge(
    client, act_as, make_user, make_urgent_case, post_form, role, country, status
):
    case = make_urgent_case(country="RO")
    act_as(make_user(role=role, country=country))
    page = "/en/arena/" if status == 404 else f"/en/arena/cases/{case.id}"
    response = post_form(page, {}, action=f"/en/arena/cases/{case.id}/acknowledge")
    assert response.status_code == status
    db.session.refresh(case)
    assert (case.acknowledged_at is not None) == (status == 302)


def test_anonymous_visitors_are_sent_to_log_in(client, make_urgent_case, post_form):
    case = make_urgent_case(country="RO")
    response = post_form("/en/login", {}, action=f"/en/arena/cases/{case.id}/acknowledge")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert db.session.get(Case, case.id).acknowledged_at is None


def test_acknowledging_needs_the_forms_csrf_token(client, act_as, make_user, make_urgent_case):
    case = make_urgent_case(country="RO")
    act_as(make_user(role="coordinator", country="RO"))
    response = client.post(f"/en/arena/cases/{case.id}/acknowledge", data={})
    assert response.status_code == 400
    assert db.session.get(Case, case.id).acknowledged_at is None


def test_one_click_acknowledges_records_who_and_quiets_the_alarms(
    client, act_as, make_user, make_urgent_case, post_form
):
    first = make_user(role="coordinator", country="RO", name="Ana Pop")
    second = make_user(role="coordinator", country="RO", name="Ion Ilie")
    case = make_urgent_case(country="RO")
    act_as(first)
    url = f"/en/arena/cases/{case.id}"
    response = post_form(url, {}, action=f"{url}/acknowledge", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Acknowledged by Ana Pop" in page
    assert case.acknowledged_by_id == first.id
    assert _events(case).count("acknowledged") == 1
    assert service.unread_count(second) == 0  # somebody has it
    assert urgent.unacknowledged_minutes(case) is None
    assert case.lead_id == first.id and case.status == "in_discussion"  # shown to all
    assert case.alert.case_status == "in_discussion"  # and to the reporter


def test_acknowledging_keeps_a_lead_someone_already_took(make_user, make_urgent_case):
    lead = make_user(country="RO")
    coordinator = make_user(role="coordinator", country="RO")
    case = make_urgent_case(country="RO")
    cases.take_lead(case, lead)
    assert urgent.acknowledge(case, coordinator) is True
    assert case.lead_id == lead.id and case.acknowledged_by_id == coordinator.id


def test_a_second_acknowledgement_changes_nothing(
    client, act_as, make_user, make_urgent_case, post_form
):
    first, second = (make_user(role="coordinator", country="RO") for _ in range(2))
    case = make_urgent_case(country="RO")
    assert urgent.acknowledge(case, first) is True
    db.session.commit()
    act_as(second)
    url = f"/en/arena/cases/{case.id}"
    page = post_form(url, {}, action=f"{url}/acknowledge", follow_redirects=True)
    assert "There is nothing to acknowledge" in page.get_data(as_text=True)
    assert db.session.get(Case, case.id).acknowledged_by_id == first.id
    assert _events(case).count("acknowledged") == 1


def test_ordinary_and_closed_cases_cannot_be_acknowledged(make_user, make_case, make_urgent_case):
    coordinator = make_user(role="coordinator", country="RO")
    ordinary, closed = make_case(country="RO"), make_urgent_case(country="RO")
    close(closed, coordinator, "resolved")
    assert urgent.acknowledge(ordinary, coordinator) is False
    assert urgent.acknowledge(closed, coordinator) is False


def test_case_page_shows_how_long_an_urgent_case_waits(client, act_as, make_user,
                                                       make_urgent_case):
    case = make_urgent_case(country="RO")
    _age(case, 37)
    act_as(make_user(role="coordinator", country="RO"))
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Not acknowledged for 37 minutes" in page
    assert "Acknowledge: I am dealing with it" in page


def test_members_see_the_urgency_but_no_acknowledge_button(client, act_as, make_user,
                                                          make_urgent_case):
    case = make_urgent_case(country="RO")
    act_as(make_user(country="RO"))
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Not acknowledged for" in page
    assert "Acknowledge: I am dealing with it" not in page


# The board ----------------------------------------------------------------------------------
def test_board_lists_urgent_cases_waiting_for_a_coordinator_first_with_their_age(
    client, act_as, make_user, make_case, make_urgent_case
):
    coordinator = make_user(role="coordinator", country="RO")
    waiting = make_urgent_case(country="RO")
    _age(waiting, 72)
    handled = make_urgent_case(country="RO")
    _age(handled, 30)
    urgent.acknowledge(handled, coordinator)
    newest = make_case(country="RO")
    db.session.commit()
    act_as(coordinator)
    page = client.get("/en/arena/").get_data(as_text=True)
    order = [page.index(f"Case #{c.id}<") for c in (waiting, newest, handled)]
    assert order == sorted(order)
    assert "Waiting for a coordinator for 1 h 12 min" in page
    assert page.count("Waiting for a coordinator for") == 1
    assert f"Acknowledge case #{waiting.id}" in page
    assert "3 cases" in page


def test_board_row_acknowledges_with_one_click(client, act_as, make_user, make_urgent_case,
                                               post_form):
    case = make_urgent_case(country="RO")
    act_as(make_user(role="coordinator", country="RO"))
    response = post_form("/en/arena/", {}, action=f"/en/arena/cases/{case.id}/acknowledge")
    assert response.headers["Location"].endswith(f"/en/arena/cases/{case.id}")
    assert db.session.get(Case, case.id).acknowledged_at is not None


def test_members_board_shows_the_wait_without_a_button(client, act_as, make_user,
                                                       make_urgent_case):
    case = make_urgent_case(country="RO")
    act_as(make_user(country="RO"))
    page = client.get("/en/arena/").get_data(as_text=True)
    assert "Waiting for a coordinator for" in page
    assert f"Acknowledge case #{case.id}" not in page


# Escalation -----------------------------------------------------------------------------------
def test_unacknowledged_case_is_escalated_to_the_admins_after_the_configured_time_once(
    client, act_as, make_user, make_urgent_case, outbox
):
    make_user(role="coordinator", country="RO")
    admin = make_user(role="admin", country="DE", language="de")
    case = make_urgent_case(country="RO")
    outbox.clear()
    _age(case, 119)
    tasks.escalate_urgent_cases()
    assert db.session.get(Case, case.id).escalated_at is None
    _age(case, 121)
    tasks.escalate_urgent_cases()
    tasks.escalate_urgent_cases()
    assert db.session.get(Case, case.id).escalated_at is not None
    assert [n.kind for n in _notes(admin)] == ["urgent_escalated"]
    assert [m.to for m in outbox] == [admin.email]
    assert f"/de/arena/cases/{case.id}" in outbox[0].body
    assert _events(case).count("escalated") == 1
    act_as(admin)
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "the administrators were alerted on" in page
    assert "Nobody acknowledged the urgent case within 2 hours" in page


def test_escalation_time_is_configurable(app, make_user, make_urgent_case):
    app.config["URGENT_ESCALATE_MINUTES"] = 30
    admin = make_user(role="admin", country="DE")
    case = make_urgent_case(country="RO")
    _age(case, 31)
    assert urgent.escalate_overdue() == 1
    db.session.commit()
    assert [n.params["minutes"] for n in _notes(admin, "urgent_escalated")] == [30]


def test_acknowledged_closed_and_ordinary_cases_are_never_escalated(
    make_user, make_case, make_urgent_case
):
    coordinator = make_user(role="coordinator", country="RO")
    make_user(role="admin", country="DE")
    acknowledged, closed = make_urgent_case(country="RO"), make_urgent_case(country="RO")
    ordinary = make_case(country="RO")
    urgent.acknowledge(acknowledged, coordinator)
    close(closed, coordinator, "resolved")
    for case in (acknowledged, closed, ordinary):
        _age(case, 600)
    assert urgent.escalate_overdue() == 0


def test_a_second_worker_escalating_the_same_case_tells_nobody_twice(make_user, make_urgent_case):
    admin = make_user(role="admin", country="DE")
    case = make_urgent_case(country="RO")
    _age(case, 200)
    now = utcnow()
    assert urgent.escalate(case, now) is True
    assert urgent.escalate(case, now) is False
    db.session.commit()
    assert len(_notes(admin, "urgent_escalated")) == 1


def test_escalation_runs_as_a_scheduled_task(app):
    task = schedule.TASKS["arena.escalate_urgent"]
    assert task.function is tasks.escalate_urgent_cases
    assert task.seconds <= 300


# Small pieces ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("minutes", "text"), [
    (0, "less than a minute"), (1, "1 minute"), (37, "37 minutes"), (60, "1 hour"),
    (120, "2 hours"), (72, "1 h 12 min"),
])
def test_durations_read_naturally(app, minutes, text):
    with app.test_request_context("/en/"):
        assert format_duration(minutes) == text


def test_waiting_minutes_count_from_the_cases_creation(make_urgent_case):
    case = make_urgent_case(country="RO")
    _age(case, 45)
    assert urgent.unacknowledged_minutes(db.session.get(Case, case.id)) == 45
