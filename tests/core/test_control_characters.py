"""Forms refuse NUL and other control characters with a message on the field and keep
everything that was typed (PostgreSQL refuses NUL: the report used to be lost); the JSON API
and addresses holding one answer 400, never 500."""

import sys
import unicodedata

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User
from app.alerts.models import Alert
from app.core.control_characters import first_control_character
from app.core.forms import control_character_message

DESCRIPTION = ("Someone sprayed a swastika on the wall of our school toilets;\x00 pupils are "
               "upset and the head teacher asks what to do.")
EVERY_CHARACTER = "".join(map(chr, range(sys.maxunicode + 1)))
ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def test_every_control_character_but_tab_and_line_breaks_is_found():
    controls = {c for c in EVERY_CHARACTER if unicodedata.category(c) == "Cc"}
    found = {c for c in EVERY_CHARACTER if first_control_character(c)}
    assert found == controls - ALLOWED_CONTROLS


@pytest.mark.parametrize("text", ["Zeile 1\r\n\tZeile 2", "Újszeged ąę", "zero\u200bwidth",
                                  "line\u2028separator", "emoji \U0001f600"])
def test_ordinary_text_has_no_control_character(text):
    assert first_control_character(text) is None


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_report_with_a_nul_byte_is_refused_on_the_field_and_nothing_is_lost(
        app, db, send_alert, lang):
    response = send_alert(lang, description=DESCRIPTION, city="Szeged-Újszeged",
                          contact_email="reporter@example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    with force_locale(lang):
        assert control_character_message("\x00") in page
    assert 'id="description-error"' in page
    assert DESCRIPTION in page  # the reporter's text, as typed, to correct
    assert "Szeged-Újszeged" in page
    assert "Pupils of year 8" in page
    assert "reporter@example.org" in page
    assert db.session.scalar(select(func.count(Alert.id))) == 0


def test_the_message_names_the_character_and_is_translatable():
    with force_locale("en"):
        message = control_character_message("\x1b")
        assert "U+001B" in message
        assert message == _("This text contains an invisible control character (%(code)s); "
                            "remove it and send again.", code="U+001B")


def test_a_registration_with_a_control_character_keeps_what_was_typed(
        post_form, register_data, db):
    response = post_form("/en/register", register_data(name="Anna\x1bKowalska"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="name-error"' in html
    with force_locale("en"):
        assert control_character_message("\x1b") in html
    assert 'value="Anna\x1bKowalska"' in html
    assert 'value="anna@example.org"' in html
    assert "I teach civic education." in html
    assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x85"])
def test_the_api_answers_400_for_control_characters(client, character):
    response = client.post("/api/v1/match", json={"text": f"swastika{character} at school"})
    assert response.status_code == 400
    assert set(response.get_json()["problems"]) == {"text"}


@pytest.mark.parametrize("address", ["/en/library/case/graffiti%00", "/en/library/handbooks/a%00",
                                     "/en/arena/people?q=Anna%00", "/en/library/?q%1b=x"])
def test_an_address_with_a_control_character_is_a_bad_request(login, make_user, address):
    client = login(make_user())
    assert client.get(address).status_code == 400


def test_an_address_with_ordinary_text_is_served(login, make_user):
    client = login(make_user())
    assert client.get("/en/arena/people?q=Szeged-%C3%9Ajszeged%09").status_code == 200
