"""Notifications: who hears of what, per-kind preferences, immediate mail, digests and retries."""

from __future__ import annotations

import pytest
from flask import current_app

from app.accounts.models import utcnow
from app.arena.models import Case, Notification
from app.arena.services import cases, discussion
from app.arena.services import notifications as service
from app.arena.services.handles import member_handle
from app.core.jobs import Job, drain
from app.extensions import db


def _notes(user, kind=None) -> list[Notification]:
    query = db.select(Notification).where(Notification.user_id == user.id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


def test_new_case_notifies_members_of_its_country_only(make_user, make_case):
    here, abroad = make_user(country="DE"), make_user(country="PL")
    case = make_case(country="DE")
    assert [n.params["case_id"] for n in _notes(here, "new_case")] == [case.id]
    assert _notes(abroad) == []


def test_mention_notifies_and_mails_at_once_in_the_members_language(
    client, act_as, make_user, make_case, post_form, outbox
):
    case = make_case(country="DE")
    mentioned = make_user(country="DE", name="Zofia Nowak", language="de")
    act_as(make_user(country="DE", name="Ben Ott"))
    url = f"/en/arena/cases/{case.id}"
    post_form(url, {"body": f"@{member_handle(mentioned)} what do you think?"},
              action=f"{url}/comments")
    [note] = _notes(mentioned, "mention")
    assert note.params["name"] == "Ben Ott" and note.sent_at is not None
    mail = next(m for m in outbox if m.to == mentioned.email)
    assert f"/de/arena/cases/{case.id}" in mail.body


def test_replies_and_released_recommendations_notify_followers(make_user, make_case):
    case = make_case(country="DE")
    follower, writer = make_user(country="DE"), make_user(country="DE")
    cases.follow(case, follower)
    discussion.add_comment(case, writer, "An idea.")
    rec = discussion.add_recommendation(case, writer, action="Do it.", reason="Because.",
                                        actors=["school"], urgency="low")
    discussion.release_recommendation(rec, writer)
    db.session.commit()
    kinds = sorted(n.kind for n in _notes(follower) if n.kind != "new_case")
    assert kinds == ["recommendation", "reply", "reply"]
    assert not any(n.kind == "reply" for n in _notes(writer))


def test_switching_a_kind_off_means_no_notification(make_user, make_case):
    member = make_user(country="DE")
    service.set_preferences(member, {"new_case": "off"})
    db.session.commit()
    make_case(country="DE")
    assert _notes(member) == []


def test_preferences_page_saves_choices(client, act_as, make_user, post_form):
    member = make_user(country="DE")
    act_as(member)
    data = {kind: "digest" for kind in service.DEFAULT_DELIVERY} | {"message": "off"}
    response = post_form("/en/arena/notifications/settings", data)
    assert response.status_code == 302
    assert service.preferences(member)["message"] == "off"
    assert service.preferences(member)["mention"] == "digest"


def test_digest_sends_one_mail_once(runner, make_user, make_case, outbox):
    member = make_user(country="DE")
    make_case(country="DE"), make_case(country="DE")
    assert outbox == []  # new cases go to the digest by default
    result = runner.invoke(args=["notify", "digest"])
    assert result.exit_code == 0, result.output
    mails = [m for m in outbox if m.to == member.email]
    assert len(mails) == 1 and "2 new notifications" in mails[0].subject
    runner.invoke(args=["notify", "digest"])
    assert len([m for m in outbox if m.to == member.email]) == 1  # nothing sent twice


def _queued_jobs() -> list[Job]:
    return list(db.session.scalars(db.select(Job).order_by(Job.id)))


def test_failing_mail_server_loses_nothing(
    runner, make_user, make_case, outbox, mail_server_down, run_jobs_now
):
    member = make_user(country="DE")
    make_case(country="DE")
    result = runner.invoke(args=["notify", "digest"])
    assert result.exit_code == 0 and "1 e-mails queued" in result.output
    [job] = _queued_jobs()
    assert (job.state, job.attempts, job.last_error) == ("queued", 1, "MailError")
    assert job.run_after > utcnow().replace(tzinfo=None)  # backed off, not lost
    current_app.config["MAIL_BACKEND"] = "memory"
    run_jobs_now()
    assert len([m for m in outbox if m.to == member.email]) == 1
    runner.invoke(args=["notify", "digest"])
    assert len([m for m in outbox if m.to == member.email]) == 1  # nothing sent twice


def test_immediate_mail_waits_in_the_queue_while_the_server_is_down(
    make_user, make_case, outbox, mail_server_down, run_jobs_now
):
    case = make_case(country="DE")
    mentioned, writer = make_user(country="DE"), make_user(country="DE")
    discussion.add_comment(case, writer, f"@{member_handle(mentioned)} please look")
    service.queue_immediate_mail()
    db.session.commit()
    [note] = _notes(mentioned, "mention")
    assert note.sent_at is None and [j.kind for j in _queued_jobs()] == [service.NOTIFICATION_MAIL]
    current_app.config["MAIL_BACKEND"] = "memory"
    run_jobs_now()
    assert any("mentioned you" in m.subject for m in outbox if m.to == mentioned.email)
    assert db.session.get(Notification, note.id).sent_at is not None and _queued_jobs() == []


@pytest.mark.parametrize("status", ["pending", "suspended"])
def test_header_count_only_for_approved_members(client, act_as, make_user, make_case, status):
    member = make_user(country="DE")
    make_case(country="DE")
    act_as(member)
    html = client.get("/en/").get_data(as_text=True)
    assert 'class="badge">1<' in html
    act_as(make_user(country="DE", status=status))
    assert "/en/arena/notifications" not in client.get("/en/").get_data(as_text=True)


def test_opening_a_notification_marks_it_read(client, act_as, make_user, make_case, post_form):
    member = make_user(country="DE")
    case = make_case(country="DE")
    act_as(member)
    [note] = _notes(member)
    response = post_form("/en/arena/notifications", {},
                         action=f"/en/arena/notifications/{note.id}")
    assert response.location.endswith(f"/en/arena/cases/{case.id}")
    assert service.unread_count(member) == 0


def test_a_notification_is_not_marked_read_by_a_get_or_without_a_token(client, act_as,
                                                                       make_user, make_case):
    member = make_user(country="DE")
    make_case(country="DE")
    act_as(member)
    [note] = _notes(member)
    assert client.get(f"/en/arena/notifications/{note.id}").status_code == 405
    assert client.post(f"/en/arena/notifications/{note.id}").status_code == 400
    assert service.unread_count(member) == 1


def test_mentioning_a_member_who_cannot_see_the_case_notifies_nobody(make_user, make_case):
    case = make_case(country="DE")
    abroad = make_user(country="PL")
    discussion.add_comment(case, make_user(country="DE"), f"@{member_handle(abroad)} ?")
    db.session.commit()
    assert _notes(abroad) == []


def test_reporter_message_notifies_followers_once(client, act_as, make_user, make_case):
    from app.alerts.services import post_reporter_message

    case = make_case(country="DE")
    follower = make_user(country="DE")
    cases.follow(case, follower)
    db.session.commit()
    post_reporter_message(case.alert, "The pupil's parents want to talk.")
    assert len(_notes(follower, "reply")) == 1  # at once, nobody had to open the board
    act_as(follower)
    client.get("/en/arena/")
    runner = client.application.test_cli_runner()
    runner.invoke(args=["notify", "digest"])  # the catch-up path must not notify again
    assert len(_notes(follower, "reply")) == 1
    assert "The reporter wrote a message" in client.get(f"/en/arena/cases/{case.id}").get_data(True)


def test_reporter_page_only_queues_the_case_and_its_mail(app, send_alert, make_user, outbox):
    member = make_user(country="DE")
    service.set_preferences(member, {"new_case": "immediate"})
    db.session.commit()
    app.config["JOBS_INLINE"] = False  # as in production: a worker process does the rest
    response = send_alert(description="Nothing in the library resembles this at all: "
                                      "zqxv wplk trrm mmnb vvcx, bbnm qqwe.")
    assert response.status_code == 200 and outbox == []
    assert db.session.scalar(db.select(Case)) is None
    assert [job.kind for job in _queued_jobs()] == ["alerts.forwarded"]
    drain()  # the worker: opens the case, which queues the member's mail, then sends it
    assert db.session.scalar(db.select(Case)) is not None
    assert [m.to for m in outbox] == [member.email] and _queued_jobs() == []
