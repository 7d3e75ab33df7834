"""Describe it in words: text without words of a supported language gets a gentle request,
can still be sent, and then goes to a coordinator instead of being matched."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.alerts.models import Alert
from app.alerts.words import has_words
from app.arena.services.cases import case_for_alert

ASK = "Please describe in a few words what happened, so that people can help."
MASH = "asdf jkl qwerty ghjk asdfasdf jkjkjk lololo"


@pytest.mark.parametrize("text", [
    "A pupil was threatened at school.",
    "Ein Schüler wurde bedroht.",
    "Uczeń został pobity w szkole.",
    "Uczen zostal pobity w szkole przez kolegow",  # typed without diacritics
    "Un elev a fost bătut la școală.",
    "Egy diákot megvertek az iskolában.",
    "Swastika graffiti on the school wall, again",
    "Antisemitische Parolen an der Wand",
    "Mesaje de ură pe Facebook",
    "Gyűlöletkeltő üzenetek a csoportban",
    "Look at this: https://example.org/post/123 hate against our neighbours",
])
def test_real_sentences_in_every_language_have_words(app, text):
    assert has_words(text)


@pytest.mark.parametrize("text", [
    MASH,
    "asdfghjkl qwertzuiop yxcvbnm asdfgh",
    "qwe rty uio pas dfg hjk lzx cvb nm",
    "https://example.org/x https://t.co/abc www.foo.de",
    "12345 678 9999 0000 111 222 333 444",
    "😀😀😀 🔥🔥🔥 😡😡😡 !!!! ???? ....",
    "sdf an kjh in lkj ghf dfg",  # two short function words by chance are not a sentence
])
def test_mash_links_numbers_and_emoji_have_no_words(app, text):
    assert not has_words(text)


def _mash_report(send_alert, **fields):
    return send_alert(description=f"{MASH} https://example.org/a 12345", **fields)


def test_text_without_words_gets_a_gentle_translated_request_and_keeps_the_form(
        send_alert, db):
    page = _mash_report(send_alert).get_data(as_text=True)
    assert ASK in page
    assert MASH in page  # everything typed is kept
    assert db.session.scalars(select(Alert)).all() == []
    # on a phone the emergency numbers fill the screen: the question comes before them, and
    # its button still sends the form
    assert page.index(ASK) < page.index('class="emergency-box"')
    assert 'form="alert-form" name="words" value="keep"' in page


def test_the_reporter_can_send_it_as_it_is_and_a_coordinator_gets_it(send_alert, db,
                                                                     alert_library):
    page = _mash_report(send_alert, words="keep").get_data(as_text=True)
    alert = db.session.scalars(select(Alert)).one()
    assert alert.words_missing
    assert alert.matches == []
    assert alert.forward_reason == "no_words"
    assert case_for_alert(alert) is not None
    assert "Your receipt code" in page


def test_sending_as_it_is_survives_the_contact_details_step(send_alert, db):
    asked = send_alert(description=f"{MASH} anna@example.org", words="keep")
    assert "contains contact details" in asked.get_data(as_text=True)
    assert 'name="words_confirmed" type="hidden" value="keep"' in asked.get_data(as_text=True)
    send_alert(description=f"{MASH} anna@example.org", words_confirmed="keep", contacts="keep")
    assert db.session.scalars(select(Alert)).one().words_missing


def test_a_report_in_words_is_not_asked_and_not_marked(send_alert, db):
    page = send_alert().get_data(as_text=True)
    assert ASK not in page
    assert not db.session.scalars(select(Alert)).one().words_missing


def test_the_case_page_marks_a_report_without_words_and_shows_no_matches(
        send_alert, db, make_user, act_as, client):
    _mash_report(send_alert, words="keep")
    case = case_for_alert(db.session.scalars(select(Alert)).one())
    act_as(make_user(role="coordinator", country="DE"))
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "has no words we could read; a coordinator should look at it" in page
    assert "What ALERT already recommended" not in page
