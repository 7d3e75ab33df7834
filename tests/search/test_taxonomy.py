"""The taxonomy: complete in five languages; topics of texts in any of them, from concepts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.content import taxonomy
from app.content.taxonomy import (
    TaxonomyError,
    derive_topics,
    label,
    load_taxonomy,
    topics_for_categories,
    topics_for_settings,
)

README = Path(__file__).resolve().parents[2] / "content" / "README.md"
LANGUAGES = ("en", "de", "pl", "ro", "hu")


def _readme_keys(start: str, end: str) -> set[str]:
    """Backticked keys in the README between two markers."""
    text = README.read_text(encoding="utf-8")
    return set(re.findall(r"`([a-z_]+)`", text.split(start, 1)[1].split(end, 1)[0]))


def test_every_documented_topic_is_labelled_and_signalled_by_concepts():
    """All README topic keys exist, each labelled; each signalled by 5+ thesaurus concepts."""
    from app.content.thesaurus import load_thesaurus

    loaded = load_taxonomy()
    assert _readme_keys("## Topic keys", "Each topic") <= set(loaded.topics)
    thesaurus = load_thesaurus()
    for topic in loaded.topics.values():
        for language in LANGUAGES:
            assert topic.labels[language], (topic.key, language)
        signals = [c for c in thesaurus.concepts if topic.key in thesaurus.topics_of(c)]
        assert len(signals) >= 5, topic.key


def test_every_alert_category_maps_to_topics():
    """Each ALERT category key has an entry; all but "other" lead to topics."""
    loaded = load_taxonomy()
    categories = _readme_keys("Alert category keys:", "Alert setting keys:")
    assert categories <= set(loaded.categories)
    assert all(loaded.categories[key] for key in categories - {"other"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Uczniowie w naszej szkole przeżywają radykalizację; hejt i nienawiść w internecie.",
         {"schools", "violent_extremism", "hate_speech"}),
        ("Ein Schüler verteilt Flugblätter mit Hakenkreuzen an unserer Schule.",
         {"schools", "extremist_propaganda"}),
        ("Un elev rom a fost bătut în curtea școlii, iar profesorii nu au reacționat.",
         {"schools", "antigypsyism"}),
        ("Az iskolában a diákok gyűlöletbeszédet írtak a roma osztálytársukról.",
         {"schools", "hate_speech"}),
        ("Fans chanted antisemitic slurs outside the synagogue after the football match.",
         {"antisemitism", "sports_and_fans"}),
    ],
)
def test_derive_topics_in_each_language(text, expected):
    """Inflected words in any of the five languages tag the right topics."""
    assert expected <= set(derive_topics(text, limit=8))


def test_derive_topics_ignores_unrelated_text():
    """Text about nothing in the taxonomy gets no topics."""
    assert derive_topics("The weather was lovely and we ate apples.") == []


def test_labels_categories_and_settings():
    """Labels per language, category and setting maps."""
    assert label("schools", "pl") == "Szkoły"
    assert label("unknown_topic", "de") == "unknown_topic"
    assert topics_for_categories(["antisemitism", "religious_hatred"])[0] == "antisemitism"
    assert topics_for_settings(["school", "online"]) == ["schools", "online_radicalisation",
                                                        "media_literacy"]


def test_taxonomy_is_reread_when_the_file_changes(tmp_path):
    """Edits to the file take effect without a restart; errors name the problem."""
    path = tmp_path / "taxonomy.yml"
    labels = "{en: A, de: A, pl: A, ro: A, hu: A}"
    path.write_text(f"topics:\n  one:\n    labels: {labels}\n")
    assert list(load_taxonomy(path).topics) == ["one"]
    path.write_text(f"topics:\n  two:\n    labels: {labels}\n")
    import os

    os.utime(path, ns=(1, 10**18))
    assert list(load_taxonomy(path).topics) == ["two"]
    path.write_text("topics:\n  bad:\n    labels: {en: A}\n")
    os.utime(path, ns=(1, 2 * 10**18))
    with pytest.raises(TaxonomyError, match="no de label"):
        load_taxonomy(path)


def test_unknown_topics_are_reported():
    """The loader can name topic keys that are not in the taxonomy."""
    assert taxonomy.unknown_topics(["schools", "not_a_topic"]) == ["not_a_topic"]
