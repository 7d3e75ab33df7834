"""The de-identifier on its own (app.core.deidentify), with the common words of the bundled
library: names, places and contacts go in all five languages, common words stay."""

from __future__ import annotations

import pytest

from app.arena.services.lesson_words import bundled_lexicon, case_knowledge
from app.core.deidentify import REMOVED, deidentify, find_spans, restore


@pytest.fixture
def known(app):
    """known(language, city=""): the knowledge of a language, with the bundled library's
    common words (what `manage.py run` loads into the library)."""

    def _known(language: str, city: str = ""):
        lexicon = bundled_lexicon(language, tuple(app.config["CONTENT_DIRS"]))
        return case_knowledge(language, city, lexicon)

    return _known


def removed(text: str, knowledge) -> list[str]:
    """The stretches of text the de-identifier removes."""
    return [span.text for span in find_spans(text, knowledge)]


def test_german_nouns_and_inflected_words_stay(known):
    text = ("Seit zwei Jahren kommt ein junger Mann in unseren Jugendtreff. Er verteilt "
            "Flugblätter der Reichsbürger und sagt, die Bundesrepublik sei eine Firma. "
            "Die Leiterin Frau Böhme bittet um Rat.")
    assert removed(text, known("de", "Leipzig")) == ["Böhme"]


def test_polish_holocaust_in_the_locative_stays(known):
    text = ("Na lekcji o Holokauście i Zagładzie uczeń powiedział, że Żydzi sami to "
            "wymyślili. Holokaustem nie wolno żartować.")
    assert removed(text, known("pl", "Kraków")) == []


@pytest.mark.parametrize(("language", "text", "names"), [
    ("en", "Tomasz saw two older pupils push a girl.", ["Tomasz"]),
    ("pl", "Tomaszowi zwróciła uwagę nauczycielka, pani Ewa Zielińska.",
     ["Tomaszowi", "Ewa Zielińska"]),
    ("pl", "Dyrektor zaprosił rodziców Tomasza Nowaka na rozmowę.", ["Tomasza Nowaka"]),
    ("hu", "Kovács Pétert többször is látták, amint horogkeresztet rajzol.", ["Kovács Pétert"]),
    ("hu", "A tanítónő, Nagy Erzsébet, a gyermekvédelmi szolgálathoz fordult.",
     ["Nagy Erzsébet"]),
    ("ro", "Mariei, mama familiei, i s-a spus că trebuie să plece.", ["Mariei"]),
    ("de", "Der Vater von Jonas meinte, das sei doch nur ein Scherz.", ["Jonas"]),
])
def test_names_go_also_at_a_sentence_start_and_inflected(known, language, text, names):
    assert removed(text, known(language)) == names


@pytest.mark.parametrize(("language", "text", "secret", "kind"), [
    ("en", "Write to k.marsh@school.example.org today.", "k.marsh@school.example.org", "contact"),
    ("de", "Die Eltern sind unter 0351 4872215 erreichbar.", "0351 4872215", "phone"),
    ("en", "He posts as @jonno_88 on TikTok.", "@jonno_88", "handle"),
    ("en", "See https://www.youtube.com/watch?v=a1B2c3 for the video.",
     "https://www.youtube.com/watch?v=a1B2c3", "link"),
    ("de", "Er wohnt in der Kastanienallee 14 seit Jahren.", "Kastanienallee 14", "address"),
    ("pl", "Mieszka przy ul. Kościuszki 45/3 z babcią.", "ul. Kościuszki 45/3", "address"),
    ("hu", "A család a Kossuth Lajos utca 23. alatt lakik.", "Kossuth Lajos utca 23.",
     "address"),
    ("ro", "Locuiește pe strada Ciprian Porumbescu nr. 18 de ani.",
     "strada Ciprian Porumbescu nr. 18", "address"),
    ("de", "In der Klasse 8c unseres Gymnasiums.", "8c", "class"),
    ("de", "Ein Zuschauer kam im Auto mit dem Kennzeichen M-KX 4821 an.", "M-KX 4821",
     "address"),
    ("pl", "Uczennica urodzona 15.02.2009 opowiedziała pedagogowi.", "15.02.2009", "date"),
])
def test_contacts_places_classes_and_dates_go(known, language, text, secret, kind):
    spans = find_spans(text, known(language))
    assert [(span.text, span.kind) for span in spans] == [(secret, kind)]


def test_countries_the_city_and_the_vocabulary_stay(known):
    text = ("In Leipzig a Muslim girl from Syria was called a terrorist; antisemitic memes "
            "about the Holocaust spread on WhatsApp in Germany.")
    assert removed(text, known("en", "Leipzig")) == []


def test_a_common_word_that_is_also_a_surname_stays_after_an_article(known):
    assert removed("Der Koch der Schulkantine hat den Vorfall gemeldet.", known("de")) == []
    assert removed("Herr Koch hat den Vorfall gemeldet.", known("de")) == ["Koch"]


def test_deidentify_marks_each_removal_and_restore_puts_one_back(known):
    knowledge = known("en", "Leeds")
    result = deidentify("Tomasz and Anna met Mr Fletcher in Leeds.", knowledge)
    assert result.text == f"{REMOVED} and {REMOVED} met Mr {REMOVED} in Leeds."
    assert [r.original for r in result.removals] == ["Tomasz", "Anna", "Fletcher"]
    back = restore(result.text, result.removals, 1)
    assert back.text == f"{REMOVED} and Anna met Mr {REMOVED} in Leeds."
    assert [back.text[r.start:r.end] for r in back.removals] == [REMOVED, REMOVED]


def test_restore_refuses_a_removal_that_is_no_longer_in_the_text(known):
    result = deidentify("Tomasz saw it.", known("en"))
    with pytest.raises(ValueError):
        restore("Someone saw it.", result.removals, 0)
