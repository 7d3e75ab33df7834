"""An admin erases a report at once: its text, place, contact and messages go (as on
withdrawal, quotes and the index included), the case closes, and who erased it when is
recorded without content; nobody else may."""

from __future__ import annotations

from sqlalchemy import select

from app.alerts.models import Alert, AlertMessage
from app.arena.models import Comment
from app.arena.services import cases, discussion
from app.core.access_log import AccessLogEntry
from tests.fixtures.app import csrf_token_from

CONTACT = "reporter.erase@example.org"
MARKER = "Quibbleworth"


def _report(make_case, make_user, db):
    """An open DE case with contact, place, a reporter message and a member quoting it."""
    case = make_case(country="DE", contact_email=CONTACT,
                     description=f"{MARKER} from class 7c was pushed against the lockers.")
    member = make_user(country="DE")
    db.session.add(AlertMessage(alert=case.alert, body="Reporter: please help", from_reporter=True))
    discussion.add_comment(case, member, f"I know {MARKER}, let us talk to the teacher.")
    db.session.commit()
    return case


def _erase(client, case, confirm: bool = True):
    """Tick the confirmation (or not) and press "Erase the report" on the case page."""
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page)} | ({"confirm": "y"} if confirm else {})
    return client.post(f"/en/admin/alerts/{case.alert_id}/erase", data=data)


def test_an_admin_erases_a_report_at_once(app, make_case, make_user, login, db):
    case = _report(make_case, make_user, db)
    admin = make_user(role="admin", country="PL")
    response = _erase(login(admin), case)
    db.session.expire_all()
    alert = db.session.get(Alert, case.alert_id)
    assert response.status_code == 302
    assert alert.description is None
    assert alert.contact_email is None
    assert alert.city == ""
    assert db.session.scalars(select(AlertMessage).where(AlertMessage.alert_id == alert.id)
                              ).all() == []
    assert alert.purge_reason == "erased"
    assert alert.purged_by_id == admin.id


def test_the_erasure_closes_the_case_and_keeps_its_statistics(app, make_case, make_user,
                                                              login, db):
    case = _report(make_case, make_user, db)
    _erase(login(make_user(role="admin")), case)
    db.session.expire_all()
    kept = cases.case_for_alert(db.session.get(Alert, case.alert_id))
    assert kept.status == "closed"
    assert kept.categories == ["extremist_propaganda"]
    assert kept.country == "DE"


def test_the_erasure_redacts_quotes_like_a_withdrawal(app, make_case, make_user, login, db):
    case = _report(make_case, make_user, db)
    _erase(login(make_user(role="admin")), case)
    db.session.expire_all()
    body = db.session.scalar(select(Comment.body).where(Comment.case_id == case.id))
    assert MARKER not in body


def test_the_erasure_is_recorded_without_content(app, make_case, make_user, login, db):
    case = _report(make_case, make_user, db)
    admin = make_user(role="admin")
    _erase(login(admin), case)
    entry = db.session.scalar(select(AccessLogEntry).where(
        AccessLogEntry.action == "alert_erased"))
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        admin.id, "alert", case.alert_id)


def test_without_the_confirmation_nothing_is_erased(app, make_case, make_user, login, db):
    case = _report(make_case, make_user, db)
    _erase(login(make_user(role="admin")), case, confirm=False)
    db.session.expire_all()
    assert db.session.get(Alert, case.alert_id).contact_email == CONTACT


def test_a_coordinator_cannot_erase(app, make_case, make_user, login, db):
    case = _report(make_case, make_user, db)
    response = _erase(login(make_user(role="coordinator", country="DE")), case)
    db.session.expire_all()
    assert response.status_code == 403
    assert db.session.get(Alert, case.alert_id).contact_email == CONTACT


def test_a_member_cannot_erase(app, make_case, make_user, login, db):
    case = _report(make_case, make_user, db)
    response = _erase(login(make_user(country="DE")), case)
    db.session.expire_all()
    assert response.status_code == 403
    assert db.session.get(Alert, case.alert_id).description


def test_erasing_an_unknown_report_is_404(app, make_case, make_user, login):
    case = make_case(country="DE")
    client = login(make_user(role="admin"))
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    response = client.post("/en/admin/alerts/999999/erase",
                           data={"csrf_token": csrf_token_from(page), "confirm": "y"})
    assert response.status_code == 404


def test_only_admins_see_the_erase_button(app, make_case, make_user, login, act_as):
    case = make_case(country="DE")
    coordinator_page = login(make_user(role="coordinator", country="DE")).get(
        f"/en/arena/cases/{case.id}").get_data(as_text=True)
    admin_page = act_as(make_user(role="admin")).get(
        f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Erase the report" not in coordinator_page
    assert "Erase the report" in admin_page


def test_erasing_is_a_post(app, make_case, make_user, login):
    case = make_case(country="DE")
    client = login(make_user(role="admin"))
    assert client.get(f"/en/admin/alerts/{case.alert_id}/erase").status_code == 405


def test_the_case_history_names_who_erased_the_report(app, make_case, make_user, login, db):
    case = _report(make_case, make_user, db)
    client = login(make_user(role="admin", name="Admin Ada"))
    _erase(client, case)
    html = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Admin Ada erased the report" in html
    assert "An administrator erased" in html


def test_visitors_cannot_erase(app, make_case, make_user, client, db):
    case = _report(make_case, make_user, db)
    response = client.post(f"/en/admin/alerts/{case.alert_id}/erase", data={"confirm": "y"})
    db.session.expire_all()
    assert response.status_code in (302, 400)
    assert db.session.get(Alert, case.alert_id).contact_email == CONTACT


def test_the_erased_case_says_an_administrator_erased_it(app, make_case, make_user, login,
                                                         db):
    """Not "withdrawn by the reporter": the case history must tell what happened."""
    case = _report(make_case, make_user, db)
    client = login(make_user(role="admin"))
    _erase(client, case)
    db.session.expire_all()
    assert cases.case_for_alert(db.session.get(Alert, case.alert_id)).closed_reason == "erased"
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Erased by an administrator" in page
    assert "Withdrawn by the reporter" not in page


def test_the_reporter_still_opens_an_erased_report_and_is_told(app, make_case, make_user,
                                                               login, db):
    """The receipt code keeps working, so the reporter does not think they mistyped it."""
    from app.alerts.services import new_receipt_code, receipt_hash

    case = _report(make_case, make_user, db)
    code = new_receipt_code()
    case.alert.receipt_hash = receipt_hash(code)
    db.session.commit()
    _erase(login(make_user(role="admin")), case)
    reporter = app.test_client()
    form = reporter.get("/en/alert/follow-up").get_data(as_text=True)
    opened = reporter.post("/en/alert/follow-up",
                           data={"csrf_token": csrf_token_from(form), "code": code},
                           follow_redirects=True)
    page = opened.get_data(as_text=True)
    assert "An administrator erased the details of this report" in page
    assert MARKER not in page and CONTACT not in page
    assert "Withdraw the alert" not in page and "ask the experts" not in page
