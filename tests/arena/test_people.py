"""Members directory, profiles that show only what members share, and private messages."""

from __future__ import annotations

from app.arena.models import DirectMessage
from app.extensions import db


def test_directory_lists_only_approved_public_members_and_filters(client, act_as, make_user):
    act_as(make_user(country="DE"))
    make_user(name="Ada Public", public_profile=True, country="PL", expertise=["antisemitism"],
              working_languages=["pl", "en"], profession="social_worker")
    make_user(name="Dan Other", public_profile=True, country="DE", expertise=["racism"],
              working_languages=["de"], profession="teacher")
    make_user(name="Bo Hidden", public_profile=False)
    make_user(name="Cy Pending", public_profile=True, status="pending")
    html = client.get("/en/arena/people").get_data(as_text=True)
    assert "Ada Public" in html and "Dan Other" in html
    assert "Bo Hidden" not in html and "Cy Pending" not in html
    for query in ("expertise=antisemitism", "language=pl", "country=PL",
                  "profession=social_worker", "q=ada"):
        found = client.get(f"/en/arena/people?{query}").get_data(as_text=True)
        assert "Ada Public" in found and "Dan Other" not in found, query
    assert "Ada Public" not in client.get("/en/arena/people?expertise=racism").get_data(True)


def test_profile_shows_shared_fields_and_practices_but_never_the_email(
    client, act_as, make_user, make_item
):
    act_as(make_user(country="DE"))
    expert = make_user(name="Eva Expert", public_profile=True, bio="Ten years of school work.")
    make_item(type="practice", title="Class council against hate", author_id=expert.id)
    make_item(type="practice", title="Unfinished idea", author_id=expert.id, status="draft")
    html = client.get(f"/en/arena/people/{expert.id}").get_data(as_text=True)
    assert "Ten years of school work." in html and "Class council against hate" in html
    assert "Unfinished idea" not in html and expert.email not in html


def test_contact_sends_in_portal_message_with_mail_and_reply_stays_in_portal(
    client, act_as, make_user, post_form, outbox
):
    sender = make_user(name="Sam Sender")
    expert = make_user(name="Eva Expert", public_profile=True)
    act_as(sender)
    response = post_form(f"/en/arena/people/{expert.id}/contact", {"body": "Can we talk?"})
    assert response.status_code == 302
    thread_url = response.location
    [mail] = [m for m in outbox if m.to == expert.email]
    assert "Sam Sender" in mail.subject and "Can we talk?" not in mail.body
    act_as(expert)
    post_form(thread_url, {"body": "Sure, **tomorrow**."})
    act_as(sender)
    html = client.get(thread_url).get_data(as_text=True)
    assert "Can we talk?" in html and "<strong>tomorrow</strong>" in html
    assert db.session.query(DirectMessage).count() == 2


def test_deleting_an_account_deletes_its_private_conversations(make_user, db):
    from app.accounts.services import delete_account
    from app.arena.services import people
    from tests.fixtures.users import PASSWORD

    leaving, staying = make_user(), make_user()
    thread = people.conversation_between(leaving, staying, create=True)
    people.send_message(thread, leaving, "My private phone is 0151 000000.")
    people.send_message(thread, staying, "Thanks, I will call.")
    db.session.commit()
    assert delete_account(leaving, PASSWORD)
    db.session.expire_all()
    assert db.session.query(DirectMessage).count() == 0
