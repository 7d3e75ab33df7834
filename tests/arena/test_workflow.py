"""A forwarded alert becomes a case; members lead, discuss, recommend, release and close it."""

from __future__ import annotations

from datetime import timedelta

from app.alerts.services import (
    post_member_message,
    post_reporter_message,
    released_recommendations,
    withdraw_alert,
)
from app.arena.models import Comment
from app.arena.services import cases
from app.extensions import db

RECOMMENDATION = {
    "action": "Talk with the pupil and the parents; secure screenshots of the chat.",
    "reason": "Early, calm adult contact stops most imitation in class.",
    "actors": ["school", "family"],
    "urgency": "high",
}


def _case_url(case) -> str:
    return f"/en/arena/cases/{case.id}"


def test_forwarded_alert_appears_on_its_country_board_only(client, act_as, make_user, make_case):
    case = make_case(country="DE")
    act_as(make_user(country="DE"))
    board = client.get("/en/arena/").get_data(as_text=True)
    assert f"Case #{case.id}" in board and "No response yet" in board
    act_as(make_user(country="PL"))
    assert f"Case #{case.id}" not in client.get("/en/arena/").get_data(as_text=True)
    assert case.alert.case_status == "new"


def test_member_leads_discusses_recommends_and_reporter_sees_release(
    client, act_as, make_user, make_case, post_form
):
    case = make_case(country="DE")
    act_as(make_user(country="DE", name="Anna Weber"))
    url = _case_url(case)
    post_form(url, {}, action=f"{url}/lead")
    post_form(url, {"body": "Has anyone *talked* with the class?"}, action=f"{url}/comments")
    response = post_form(f"{url}/recommendations/new", RECOMMENDATION)
    assert response.status_code == 302
    assert released_recommendations(case.alert) == []  # not yet released
    rec_id = case_recommendation_id(case)
    post_form(url, {}, action=f"/en/arena/recommendations/{rec_id}/release")
    released = released_recommendations(case.alert)
    assert [r["action"] for r in released] == [RECOMMENDATION["action"]]
    # Only the advice reaches the reporter: no member identity.
    assert set(released[0]) == {"action", "reason", "actors", "urgency", "released_at",
                                "resources"}
    db.session.refresh(case)
    assert case.status == "recommendation_given"
    assert case.alert.case_status == "recommendation_given"
    page = client.get(url).get_data(as_text=True)
    assert "<em>talked</em>" in page and "Released to the reporter" in page


def case_recommendation_id(case) -> int:
    from app.arena.models import Recommendation

    return db.session.scalar(db.select(Recommendation.id).where(Recommendation.case_id == case.id))


def test_history_keeps_who_did_what_and_when(client, act_as, make_user, make_case, post_form):
    case = make_case(country="DE")
    lead = make_user(country="DE", name="Lena Schmidt")
    act_as(lead)
    url = _case_url(case)
    post_form(url, {}, action=f"{url}/lead")
    post_form(url, {"body": "First thoughts."}, action=f"{url}/comments")
    post_form(url, {"outcome": "The school held a workshop."}, action=f"{url}/close")
    db.session.refresh(case)
    kinds = [(e.kind, e.actor.name if e.actor else None) for e in case.events]
    assert kinds[0] == ("created", None)
    assert ("lead", "Lena Schmidt") in kinds and ("commented", "Lena Schmidt") in kinds
    statuses = [e.detail["new"] for e in case.events if e.kind == "status"]
    assert statuses == ["in_discussion", "closed"]
    assert all(e.created_at is not None for e in case.events)
    page = client.get(url).get_data(as_text=True)
    assert "Lena Schmidt took the lead" in page
    assert "Lena Schmidt changed the status from In discussion to Closed" in page
    assert case.outcome == "The school held a workshop." and case.closed_reason == "resolved"


