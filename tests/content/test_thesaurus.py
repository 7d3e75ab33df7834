"""The concept thesaurus: loading, validation, matching in five languages, topics from concepts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.content import thesaurus
from app.content.taxonomy import derive_topics
from app.content.thesaurus import (
    ThesaurusError,
    concept_counts,
    find_mentions,
    load_thesaurus,
)
from app.core.text import LANGUAGES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "thesaurus"
VALID = FIXTURES / "valid"


@pytest.fixture
def small(app):
    """The small fixture thesaurus in force for the test's app."""
    app.config["THESAURUS_FOLDER"] = str(VALID)
    yield load_thesaurus()


def found(text: str, *languages: str) -> list[str]:
    """The concept ids found in a text, in order."""
    return [m.concept for m in find_mentions(text, languages or LANGUAGES)]


def test_labels_meet_inflected_and_unaccented_forms(small):
    assert found("Jemand hat Hakenkreuze an die Wand gemalt", "de") == ["swastika"]
    assert found("ktoś namalował swastyke na ścianie", "pl") == ["swastika"]
    assert found("au desenat zvastici pe zid", "ro") == ["swastika"]
    assert found("horogkereszteket festettek a falra", "hu") == ["swastika"]


def test_a_label_only_matches_in_its_own_language(small):
    assert found("Hakenkreuz", "en") == []
    assert found("Hakenkreuz", "de") == ["swastika"]


def test_the_longest_label_wins_where_labels_overlap(small):
    mentions = find_mentions("discurs instigator la ură pe internet", ["ro"])
    assert [(m.concept, m.text) for m in mentions] == [
        ("hate_speech", "discurs instigator la ură")]


def test_short_stems_match_only_the_listed_forms(small):
    # "ură" stems to two letters: "ONG-urile" (NGOs) must not read as hate.
    assert found("ONG-urile din oraș", "ro") == []
    assert found("mesaje pline de ură", "ro") == ["hate"]


def test_an_exact_label_does_not_meet_words_that_stem_alike(small):
    # Snowball stems "extremely" like "extremism": "=extremism" matches that form only.
    assert found("I am extremely worried", "en") == []
    assert found("Extremism in his class", "en") == ["extremism"]
    assert small.concepts["extremism"].label("en") == "extremism"


def test_broader_concepts_give_topics_not_counts(small):
    counts = concept_counts("Hakenkreuz und noch ein Hakenkreuz", ["de"])
    assert counts == {"swastika": 2}
    assert small.topics_of("swastika") == ("extremist_propaganda", "right_wing_extremism")


def test_topics_derive_from_concepts(small):
    assert derive_topics("Ein Hakenkreuz an der Schule", ["de"]) == [
        "extremist_propaganda", "right_wing_extremism", "schools"]
    assert derive_topics("The weather was lovely and we ate apples.") == []


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.replace("  hate:\n    topics: [hate_speech]", "  hate:\n    topics: [nope]"),
     "unknown topic 'nope'"),
    (lambda s: s.replace("    hu: [horogkereszt]\n", ""), "'swastika' hu: needs a list"),
    (lambda s: s.replace("broader: [nazi_symbols]", "broader: [missing]"),
     "unknown broader concept 'missing'"),
    (lambda s: s.replace("    en: [hatred]", "    en: [hatred, swastikas]"),
     "reads like 'swastika'"),
    (lambda s: s.replace("  nazi_symbols:\n    topics: [right_wing_extremism]",
                         "  nazi_symbols:\n    broader: [swastika]\n    topics: []"),
     "lead back to it"),
    (lambda s: s.replace("  hate:", "  Hate-Thing:"), "ids are lower-case"),
    (lambda s: s.replace("group: symbols", "group: nonsense"), "group must be one of"),
])
def test_the_checker_names_each_problem(tmp_path, change, message):
    shutil.copytree(VALID, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "symbols.yml"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ThesaurusError, match=message):
        load_thesaurus(tmp_path)


def test_a_concept_in_two_files_is_an_error(tmp_path):
    shutil.copytree(VALID, tmp_path, dirs_exist_ok=True)
    (tmp_path / "copy.yml").write_text(
        (VALID / "places.yml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ThesaurusError, match="'school' is also in"):
        load_thesaurus(tmp_path)


def test_the_command_line_checks_and_finds(capsys):
    assert thesaurus.main(["check", "--folder", str(VALID)]) == 0
    assert "6 concepts, no problems" in capsys.readouterr().out
    assert thesaurus.main(["check", "--folder", str(FIXTURES / "bad")]) == 1
    assert "no thesaurus files" in capsys.readouterr().err
