"""The retention policy: alert text, place, contact and messages are purged a configured time
after the case closed or the alert was answered, the country's coordinators are warned once
before, and the scheduled job and `flask gdpr purge` run it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts.models import utcnow
from app.admin import retention
from app.alerts.models import Alert, AlertMessage, FollowUpGrant
from app.alerts.services import grant_follow_up
from app.arena.models import Comment, Notification
from app.arena.services import cases, discussion
from app.arena.services.notifications import describe
from app.core.access_log import AccessLogEntry
from app.core.schedule import TASKS
from tests.fixtures.alerts import receipt_from, valid_alert
from tests.fixtures.app import csrf_token_from

CONTACT = "reporter.retention@example.org"
MARKER = "Zorblatski"
DAY = timedelta(days=1)


def _closed_case(make_case, make_user, db, **fields):
    """A DE case with the reporter's contact, place and both sides' messages, closed now."""
    case = make_case(country="DE", contact_email=CONTACT, affected="Pupils of class 7c",
                     **fields)
    coordinator = make_user(role="coordinator", country="DE")
    db.session.add(AlertMessage(alert=case.alert, body="Reporter: any news?", from_reporter=True))
    discussion.message_reporter(case, coordinator, "Expert: we are on it.")
    grant_follow_up(case.alert)
    cases.close(case, coordinator, "resolved", "Talked to the school.")
    db.session.commit()
    return case


def _days_after_closing(case, days: int):
    """A moment `days` days after the case closed."""
    closed = case.closed_at
    return (closed if closed.tzinfo else closed.replace(tzinfo=utcnow().tzinfo)) + days * DAY


def test_a_closed_case_keeps_its_alert_data_until_the_period_has_passed(
        app, make_case, make_user, db):
    case = _closed_case(make_case, make_user, db)
    retention.run_retention(now=_days_after_closing(case, 179))
    alert = db.session.get(Alert, case.alert_id)
    assert alert.description
    assert alert.contact_email == CONTACT
    assert alert.purged_at is None
    assert db.session.scalar(select(AlertMessage.id).where(AlertMessage.alert_id == alert.id))


def test_after_the_period_text_place_contact_and_messages_are_purged(
        app, make_case, make_user, db):
    case = _closed_case(make_case, make_user, db)
    run = retention.run_retention(now=_days_after_closing(case, 181))
    db.session.expire_all()
    alert = db.session.get(Alert, case.alert_id)
    assert run.purged == 1
    assert alert.description is None
    assert alert.contact_email is None
    assert alert.city == ""
    assert alert.affected == ""
    assert alert.purged_at is not None
    assert alert.purge_reason == "retention"
    assert db.session.scalars(select(AlertMessage).where(AlertMessage.alert_id == alert.id)
                              ).all() == []
    assert db.session.scalars(select(FollowUpGrant).where(FollowUpGrant.alert_id == alert.id)
                              ).all() == []
    assert cases.case_for_alert(alert).city == ""


def test_the_purge_keeps_what_identifies_nobody(app, make_case, make_user, db):
    case = _closed_case(make_case, make_user, db)
    created = db.session.get(Alert, case.alert_id).created_at
    retention.run_retention(now=_days_after_closing(case, 181))
    db.session.expire_all()
    alert = db.session.get(Alert, case.alert_id)
    assert alert.categories == ["extremist_propaganda"]
    assert alert.country == "DE"
    assert alert.created_at == created
    assert cases.case_for_alert(alert).status == "closed"
    assert cases.case_for_alert(alert).outcome == "Talked to the school."


def test_an_open_case_is_never_purged(app, make_case, db):
    case = make_case(country="DE", contact_email=CONTACT)
    retention.run_retention(now=utcnow() + 3650 * DAY)
    assert db.session.get(Alert, case.alert_id).contact_email == CONTACT


def test_an_alert_the_library_answered_is_purged_after_the_period_from_its_decision(
        app, make_alert, db):
    alert = make_alert(country="PL", contact_email=CONTACT, decided_at=utcnow())
    retention.run_retention(now=utcnow() + 179 * DAY)
    assert db.session.get(Alert, alert.id).contact_email == CONTACT
    retention.run_retention(now=utcnow() + 181 * DAY)
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).contact_email is None
    assert db.session.get(Alert, alert.id).description is None


def test_the_period_comes_from_the_configuration(app, make_alert, db):
    app.config["RETENTION_ALERT_DAYS"] = 30
    alert = make_alert(country="PL", decided_at=utcnow())
    retention.run_retention(now=utcnow() + 31 * DAY)
    db.session.expire_all()
    assert db.session.get(Alert, alert.id).description is None


def test_a_duplicate_waits_for_the_case_it_was_merged_into(app, make_case, make_user, db):
    coordinator = make_user(role="coordinator", country="DE")
    duplicate, survivor = make_case(country="DE"), make_case(country="DE")
    cases.merge_duplicate(duplicate, survivor, coordinator)
    db.session.commit()
    retention.run_retention(now=_days_after_closing(duplicate, 181))
    assert db.session.get(Alert, duplicate.alert_id).description
    cases.close(survivor, coordinator, "resolved")
    db.session.commit()
    retention.run_retention(now=_days_after_closing(survivor, 181))
    db.session.expire_all()
    assert db.session.get(Alert, duplicate.alert_id).description is None


def test_quotes_of_the_purged_text_leave_what_members_wrote(app, make_case, make_user, db):
    description = f"{MARKER} from class 7c was pushed against the lockers in the break."
    member = make_user(country="DE")
    case = make_case(country="DE", description=description)
    discussion.add_comment(case, member, f"I know {MARKER}, we should talk to the teacher.")
    cases.close(case, member, "resolved")
    db.session.commit()
    retention.run_retention(now=_days_after_closing(case, 181))
    db.session.expire_all()
    body = db.session.scalar(select(Comment.body).where(Comment.case_id == case.id))
    assert MARKER not in body
    assert "talk to the teacher" in body


def test_coordinators_are_warned_once_before_the_purge(app, make_case, make_user, db):
    first = _closed_case(make_case, make_user, db)
    _closed_case(make_case, make_user, db)
    make_user(role="coordinator", country="PL")  # another country's: not told
    retention.run_retention(now=_days_after_closing(first, 170))
    retention.run_retention(now=_days_after_closing(first, 172))
    warnings = db.session.scalars(select(Notification).where(
        Notification.kind == "retention_warning")).all()
    told = {note.user.country for note in warnings}
    assert told == {"DE"}
    assert len(warnings) == 2  # the two DE coordinators, one notification each, once
    assert {note.params["count"] for note in warnings} == {2}
    assert db.session.get(Alert, first.alert_id).description  # warned, not yet purged


def test_the_warning_names_the_count_and_the_days(app, make_case, make_user, db):
    case = _closed_case(make_case, make_user, db)
    retention.run_retention(now=_days_after_closing(case, 170))
    note = db.session.scalar(select(Notification).where(
        Notification.kind == "retention_warning"))
    with app.test_request_context("/en/"):
        text = describe(note)
    assert "1 report of Germany" in text
    assert "14 days" in text


def test_the_warning_comes_with_the_daily_digest(app, make_case, make_user, db):
    case = _closed_case(make_case, make_user, db)
    retention.run_retention(now=_days_after_closing(case, 170))
    note = db.session.scalar(select(Notification).where(
        Notification.kind == "retention_warning"))
    assert note.delivery == "digest"


def test_the_access_log_is_pruned_after_its_period(app, make_user, db):
    member = make_user()
    db.session.add(AccessLogEntry(actor_id=member.id, action="case_opened", object_type="case",
                                  object_id=1, created_at=utcnow() - 366 * DAY))
    db.session.add(AccessLogEntry(actor_id=member.id, action="case_opened", object_type="case",
                                  object_id=2, created_at=utcnow() - 364 * DAY))
    db.session.commit()
    run = retention.run_retention()
    kept = db.session.scalars(select(AccessLogEntry.object_id)).all()
    assert run.access_log_pruned == 1
    assert kept == [2]


def test_the_scheduled_job_runs_the_policy_daily(app, make_alert, db):
    task = TASKS["gdpr.retention"]
    alert = make_alert(country="PL", decided_at=utcnow() - 200 * DAY)
    task.function()
    db.session.expire_all()
    assert task.seconds == 24 * 3600
    assert db.session.get(Alert, alert.id).description is None


def test_dry_run_prints_counts_only_and_changes_nothing(app, make_alert, runner, db):
    alert = make_alert(country="PL", contact_email=CONTACT, decided_at=utcnow() - 200 * DAY)
    result = runner.invoke(args=["gdpr", "purge", "--dry-run"])
    db.session.expire_all()
    assert result.exit_code == 0
    assert "1 alerts would be purged" in result.output
    assert CONTACT not in result.output
    assert "pupil" not in result.output.lower()
    assert db.session.get(Alert, alert.id).contact_email == CONTACT


def test_the_purge_command_purges(app, make_alert, runner, db):
    alert = make_alert(country="PL", contact_email=CONTACT, decided_at=utcnow() - 200 * DAY)
    result = runner.invoke(args=["gdpr", "purge"])
    db.session.expire_all()
    assert "1 alerts were purged" in result.output
    assert db.session.get(Alert, alert.id).contact_email is None


@pytest.fixture
def purged_reporter(app, alert_library, db):
    """A reporter who sent an alert the library answered, which the retention policy then
    purged, and who typed the receipt code again: (browser, alert)."""
    browser = app.test_client()
    form = browser.get("/en/alert/").get_data(as_text=True)
    sent = browser.post("/en/alert/", data={"csrf_token": csrf_token_from(form),
                                            **valid_alert(contact_email=CONTACT)})
    code = receipt_from(sent.get_data(as_text=True))
    alert = db.session.scalars(select(Alert)).one()
    retention.purge_alert(alert, utcnow())
    db.session.commit()
    page = browser.get("/en/alert/follow-up").get_data(as_text=True)
    browser.post("/en/alert/follow-up", data={"csrf_token": csrf_token_from(page), "code": code})
    return browser, alert


def test_the_receipt_page_says_the_details_were_deleted(purged_reporter):
    browser, _alert = purged_reporter
    html = browser.get("/en/alert/follow-up").get_data(as_text=True)
    assert "were deleted on" in html
    assert "under our retention policy" in html
    assert "Send message" not in html


def test_a_purged_alert_takes_no_new_message(purged_reporter, db):
    browser, alert = purged_reporter
    page = browser.get("/en/alert/follow-up").get_data(as_text=True)
    browser.post("/en/alert/follow-up/message",
                 data={"csrf_token": csrf_token_from(page), "body": "Anyone there?"})
    assert db.session.scalars(select(AlertMessage).where(AlertMessage.alert_id == alert.id)
                              ).all() == []
    assert db.session.get(Alert, alert.id).forwarded_at is None


def test_purged_text_leaves_the_search_index(app, library_index, make_case, make_user, db):
    from app.arena.services import lessons
    from app.library.publishing import publish_item

    description = f"{MARKER} from class 7c was pushed against the lockers in the break."
    case = make_case(country="DE", description=description)
    coordinator = make_user(role="coordinator", country="DE")
    cases.close(case, coordinator, "resolved", f"{MARKER} changed class; the film was deleted.")
    lesson = lessons.create_lesson_draft(case, coordinator)
    db.session.commit()
    publish_item(lesson, make_user(role="admin"), "http://localhost/")
    assert _index_files_quoting(app, MARKER)  # the published lesson quotes the report
    retention.run_retention(now=_days_after_closing(case, 181))
    assert _index_files_quoting(app, MARKER) == []


def _index_files_quoting(app, marker: str) -> list[str]:
    """Files of the search index folder whose bytes contain the marker (any case)."""
    folder = Path(app.config["INDEX_DIR"])
    return [str(path) for path in folder.rglob("*") if path.is_file()
            and marker.lower().encode() in path.read_bytes().lower()]


def test_the_coordinator_reads_the_warning_among_their_notifications(
        app, make_case, make_user, login, db):
    case = _closed_case(make_case, make_user, db)
    retention.run_retention(now=_days_after_closing(case, 170))
    coordinator = db.session.scalar(select(Notification).where(
        Notification.kind == "retention_warning")).user
    html = login(coordinator).get("/en/arena/notifications").get_data(as_text=True)
    assert "1 report of Germany will lose its text" in html
