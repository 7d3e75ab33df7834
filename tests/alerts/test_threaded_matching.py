"""ALERT answers four threads at once as it answers one (issue 15): under gunicorn's gthread
workers a shared stemmer gave HTTP 500s, alerts forwarded because "matching failed", wrong
topics and irrelevant strong matches. Every round starts with cold caches, as a fresh worker
does, so the threads themselves stem the words and build the thesaurus's matchers."""

from __future__ import annotations

import shutil
from typing import NamedTuple

import pytest

from app.alerts.matching import build_query, recommend
from app.config import ROOT
from app.content.taxonomy import derive_topics
from app.content.thesaurus import Mention, find_mentions, load_thesaurus
from app.core import text as core_text
from app.core.language_detection import LanguageGuess, guess_languages
from app.core.text import LANGUAGES
from app.extensions import db as _db
from app.search import analysis
from tests.fixtures.matching import Alert, load_bundled_library, load_evaluation_set
from tests.fixtures.threads import at_once, switching_often

THREADS = 4
ROUNDS = 2
PER_LANGUAGE = 8  # alerts per reporter language: 40 in all
ANSWERING_TYPES = ("case", "practice")  # the bundled items loaded: what decides forwarding


class Outcome(NamedTuple):
    """What ALERT makes of one alert, as plain values to compare."""

    guess: LanguageGuess
    mentions: tuple[Mention, ...]  # read with the labels of all five languages
    derived_topics: tuple[str, ...]  # derive_topics in the guessed languages
    language: str
    topics: tuple[str, ...]
    concepts: tuple[tuple[str, float], ...]
    recommendations: tuple[tuple[str, str, float], ...]  # (doc id, level, score)


def _alerts() -> list[Alert]:
    """The first PER_LANGUAGE alerts of each reporter language in the evaluation set."""
    alerts = load_evaluation_set().alerts
    return [alert for language in LANGUAGES
            for alert in [a for a in alerts if a.lang == language][:PER_LANGUAGE]]


ALERTS = _alerts()


@pytest.fixture(scope="module")
def answering_library(database_url: str, _schema, tmp_path_factory: pytest.TempPathFactory):
    """An app whose database and index hold the bundled cases and practices (the whole
    library takes too long to load here), built once for the module."""
    from app import create_app
    from tests.fixtures.app import _empty_tables, _test_settings

    folder = tmp_path_factory.mktemp("answering")
    for kind in ANSWERING_TYPES:
        shutil.copytree(ROOT / "content" / kind, folder / "content" / kind)
    application = create_app(_test_settings(database_url, str(folder / "index")))
    with application.app_context():
        try:
            load_bundled_library([str(folder / "content")])
            yield application
        finally:
            _db.session.remove()
            _empty_tables()
            _db.engine.dispose()


def outcome(alert: Alert) -> Outcome:
    """Language, mentions and topics of an alert's text, its query and its recommendations."""
    guess = guess_languages(alert.text)
    query = build_query(alert.text, alert.lang, list(alert.categories), alert.country,
                        alert.setting)
    return Outcome(
        guess=guess, mentions=tuple(find_mentions(alert.text, LANGUAGES)),
        derived_topics=tuple(derive_topics(alert.text, guess.languages)),
        language=query.language, topics=tuple(query.topics),
        concepts=tuple(query.concepts.items()),
        recommendations=tuple((rec.doc_id, rec.level, rec.score) for rec in recommend(query)),
    )


def start_cold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forget what analysis keeps between requests (a cached stem would hide a race): folded
    words and stems, the analyzers' word keys, the thesaurus's matchers."""
    for cached in (core_text.fold, core_text.stem, core_text.stem_keys):
        cached.cache_clear()
    monkeypatch.setattr(analysis, "_CACHES", {})
    monkeypatch.setattr(load_thesaurus(), "_matchers", {})


def in_threads(app, alerts: list[Alert]) -> tuple[list[dict[str, Outcome]], list[str]]:
    """Each of THREADS threads works through every alert, all at once, each starting at
    another alert, switching as often as Python allows: their outcomes by alert id, and the
    errors they met."""
    found: list[dict[str, Outcome]] = [{} for _ in range(THREADS)]

    def work(number: int) -> None:
        start = number * len(alerts) // THREADS
        for alert in alerts[start:] + alerts[:start]:
            found[number][alert.id] = outcome(alert)

    with switching_often():
        errors = at_once(app, THREADS, work)
    return found, errors


def differences(expected: dict[str, Outcome], found: dict[str, Outcome]) -> dict[str, list]:
    """Alert id -> the parts of its outcome that differ (or "missing")."""
    wrong: dict[str, list] = {}
    for alert_id, outcome_expected in expected.items():
        got = found.get(alert_id)
        if got is None:
            wrong[alert_id] = ["missing"]
        elif got != outcome_expected:
            wrong[alert_id] = [name for name, one, other in
                               zip(Outcome._fields, outcome_expected, got, strict=True)
                               if one != other]
    return wrong


def test_alerts_are_read_and_matched_alike_by_threads_at_once(answering_library, monkeypatch):
    expected = {alert.id: outcome(alert) for alert in ALERTS}
    assert {outcome.guess.language for outcome in expected.values()} == set(LANGUAGES)
    assert sum(bool(outcome.recommendations) for outcome in expected.values()) >= 30
    for round_number in range(ROUNDS):
        start_cold(monkeypatch)
        found, errors = in_threads(answering_library, ALERTS)
        assert errors == [], f"round {round_number}"
        for number, outcomes in enumerate(found):
            assert differences(expected, outcomes) == {}, f"round {round_number}, thread {number}"
