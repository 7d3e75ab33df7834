"""Sample alerts against the bundled library: the right prior case comes first."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.alerts import matching
from app.config import ROOT

SAMPLES = [
    ("en", "DE", "school", ["extremist_propaganda"],
     "This morning we found swastikas and 'Heil Hitler' sprayed on the wall of the school gym. "
     "The pupils are shocked and parents ask what the school will do.",
     "swastika-graffiti-school-berlin"),
    ("pl", "PL", "school", ["extremist_propaganda", "online_radicalisation"],
     "Uczeń wrzuca na czat klasowy filmiki z zamachu terrorystycznego i neonazistowską muzykę. "
     "Koledzy z klasy reagują śmiechem, a rodzice dzwonią do wychowawczyni.",
     "extremist-videos-class-chat-warsaw"),
    ("de", "DE", "religious_site", ["religious_hatred"],
     "Unbekannte haben in der Nacht die Fassade unserer Moschee mit Parolen beschmiert und "
     "Fenster eingeworfen. Die Gemeinde hat Angst vor dem Freitagsgebet.",
     "mosque-vandalised-dortmund"),
    ("hu", "HU", "sports", ["antisemitism"],
     "A futballmeccsen a szurkolók antiszemita rigmusokat kiabáltak a stadionban, és a "
     "játékvezető nem szakította meg a mérkőzést.",
     "antisemitic-chants-football-match-budapest"),
    ("ro", "RO", "school", ["conspiracy_narratives"],
     "Părinții din clasa fiului meu distribuie teorii ale conspirației despre vaccinuri în "
     "grupul de WhatsApp al școlii și cer ca profesorii să nu mai vorbească despre vaccinare.",
     "vaccine-conspiracy-parents-school-dabrowa-gornicza"),
]


@pytest.fixture
def bundled_library(app, load_content):
    """The bundled content and handbooks, loaded and indexed as `manage.py run` does."""
    from app.search.services import rebuild_index

    load_content(*(Path(folder) for folder in app.config["CONTENT_DIRS"]))
    rebuild_index()


def test_clear_descriptions_find_the_right_prior_case_first(app, bundled_library):
    assert (ROOT / "content" / "case").is_dir()
    for lang, country, setting, categories, text, expected in SAMPLES:
        recs = matching.match_alert(text, lang, categories, country, setting)
        cases = [r for r in recs if r.type == "case"]
        assert cases, f"no case for the {lang} sample"
        assert cases[0].slug == expected, (lang, [(c.slug, c.score) for c in cases])
        assert cases[0].language == lang
        assert cases[0].response and cases[0].shared_topics


OFF_TOPIC = [
    ("en", "HU", "neighbourhood",
     "Our neighbour keeps leaving notes with drawings of cats on our door and the stairwell "
     "smells of cigarettes."),
    ("de", "DE", "workplace",
     "Der Kaffeeautomat in unserem Büro ist seit Wochen kaputt und niemand kümmert sich darum."),
    # Everyday words that once read as the domain (found by a review): fans, damage, a pitch.
    ("en", "DE", "sports",
     "Our football team lost the match on Sunday, the coach was angry and the fans went home "
     "early."),
    ("de", "DE", "religious_site",
     "Das Kreuz auf dem Kirchturm wurde bei dem Sturm beschädigt, die Gemeinde sammelt Spenden."),
    ("pl", "PL", "school",
     "Na boisku przy szkole zepsuła się bramka, dzieci nie mogą grać w piłkę."),
]


def test_an_unrelated_alert_matches_nothing_and_goes_to_arena(app, bundled_library):
    for lang, country, setting, text in OFF_TOPIC:
        recs = matching.match_alert(text, lang, [], country, setting)
        assert matching.needs_forwarding(recs), (lang, [(r.slug, r.score) for r in recs])
        assert not [r for r in recs if r.level == "strong"], lang


def test_keyboard_mash_with_a_category_ticked_is_shown_nothing(app, bundled_library):
    text = "asdf asdf jkl jkl qwer qwer zxcv zxcv asdf jkl"
    assert matching.match_alert(text, "de", ["extremist_propaganda"], "DE", "online") == []


def test_strong_matches_share_what_happened(app, bundled_library):
    _lang, country, setting, categories, text, _slug = SAMPLES[0]
    recs = matching.match_alert(text, "en", categories, country, setting)
    strong = [r for r in recs if r.level == "strong"]
    assert strong
    for rec in strong:  # a subject topic or a concept of what happened (not only where)
        assert (set(rec.shared_topics) - matching.CONTEXT_TOPICS
                or any(matching.is_subject_concept(c) for c in rec.shared_concepts)), rec.slug