def test_coordinator_merges_duplicate_and_followers_move(
    client, act_as, make_user, make_case, post_form
):
    original, duplicate = make_case(country="DE"), make_case(country="DE")
    follower = make_user(country="DE")
    cases.follow(duplicate, follower)
    db.session.commit()
    act_as(make_user(role="coordinator", country="DE"))
    url = _case_url(duplicate)
    response = post_form(url, {"target": original.id}, action=f"{url}/merge")
    assert response.status_code == 302
    db.session.refresh(duplicate)
    assert duplicate.status == "closed" and duplicate.closed_reason == "duplicate"
    assert duplicate.duplicate_of_id == original.id
    assert cases.is_following(original, follower)
    assert any(e.kind == "merged_in" for e in original.events)
    assert duplicate.alert.case_status == "closed"
    assert f"Case #{original.id}" in client.get(url).get_data(as_text=True)


def test_merge_refuses_a_case_of_another_country(client, act_as, make_user, make_case, post_form):
    case, foreign = make_case(country="DE"), make_case(country="PL")
    act_as(make_user(role="coordinator", country="DE"))
    url = _case_url(case)
    response = post_form(url, {"target": foreign.id}, action=f"{url}/merge")
    assert response.status_code == 400
    assert "There is no such case on your board." in response.get_data(as_text=True)
    db.session.refresh(case)
    assert case.status == "new"


def test_only_coordinators_reopen(client, act_as, make_user, make_case, post_form):
    case = make_case(country="DE")
    cases.close(case, None, "resolved", "Done.")
    db.session.commit()
    url = _case_url(case)
    act_as(make_user(country="DE"))
    assert post_form(url, {}, action=f"{url}/reopen").status_code == 403
    act_as(make_user(role="coordinator", country="DE"))
    post_form(url, {}, action=f"{url}/reopen")
    db.session.refresh(case)
    assert case.status == "in_discussion"
    assert [e.detail["new"] for e in case.events if e.kind == "status"][-1] == "in_discussion"


def test_coordinator_assigns_a_member_of_the_country(
    client, act_as, make_user, make_case, post_form
):
    case = make_case(country="DE")
    helper = make_user(country="DE", name="Jonas Klein")
    act_as(make_user(role="coordinator", country="DE"))
    url = _case_url(case)
    post_form(url, {"member": helper.id}, action=f"{url}/assign")
    db.session.refresh(case)
    assert [a.user_id for a in case.assignments] == [helper.id]
    assert cases.is_following(case, helper)
    assert "Jonas Klein" in client.get(url).get_data(as_text=True)


def test_withdrawn_alert_closes_its_case(make_case):
    case = make_case(country="DE")
    withdraw_alert(case.alert)
    db.session.refresh(case)
    assert case.status == "closed" and case.closed_reason == "withdrawn"


def test_comment_is_editable_by_its_author_for_fifteen_minutes(
    client, act_as, make_user, make_case, post_form
):
    case = make_case(country="DE")
    author = make_user(country="DE")
    act_as(author)
    url = _case_url(case)
    post_form(url, {"body": "Typo hree."}, action=f"{url}/comments")
    comment = db.session.scalar(db.select(Comment))
    edit_url = f"/en/arena/comments/{comment.id}/edit"
    post_form(edit_url, {"body": "Typo here."})
    assert "Typo here." in client.get(url).get_data(as_text=True)
    comment.created_at = comment.created_at - timedelta(minutes=16)
    db.session.commit()
    assert client.get(edit_url).status_code == 403
    act_as(make_user(country="DE"))
    comment.created_at = comment.created_at + timedelta(minutes=16)
    db.session.commit()
    assert client.get(edit_url).status_code == 403


def test_empty_comment_and_incomplete_recommendation_keep_what_was_typed(
    client, act_as, make_user, make_case, post_form
):
    case = make_case(country="DE")
    act_as(make_user(country="DE"))
    url = _case_url(case)
    response = post_form(url, {"body": ""}, action=f"{url}/comments")
    assert response.status_code == 400 and "Please write a comment." in response.get_data(True)
    response = post_form(f"{url}/recommendations/new", {"action": "Call the parents."})
    html = response.get_data(as_text=True)
    assert "Call the parents." in html and "Please explain why." in html


def test_message_to_reporter_goes_through_follow_up_channel(
    client, act_as, make_user, make_case, post_form
):
    case = make_case(country="DE")
    act_as(make_user(country="DE", name="Piotr Secret"))
    url = _case_url(case)
    post_form(url, {"body": "Could you tell us the pupil's age?"}, action=f"{url}/messages")
    db.session.refresh(case.alert)
    [message] = case.alert.messages
    assert message.body == "Could you tell us the pupil's age?" and not message.from_reporter
    page = client.get(url).get_data(as_text=True)
    assert "ARENA member" in page


