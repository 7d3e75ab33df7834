"""From case to lesson: de-identified drafts, reviewed with their removals, published, then
matched by new alerts."""

from __future__ import annotations

import re

import pytest

from app.arena.services import cases, discussion, lessons
from app.extensions import db
from app.library.models import ContentItem
from app.library.publishing import publish_item

SITUATION = (
    "In our school in Leipzig a boy shared extremist propaganda. His teacher Martin Kowalski "
    "called me at +49 171 2345678 and wrote to martin.k@example.org. The video was posted at "
    "https://www.tiktok.com/@bad.account/video/123 by @badaccount near Lindenstraße 12."
)
GERMAN_LIBRARY = (
    "Seit zwei Jahren arbeiten wir mit einem jungen Mann, der Flugblätter verteilt. "
    "Im Jugendtreff sprechen die Jugendlichen über die Bundesrepublik und eine Firma."
)
REICHSBUERGER_CASE = (
    "Seit zwei Jahren kommt ein junger Mann in unseren Jugendtreff. Er verteilt Flugblätter "
    "der Reichsbürger und erklärt den Jugendlichen, die Bundesrepublik sei eine Firma. Er "
    "heißt Marcel Wendt. Die Leiterin des Treffs bittet um Rat."
)


def _resolved_case(make_case, make_user, **alert):
    """A resolved case with one released and one unreleased recommendation."""
    case = make_case(country="DE", description=alert.pop("description", SITUATION), **alert)
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


def _draft(make_case, make_user, **alert) -> ContentItem:
    """A lesson draft of a resolved case, by a coordinator of its country."""
    case = _resolved_case(make_case, make_user, **alert)
    item = lessons.create_lesson_draft(case, make_user(role="coordinator", country="DE"))
    db.session.commit()
    return item


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
    assert item.status == "in_review"
    assert item.author_id == coordinator.id
    assert item.extra["recommendations"] == [
        "Ask […] to secure the chat and inform the police."]
    assert "2345678" not in item.extra["response"]
    assert "Kowalski" not in item.body + item.body_html + item.summary + item.title
    assert "Unreleased idea" not in str(item.extra)
    assert item.extra["outcome"] == "The class held a workshop with Mr […]."
    assert any(e.kind == "lesson" for e in case.events)


def test_draft_removes_contacts_links_streets_and_names(make_user, make_case):
    item = _draft(make_case, make_user)
    situation = item.extra["situation"]
    for secret in ("Martin", "Kowalski", "171", "martin.k@", "tiktok.com/@", "badaccount",
                   "Lindenstraße"):
        assert secret not in situation, secret
    assert situation.startswith("In our school in Leipzig a boy shared extremist propaganda.")


def test_a_name_that_opens_a_sentence_is_removed(make_user, make_case):
    item = _draft(make_case, make_user, description="Tomasz saw the video first. He told us.")
    assert item.extra["situation"] == "[…] saw the video first. He told us."


def test_german_nouns_the_library_knows_stay_in_the_draft(make_user, make_case, make_item):
    make_item(language="de", type="practice", body=GERMAN_LIBRARY)
    item = _draft(make_case, make_user, language="de", description=REICHSBUERGER_CASE)
    situation = item.extra["situation"]
    for noun in ("Jahren", "Mann", "Jugendtreff", "Flugblätter", "Reichsbürger",
                 "Jugendlichen", "Bundesrepublik", "Firma", "Leiterin"):
        assert noun in situation, noun
    assert "Marcel" not in situation
    assert "Wendt" not in situation


def test_polish_inflected_vocabulary_stays_in_the_draft(make_user, make_case):
    item = _draft(make_case, make_user, language="pl", description=(
        "Na lekcji o Holokauście i Zagładzie uczeń powiedział, że Żydzi sami to wymyślili. "
        "Tomaszowi zwróciła uwagę nauczycielka."))
    situation = item.extra["situation"]
    for word in ("Holokauście", "Zagładzie", "że Żydzi"):
        assert word in situation, word
    assert "Tomasz" not in situation


def test_draft_shows_each_section_once(client, act_as, make_user, make_case):
    item = _draft(make_case, make_user)
    act_as(item.author)
    page = client.get(f"/en/library/case/{item.slug}").get_data(as_text=True)
    for heading in ("Situation", "Response", "Recommendations", "Outcome"):
        assert len(re.findall(rf"<h2>{heading}</h2>", page)) == 1, heading


def test_summary_is_cut_after_a_whole_sentence(make_user, make_case):
    sentence = "A pupil shared a video that glorifies a terror attack in the class chat. "
    item = _draft(make_case, make_user, description=sentence * 6)
    assert len(item.summary) <= lessons.SUMMARY_LENGTH
    assert item.summary.endswith("chat.")
    assert item.extra["situation"].startswith(item.summary)


def test_summary_of_one_long_sentence_ends_after_a_word():
    summary = lessons.summary_of("word " * 100)
    assert summary == ("word " * 55).strip() + "…"


def _reichsbuerger_draft(make_case, make_user) -> ContentItem:
    """A Reichsbürger case forwarded under "extremist propaganda" (whose topics include
    Islamist extremism)."""
    return _draft(make_case, make_user, language="de", description=REICHSBUERGER_CASE,
                  categories=["extremist_propaganda"], city="Leipzig",
                  topics=["extremist_propaganda", "islamist_extremism"])


def test_title_comes_from_the_case(make_user, make_case):
    item = _reichsbuerger_draft(make_case, make_user)
    assert item.title == "Reichsbürger – Schule, Leipzig"


