"""The bundled thesaurus: big enough, valid, and free of the false tags reporters' words caused."""

from __future__ import annotations

import pytest

from app.content.taxonomy import derive_topics
from app.content.thesaurus import find_mentions, load_thesaurus
from app.core.language_detection import guess_languages
from app.core.text import LANGUAGES


def topics_as_alert_reads(text: str) -> set[str]:
    """The topics ALERT derives: the text read in the language(s) detected."""
    return set(derive_topics(text, guess_languages(text).languages, limit=10))


def test_the_thesaurus_has_600_concepts_labelled_in_every_language():
    thesaurus = load_thesaurus()
    assert len(thesaurus.concepts) >= 600
    for concept in thesaurus.concepts.values():
        assert all(concept.labels[language] for language in LANGUAGES), concept.id
    groups = {concept.group for concept in thesaurus.concepts.values()}
    assert groups == {"symbols", "groups", "movements", "places", "acts", "responses"}


@pytest.mark.parametrize(("text", "wrong"), [
    ("ONG-urile din oraș organizează o întâlnire cu părinții.", "hate_speech"),
    ("A lányok kosárlabdacsapata megnyerte a bajnokságot tegnap.", "gender_based_violence"),
    ("A román szomszédaink segítettek a költözésben a múlt héten.", "antigypsyism"),
    ("Our team shares funny memes every Friday afternoon.", "online_radicalisation"),
])
def test_everyday_words_add_no_false_topic(text, wrong):
    assert wrong not in topics_as_alert_reads(text)


def test_team_and_memes_add_no_topic_at_all():
    assert topics_as_alert_reads("Our team shares funny memes every Friday afternoon.") == set()


@pytest.mark.parametrize(("text", "expected"), [
    ("Mein Nachbar sagt, die Impfung sei ein Plan der geheimen Elite.",
     {"conspiracy_narratives"}),
    ("Az anyósom szerint az oltás mérgező, és mindenkit megmérgeznek vele.",
     {"conspiracy_narratives"}),
    ("a zsido temetoben horogkereszteket festettek a sirokra",
     {"antisemitism", "extremist_propaganda"}),
    ("ktos namalowal swastyke na scianie szkoly", {"extremist_propaganda", "schools"}),
])
def test_words_once_missed_now_tag_their_topics(text, expected):
    assert expected <= topics_as_alert_reads(text)


def test_hakenkreuz_and_swastika_are_one_concept():
    german = {m.concept for m in find_mentions("Hakenkreuze an der Wand", ["de"])}
    english = {m.concept for m in find_mentions("a swastika on the wall", ["en"])}
    assert german and german == english
