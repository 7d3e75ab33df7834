"""What the load sends: reporters' texts in five languages (alerts and off-topic), made distinct."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, cycle, islice, zip_longest

import yaml

from app.core.personal_data import find_contact_details
from tests.fixtures.matching import EVALUATION_FILE

MIN_LENGTH = 30  # the form refuses shorter descriptions: they would only measure validation
OFF_TOPIC_EVERY = 5  # one text in five has nothing to do with the domain (forwarded: no match)
URGENCIES = ("high", "medium", "low")  # every third report is urgent: forwarded, members told


@dataclass(frozen=True)
class Report:
    """One ALERT submission as the form receives it."""

    number: int
    lang: str  # the page's language (/<lang>/alert/), also the text's
    text: str
    country: str
    setting: str
    categories: tuple[str, ...]
    urgency: str

    def form(self) -> list[tuple[str, str]]:
        """The form fields (without the token and the submission key)."""
        fields = [("description", self.text), ("country", self.country),
                  ("setting", self.setting), ("urgency", self.urgency),
                  ("reporter_role", "other"), ("consent", "y")]
        return fields + [("categories", category) for category in self.categories]


def reports(count: int) -> list[Report]:
    """`count` distinct reports: the evaluation set's alerts and off-topic texts in turn,
    each numbered so that no two descriptions are the same."""
    sources = _sources()
    return [_report(number, source) for number, source in enumerate(islice(cycle(sources), count))]


def _sources() -> list[dict]:
    """Alerts with the languages taking turns, an off-topic text every OFF_TOPIC_EVERY; none
    too short for the form, none with contact details (the form would ask about them first)."""
    data = yaml.safe_load(EVALUATION_FILE.read_text(encoding="utf-8"))
    alerts, off_topic = _usable(data["alerts"]), cycle(_usable(data["off_topic"]))
    mixed = []
    for entry in _languages_in_turn(alerts):
        if len(mixed) % OFF_TOPIC_EVERY == OFF_TOPIC_EVERY - 1:
            mixed.append(next(off_topic))
        mixed.append(entry)
    return mixed


def _usable(entries: list[dict]) -> list[dict]:
    """Entries the form takes as they are."""
    return [entry for entry in entries
            if len(entry["text"]) >= MIN_LENGTH and not find_contact_details(entry["text"])]


def _languages_in_turn(entries: list[dict]) -> list[dict]:
    """en, de, pl, ro, hu, en, ...: a short run still has every language."""
    by_language: dict[str, list[dict]] = {}
    for entry in entries:
        by_language.setdefault(entry["lang"], []).append(entry)
    rounds = zip_longest(*by_language.values())
    return [entry for entry in chain.from_iterable(rounds) if entry is not None]


def _report(number: int, source: dict) -> Report:
    """One numbered report from an evaluation entry (no category: "other")."""
    return Report(
        number=number, lang=source["lang"], text=f"{source['text'].strip()} (#{number})",
        country=source["country"], setting=source["setting"],
        categories=tuple(source.get("categories") or ["other"]),
        urgency=URGENCIES[number % len(URGENCIES)],
    )
