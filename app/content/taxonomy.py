"""The multilingual taxonomy: topic labels, ALERT category and setting maps, topics of a text.

Topics are derived from the concepts of the thesaurus (app/content/thesaurus.py) that a text
names: each concept says which topics it signals."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.config import ROOT
from app.core.text import LANGUAGES, words

DEFAULT_FILE = ROOT / "content" / "taxonomy.yml"  # the checkout's, or the bundled copy


class TaxonomyError(ValueError):
    """The taxonomy file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Topic:
    """One topic key with its labels per language."""

    key: str
    labels: dict[str, str]


@dataclass
class Taxonomy:
    """Topics plus the ALERT category and setting maps."""

    topics: dict[str, Topic]
    categories: dict[str, tuple[str, ...]]
    settings: dict[str, tuple[str, ...]]


def load_taxonomy(path: str | os.PathLike | None = None) -> Taxonomy:
    """The taxonomy in a file (default: the configured one), re-read when the file changes."""
    resolved = _resolved(str(path or _configured_path()))
    try:
        mtime = resolved.stat().st_mtime_ns
    except OSError as error:
        raise TaxonomyError(f"{resolved}: cannot read the taxonomy ({error.strerror})") from error
    return _load_cached(str(resolved), mtime)


@lru_cache(maxsize=16)
def _resolved(path: str) -> Path:
    """The absolute path of a taxonomy file (resolved once: pages ask for labels often)."""
    return Path(path).resolve()


def _configured_path() -> Path:
    """TAXONOMY_FILE of the current app, or the bundled file outside an app context."""
    from flask import current_app, has_app_context

    if has_app_context():
        return Path(current_app.config.get("TAXONOMY_FILE") or DEFAULT_FILE)
    return DEFAULT_FILE


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: int) -> Taxonomy:
    """Parse and validate one version of the file (the mtime is part of the cache key)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise TaxonomyError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("topics"), dict):
        raise TaxonomyError(f"{path}: expected a mapping with a `topics:` section")
    topics = {key: _parse_topic(path, key, value) for key, value in data["topics"].items()}
    return Taxonomy(
        topics=topics,
        categories=_parse_map(path, "categories", data.get("categories"), topics),
        settings=_parse_map(path, "settings", data.get("settings"), topics),
    )


def _parse_topic(path: str, key: str, value: object) -> Topic:
    """Validate one topic entry: a label in every language."""
    if not isinstance(value, dict):
        raise TaxonomyError(f"{path}: topic {key!r} must be a mapping")
    labels = value.get("labels") or {}
    for language in LANGUAGES:
        if not isinstance(labels.get(language), str):
            raise TaxonomyError(f"{path}: topic {key!r} has no {language} label")
    return Topic(key=key, labels=dict(labels))


def _parse_map(path: str, name: str, value: object, topics: dict) -> dict[str, tuple[str, ...]]:
    """Validate a key -> [topic keys] section."""
    result: dict[str, tuple[str, ...]] = {}
    for key, targets in (value or {}).items():
        unknown = [target for target in targets or [] if target not in topics]
        if unknown:
            raise TaxonomyError(f"{path}: {name}.{key} names unknown topics {unknown}")
        result[key] = tuple(targets or ())
    return result


def topic_keys() -> list[str]:
    """Every topic key, in file order."""
    return list(load_taxonomy().topics)


def unknown_topics(keys: Iterable[str]) -> list[str]:
    """The keys that are not topics of the taxonomy (for the content loader's errors)."""
    known = load_taxonomy().topics
    return [key for key in keys if key not in known]


def label(topic: str, lang: str) -> str:
    """The topic's label in a language (English, then the key, when missing)."""
    found = load_taxonomy().topics.get(topic)
    if found is None:
        return topic
    return found.labels.get(lang) or found.labels.get("en") or topic


def topics_for_categories(categories: Iterable[str]) -> list[str]:
    """Topic keys for ALERT category keys, in order, without repeats."""
    mapping = load_taxonomy().categories
    return _unique(topic for category in categories for topic in mapping.get(category, ()))


def topics_for_settings(settings: Iterable[str]) -> list[str]:
    """Topic keys for ALERT setting keys, in order, without repeats."""
    mapping = load_taxonomy().settings
    return _unique(topic for setting in settings for topic in mapping.get(setting, ()))


def derive_topics(text: str, languages: Iterable[str] = LANGUAGES, limit: int = 5) -> list[str]:
    """Topic keys of the concepts a text names (read with the labels of `languages`),
    strongest first."""
    from app.content.thesaurus import find_mentions

    return ranked_topics(find_mentions(text, languages), len(words(text)), limit)


def ranked_topics(mentions: list, text_words: int, limit: int = 5) -> list[str]:
    """Topics of concept mentions, most mentioned first; in a long text (150 words or more)
    a topic must be signalled twice."""
    from app.content.thesaurus import load_thesaurus

    thesaurus = load_thesaurus()
    scores: Counter[str] = Counter()
    for mention in mentions:
        scores.update(thesaurus.topics_of(mention.concept))
    needed = 1 if text_words < 150 else 2
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [topic for topic, score in ranked if score >= needed][:limit]


def _unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))
