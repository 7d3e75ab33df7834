"""Language detection that survives real typing: no diacritics, mixed languages, short texts."""

from __future__ import annotations

import pytest

from app.core.language_detection import guess_languages
from app.core.text import LANGUAGES


@pytest.mark.parametrize(("text", "language"), [
    ("The pupils in our school are sharing videos that are full of hate.", "en"),
    ("Die Schüler in unserer Klasse teilen Videos, die voller Hass sind.", "de"),
    ("Uczniowie w naszej klasie udostępniają filmy pełne nienawiści i to jest problem.", "pl"),
    ("Elevii din clasa noastră distribuie clipuri pline de ură și nu știm ce să facem.", "ro"),
    ("Az osztályunkban a diákok gyűlölettel teli videókat osztanak, és nem tudjuk, mi legyen.",
     "hu"),
])
def test_each_language_is_recognised(text, language):
    guess = guess_languages(text)
    assert (guess.language, guess.languages) == (language, (language,))


@pytest.mark.parametrize(("text", "language"), [
    ("a zsido temetoben osszefirkaltak a sirokat", "hu"),
    ("es a szomszed is latta amit csinaltak", "hu"),
    ("w szkole ktos namalowal swastyke na scianie", "pl"),
    ("parintii din clasa distribuie teorii ale conspiratiei", "ro"),
    ("mein sohn redet nur noch von der geheimen elite", "de"),
])
def test_text_without_diacritics_is_recognised(text, language):
    assert guess_languages(text).language == language


def test_a_mixed_text_is_read_in_both_languages():
    guess = guess_languages("Mein Sohn ist seit Monaten nur noch auf Telegram unterwegs. "
                            "He keeps sending me videos about the great replacement.")
    assert set(guess.languages) == {"de", "en"}


@pytest.mark.parametrize("text", ["TikTok", "hejt na tiktoku", "asdfgh jkl qwerty"])
def test_when_unsure_every_language_is_read(text):
    assert guess_languages(text).languages == LANGUAGES
    assert not guess_languages(text).sure