def test_topics_come_from_the_case_text(make_user, make_case):
    item = _reichsbuerger_draft(make_case, make_user)
    assert "islamist_extremism" not in item.topics
    assert "right_wing_extremism" in item.topics


def test_topics_fall_back_to_the_categories_own_topic(app):
    topics = lessons.text_topics("Nothing here says what it was about.", "en",
                                 ["extremist_propaganda", "hate_speech"])
    assert topics == ["extremist_propaganda", "hate_speech"]


# Review: the removals, highlighted and restored ------------------------------------------


def test_reviewer_sees_the_removals_highlighted(client, act_as, make_user, make_case):
    item = _draft(make_case, make_user)
    act_as(make_user(role="coordinator", country="DE"))
    page = client.get(f"/en/library/review/{item.id}").get_data(as_text=True)
    assert "What de-identification removed" in page
    assert re.search(r'<mark class="removed-span" id="removal-0"><span class="removed-kind"'
                     r'[^>]*>\[name\]</span> Martin Kowalski</mark>', page)


def test_public_page_of_a_published_lesson_has_no_removals(client, make_user, make_case):
    item = _draft(make_case, make_user)
    publish_item(item, make_user(role="coordinator", country="DE"), link="http://localhost/")
    page = client.get(f"/en/library/case/{item.slug}").get_data(as_text=True)
    assert "Kowalski" not in page
    assert "What de-identification removed" not in page


def test_publishing_drops_the_originals_of_the_removals(make_user, make_case):
    item = _draft(make_case, make_user)
    assert lessons.removals(item)
    publish_item(item, make_user(role="coordinator", country="DE"), link="http://localhost/")
    db.session.expire_all()
    stored = db.session.get(ContentItem, item.id)
    assert lessons.SPANS_KEY not in stored.extra
    assert "Kowalski" not in str(stored.extra)


def _restore_url(item: ContentItem, index: int) -> str:
    return f"/en/arena/lessons/{item.id}/removals/{index}/restore"


def _index_of(item: ContentItem, original: str) -> int:
    return next(n for n, s in enumerate(lessons.removals(item)) if s["original"] == original)


def test_coordinator_restores_a_wrong_removal(client, act_as, make_user, make_case, post_form):
    item = _draft(make_case, make_user)
    reviewer = make_user(role="coordinator", country="DE")
    act_as(reviewer)
    index = _index_of(item, "Lindenstraße 12")
    response = post_form(f"/en/library/review/{item.id}", {}, action=_restore_url(item, index))
    assert response.status_code == 302
    assert response.location.endswith(f"/library/review/{item.id}#removals")
    db.session.expire_all()
    item = db.session.get(ContentItem, item.id)
    assert item.extra["situation"].endswith("by […] near Lindenstraße 12.")
    assert "Lindenstraße 12" not in [s["original"] for s in lessons.removals(item)]
    for span in lessons.removals(item):  # the others still point at their marks
        text = lessons.field_text(item.extra, span["field"])
        assert text[span["start"]:span["end"]] == "[…]"


@pytest.mark.parametrize(("who", "status"), [
    ("coordinator_elsewhere", 404), ("member", 404), ("admin", 302),
])
def test_only_the_case_countrys_coordinators_restore(
    client, act_as, make_user, make_case, post_form, who, status
):
    item = _draft(make_case, make_user)
    users = {
        "coordinator_elsewhere": lambda: make_user(role="coordinator", country="PL"),
        "member": lambda: make_user(country="DE"),
        "admin": lambda: make_user(role="admin", country="PL"),
    }
    before = len(lessons.removals(item))
    act_as(users[who]())
    response = post_form("/en/arena/notifications/settings", {},
                         action=_restore_url(item, 0))
    assert response.status_code == status
    db.session.expire_all()
    after = len(lessons.removals(db.session.get(ContentItem, item.id)))
    assert after == (before if status == 404 else before - 1)


def test_anonymous_visitor_is_sent_to_log_in(client, make_user, make_case, post_form):
    item = _draft(make_case, make_user)
    response = post_form("/en/login", {}, action=_restore_url(item, 0))
    assert response.status_code == 302
    assert "/login" in response.location


def test_restore_needs_the_form_token(client, act_as, make_user, make_case):
    item = _draft(make_case, make_user)
    act_as(make_user(role="coordinator", country="DE"))
    assert client.post(_restore_url(item, 0)).status_code == 400


def test_open_case_cannot_become_a_lesson(client, act_as, make_user, make_case, post_form):
    case = make_case(country="DE")
    act_as(make_user(role="coordinator", country="DE"))
    url = f"/en/arena/cases/{case.id}"
    response = post_form(url, {}, action=f"{url}/lesson", follow_redirects=True)
    assert "Only resolved cases become lessons." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(ContentItem)) is None


def test_the_library_lexicon_is_rebuilt_when_the_library_changes(make_item):
    from app.arena.services.lesson_words import library_lexicon

    before = library_lexicon("de")
    assert library_lexicon("de") is before  # cached
    make_item(language="de", body="Ein Zettel hing im Treppenhaus.")
    after = library_lexicon("de")
    assert after.knows("Zettel")
    assert not before.knows("Zettel")


def test_published_lesson_is_matched_by_a_new_alert(make_user, make_case):
    from app.alerts.matching import match_alert

    item = _draft(make_case, make_user)
    reviewer = make_user(role="coordinator", country="DE")  # nobody reviews their own draft
    publish_item(item, reviewer, link="http://localhost/")
    matches = match_alert(
        "A boy in my class shares extremist propaganda videos at school and others copy him.",
        "en", ["extremist_propaganda"], "DE", "school")
    assert item.id in [m.item_id for m in matches]