def test_released_recommendation_reaches_the_reporters_follow_up_page(
    app, client, act_as, make_user, make_case, post_form
):
    from flask import g

    from app.alerts.services import new_receipt_code, receipt_hash

    case = make_case(country="DE")
    code = new_receipt_code()
    case.alert.receipt_hash = receipt_hash(code)
    author = make_user(country="DE", name="Hidden Expert")
    rec = discussion_recommend(case, author)
    db.session.commit()
    reporter = app.test_client()
    g.pop("_login_user", None)
    page = reporter.get("/en/alert/follow-up").get_data(as_text=True)
    assert rec.action not in page
    token = page.split('name="csrf_token"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    reporter.post("/en/alert/follow-up", data={"csrf_token": token, "code": code})
    html = reporter.get("/en/alert/follow-up").get_data(as_text=True)
    assert rec.action in html and "School" in html and "Hidden Expert" not in html


def discussion_recommend(case, author):
    from app.arena.services import discussion

    rec = discussion.add_recommendation(case, author, action="Invite the parents to school.",
                                        reason="They can talk with the pupil.",
                                        actors=["school"], urgency="medium")
    discussion.release_recommendation(rec, author)
    return rec


def test_recommendation_links_library_resources_found_by_title_or_slug(
    client, act_as, make_user, make_case, make_item, post_form
):
    case = make_case(country="DE")
    by_title = make_item(type="practice", title="Class council against hate", slug="class-council")
    by_slug = make_item(type="training", title="Symbols workshop", slug="symbols-workshop")
    make_item(type="practice", title="Class council draft", slug="draft-one", status="draft")
    act_as(make_user(country="DE"))
    url = f"/en/arena/cases/{case.id}/recommendations/new"
    found = post_form(url, {**RECOMMENDATION, "resource_query": "class council", "find": "1"})
    html = found.get_data(as_text=True)
    assert "Class council against hate" in html and "Class council draft" not in html
    assert RECOMMENDATION["action"] in html  # nothing typed is lost while searching
    post_form(url, {**RECOMMENDATION, "resources": [by_title.id],
                    "resource_slugs": "symbols-workshop"})
    [released] = [r for r in _release_all(case)]
    assert {r["slug"] for r in released["resources"]} == {by_title.slug, by_slug.slug}
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "Symbols workshop" in page


def _release_all(case):
    from app.arena.models import Recommendation
    from app.arena.services import discussion

    for rec in db.session.scalars(db.select(Recommendation)):
        discussion.release_recommendation(rec, rec.author)
    db.session.commit()
    return released_recommendations(case.alert)


def test_case_of_a_withdrawn_alert_shows_no_text(client, act_as, make_user, make_case):
    case = make_case(country="DE")
    withdraw_alert(case.alert)
    act_as(make_user(country="DE"))
    html = client.get(_case_url(case)).get_data(as_text=True)
    assert "The reporter withdrew this alert" in html and "Send to the reporter" not in html


def test_comment_and_reporter_message_boxes_have_their_own_labels(client, act_as, make_user,
                                                                  make_case):
    case = make_case(country="DE")
    act_as(make_user(country="DE"))
    html = client.get(_case_url(case)).get_data(as_text=True)
    assert 'id="body"' not in html
    assert 'for="comment-body"' in html and 'id="comment-body"' in html
    assert 'for="message-body"' in html and 'id="message-body"' in html


def test_closing_warns_while_the_reporters_last_message_has_no_answer(
    client, act_as, make_user, make_case
):
    case = make_case(country="DE")
    coordinator = make_user(role="coordinator", country="DE")
    act_as(coordinator)
    warning = "The reporter's last message has no answer yet."
    assert warning not in client.get(_case_url(case)).get_data(as_text=True)
    post_reporter_message(case.alert, "Should we call the police?")
    assert warning in client.get(_case_url(case)).get_data(as_text=True)
    post_member_message(case.alert, coordinator, "Yes: call 110 and tell the school.")
    assert warning not in client.get(_case_url(case)).get_data(as_text=True)
