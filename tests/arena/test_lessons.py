"""From case to lesson: de-identified drafts, reviewed, published, then matched by new alerts."""

from __future__ import annotations

from app.arena.services import cases, discussion, lessons
from app.extensions import db
from app.library.models import ContentItem

SITUATION = (
    "In our school in Leipzig a boy shared extremist propaganda. His teacher Martin Kowalski "
    "called me at +49 171 2345678 and wrote to martin.k@example.org. The video was posted at "
    "https://www.tiktok.com/@bad.account/video/123 by @badaccount near Lindenstraße 12."
)


def _keep() -> frozenset[str]:
    return lessons.keep_words(("Leipzig",))


def test_deidentify_removes_names_contacts_personal_urls_and_streets(app):
    text = lessons.deidentify(SITUATION, _keep())
    for secret in ("Martin", "Kowalski", "171", "martin.k@", "tiktok.com/@", "badaccount",
                   "Lindenstraße"):
        assert secret not in text, secret
    assert text.startswith("In our school in Leipzig a boy shared extremist propaganda.")
    assert "[removed]" in text


def test_deidentify_keeps_bare_domains_and_sentence_starts(app):
    text = lessons.deidentify("See www.example.org for help. Teachers met Anna.", _keep())
    assert text == "See www.example.org for help. Teachers met [removed]."


def _resolved_case(make_case, make_user):
    case = make_case(country="DE", description=SITUATION)
    expert = make_user(country="DE", name="Olga Expert")
    rec = discussion.add_recommendation(
        case, expert, action="Ask Martin Kowalski to secure the chat and inform the police.",
        reason="Evidence matters; call 0171 2345678 if needed.", actors=["school", "police"],
        urgency="high")
    discussion.release_recommendation(rec, expert)
    discussion.add_recommendation(case, expert, action="Unreleased idea", reason="x",
                                  actors=["family"], urgency="low")
    cases.close(case, expert, "resolved", "The class held a workshop with Mr Kowalski.")
    db.session.commit()
    return case


def test_coordinator_turns_closed_case_into_a_deidentified_draft_in_review(
    client, act_as, make_user, make_case, post_form, outbox
):
    case = _resolved_case(make_case, make_user)
    coordinator = make_user(role="coordinator", country="DE")
    second_coordinator = make_user(role="coordinator", country="DE")
    act_as(coordinator)
    url = f"/en/arena/cases/{case.id}"
    response = post_form(url, {}, action=f"{url}/lesson")
    assert response.status_code == 302
    assert f"/library/case/arena-case-{case.id}" in response.location
    assert client.get(response.location).status_code == 200  # the author sees the draft
    assert [m.to for m in outbox] == [second_coordinator.email]  # four eyes: another reviews
    item = db.session.scalar(db.select(ContentItem).where(ContentItem.type == "case"))
    assert item.status == "in_review" and item.author_id == coordinator.id
    assert item.extra["recommendations"] == [
        "Ask [removed] to secure the chat and inform the police."]
    assert "[removed]" in item.extra["response"] and "2345678" not in item.extra["response"]
    assert "Kowalski" not in item.body + item.body_html + item.summary
    assert "Unreleased idea" not in item.body
    assert item.extra["outcome"] == "The class held a workshop with [removed]."
    assert any(e.kind == "lesson" for e in case.events)


def test_open_case_cannot_become_a_lesson(client, act_as, make_user, make_case, post_form):
    case = make_case(country="DE")
    act_as(make_user(role="coordinator", country="DE"))
    url = f"/en/arena/cases/{case.id}"
    response = post_form(url, {}, action=f"{url}/lesson", follow_redirects=True)
    assert "Only resolved cases become lessons." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(ContentItem)) is None


def test_published_lesson_is_matched_by_a_new_alert(make_user, make_case):
    from app.alerts.matching import match_alert
    from app.library.publishing import publish_item

    case = _resolved_case(make_case, make_user)
    coordinator = make_user(role="coordinator", country="DE")
    item = lessons.create_lesson_draft(case, coordinator)
    db.session.commit()
    reviewer = make_user(role="coordinator", country="DE")  # nobody reviews their own draft
    publish_item(item, reviewer, link="http://localhost/")
    matches = match_alert(
        "A boy in my class shares extremist propaganda videos at school and others copy him.",
        "en", ["extremist_propaganda"], "DE", "school")
    assert item.id in [m.item_id for m in matches]
