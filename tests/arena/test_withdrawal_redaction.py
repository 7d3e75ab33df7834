"""Withdrawal that means it: what members wrote quoting a withdrawn alert goes with it, from
every table, the search index and every page members, coordinators and admins can open."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.alerts.services import withdraw_alert
from app.arena.models import Comment, Recommendation
from app.arena.services import cases, discussion, lessons, people
from app.arena.services.redaction import quotes_of, redact
from app.library.publishing import publish_item

MARKER = "Zyxquorbel"
DESCRIPTION = (
    f"{MARKER} Okonkwo-Brandt, a pupil of class 7c, was pushed against the lockers and called "
    "names by older pupils during the break; they filmed it and shared it in a class chat."
)


@pytest.fixture(autouse=True)
def _index(library_index):
    """A real index, so the published lesson is indexed (and must leave it again)."""


def _texts(value) -> str:
    """Every value of a row as one lower-case text (JSON for lists and dicts)."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False).lower()
    return str(value).lower() if value is not None else ""


def _tables_quoting(db, marker: str) -> list[str]:
    """Every table.column whose stored value still contains the marker."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()).mappings():
            found.extend(f"{table.name}.{column}" for column, value in row.items()
                         if marker.lower() in _texts(value))
    return found


def _index_files_quoting(app, marker: str) -> list[str]:
    """Files of the search index folder whose bytes contain the marker (any case)."""
    folder = Path(app.config["INDEX_DIR"])
    return [str(path) for path in folder.rglob("*") if path.is_file()
            and marker.lower().encode() in path.read_bytes().lower()]


def _quoted_everywhere(make_case, make_user, db):
    """A case whose alert names the victim; members quote it in a comment, a recommendation,
    a message to another reporter, a conversation, the outcome and a published lesson."""
    case = make_case(country="DE", description=DESCRIPTION)
    other = make_case(country="DE")
    member = make_user(country="DE", name="Mira Member")
    coordinator = make_user(role="coordinator", country="DE")
    admin = make_user(role="admin", country="PL")
    discussion.add_comment(case, member, f"I know **{MARKER}**: was pushed against the lockers, "
                                         "we should talk to the class teacher first.")
    discussion.add_comment(other, member, f"Looks like the {MARKER.lower()} case last week.")
    rec = discussion.add_recommendation(case, member, action=f"Meet {MARKER} and the parents.",
                                        reason="The film in the class chat must be deleted.")
    discussion.release_recommendation(rec, coordinator)
    discussion.message_reporter(other, member, f"Is this related to {MARKER}?")
    chat = people.conversation_between(member, coordinator, create=True)
    people.send_message(chat, member, f"Can you call me about {MARKER} Okonkwo-Brandt?")
    db.session.commit()
    cases.close(case, coordinator, "resolved", f"{MARKER} changed class; the film was deleted.")
    lesson = lessons.create_lesson_draft(case, coordinator)
    db.session.commit()
    publish_item(lesson, admin, "http://localhost/")
    return case, other, member, coordinator, admin, chat, lesson


def test_the_planted_marker_is_everywhere_before_withdrawal(app, make_case, make_user, db):
    _quoted_everywhere(make_case, make_user, db)
    tables = {name.split(".")[0] for name in _tables_quoting(db, MARKER)}
    assert {"alerts", "arena_comments", "arena_recommendations", "alert_messages",
            "arena_direct_messages", "arena_cases", "content_items"} <= tables
    assert _index_files_quoting(app, MARKER)


def test_withdrawal_removes_every_quote_from_every_table(app, make_case, make_user, db):
    case, *_rest = _quoted_everywhere(make_case, make_user, db)
    withdraw_alert(case.alert)
    db.session.expire_all()
    assert _tables_quoting(db, MARKER) == []
    assert _tables_quoting(db, "Okonkwo") == []


def test_withdrawal_removes_the_quote_from_the_search_index(app, make_case, make_user, db):
    case, *_rest = _quoted_everywhere(make_case, make_user, db)
    withdraw_alert(case.alert)
    assert _index_files_quoting(app, MARKER) == []


def test_no_page_shows_the_withdrawn_text(app, make_case, make_user, db, client, act_as):
    case, other, member, coordinator, admin, chat, lesson = _quoted_everywhere(
        make_case, make_user, db)
    withdraw_alert(case.alert)
    urls = [f"/en/arena/cases/{case.id}", f"/en/arena/cases/{other.id}", "/en/arena/",
            "/en/arena/notifications", "/en/arena/messages", f"/en/arena/messages/{chat.id}",
            "/en/library/?q=class", f"/en/library/case/{lesson.slug}"]
    for user in (member, coordinator, admin):
        act_as(user)
        for url in urls:
            response = client.get(url, follow_redirects=True)
            assert MARKER.lower() not in response.get_data(as_text=True).lower(), (user, url)


def test_the_search_finds_the_lesson_no_longer_by_the_withdrawn_words(
        app, make_case, make_user, db, client, act_as):
    case, _other, member, *_rest, lesson = _quoted_everywhere(make_case, make_user, db)
    act_as(member)
    link = f"/library/case/{lesson.slug}"
    assert link in client.get(f"/en/library/?q={MARKER}").get_data(as_text=True)
    withdraw_alert(case.alert)
    assert link not in client.get(f"/en/library/?q={MARKER}").get_data(as_text=True)


def test_a_comment_stays_readable_around_the_removed_quote(make_case, make_user, db):
    case, *_rest = _quoted_everywhere(make_case, make_user, db)
    withdraw_alert(case.alert)
    comment = db.session.scalars(select(Comment).where(Comment.case_id == case.id)).first()
    assert comment.body == "I know **[…]**: […], we should talk to the class teacher first."
    assert "[…]" in comment.body_html
    rec = db.session.scalars(select(Recommendation)).one()
    assert rec.action == "Meet […] and the parents."
    assert rec.reason == "The film in the class chat must be deleted."


def test_withdrawal_and_redaction_are_one_transaction(make_case, make_user, db, monkeypatch):
    case, *_rest = _quoted_everywhere(make_case, make_user, db)

    def broken(*_args, **_kwargs):
        raise RuntimeError("redaction failed")

    monkeypatch.setattr("app.arena.services.redaction.redact_withdrawn", broken)
    with pytest.raises(RuntimeError):
        withdraw_alert(case.alert)
    db.session.rollback()
    db.session.expire_all()
    assert case.alert.status != "withdrawn"
    assert MARKER in case.alert.description


def test_distinctive_words_inflected_and_runs_of_three_words_count_as_quotes(app):
    quotes = quotes_of("Anna Kowalski from class 8b was threatened at the bus stop by a group.")
    assert redact("Kowalskiego parents came.", quotes) == "[…] parents came."
    assert redact("Room 8b is locked.", quotes) == "Room […] is locked."
    assert redact("She said: at the bus stop by noon.", quotes) == "She said: […] noon."
    assert redact("The group met the school.", quotes) == "The group met the school."


def test_other_cases_keep_ordinary_words_and_lose_only_what_identifies(
    make_case, make_user, db
):
    case = make_case(country="DE", description=DESCRIPTION)
    merged, unrelated = make_case(country="DE"), make_case(country="DE")
    member = make_user(country="DE")
    coordinator = make_user(role="coordinator", country="DE")
    cases.merge_duplicate(merged, case, coordinator)
    ordinary = "He was pushed in the corridor; the pupils filmed it."
    for where in (case, merged, unrelated):
        discussion.add_comment(where, member, ordinary)
    discussion.add_comment(unrelated, member, f"Ask Okonkwo-Brandt's teacher, {MARKER}.")
    db.session.commit()

    withdraw_alert(case.alert)

    bodies = {c.case_id: [] for c in db.session.scalars(select(Comment))}
    for comment in db.session.scalars(select(Comment).order_by(Comment.id)):
        bodies[comment.case_id].append(comment.body)
    assert bodies[unrelated.id][0] == ordinary  # not a quote: ordinary words of no one
    assert "Okonkwo" not in bodies[unrelated.id][1] and MARKER not in bodies[unrelated.id][1]
    assert "teacher" in bodies[unrelated.id][1]
    for family in (case.id, merged.id):  # the withdrawn case and the one merged with it
        assert "filmed" not in bodies[family][0]
