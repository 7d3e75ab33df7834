"""The multilingual taxonomy: topic labels, keyword lexicons, tagging and language detection."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from app.core.text import LANGUAGES, STOP_WORDS, fold, stem, stem_keys, words

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "content" / "taxonomy.yml"
MIN_KEY_LENGTH = 3  # single-word terms shorter than this collide across languages
HEADS = ""  # matcher entry holding the stem prefixes (no real stem is empty)
# Letters that occur in one language's spelling only (ö, ü, á ... are shared, so they are absent).
DISTINCT_LETTERS = {
    "pl": "ąćęłńśźż",
    "ro": "ăâîșțşţ",
    "hu": "őű",
    "de": "ß",
}


class TaxonomyError(ValueError):
    """The taxonomy file is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class Topic:
    """One topic key with its labels and lexicon terms per language."""

    key: str
    labels: dict[str, str]
    terms: dict[str, tuple[str, ...]]


@dataclass
class Taxonomy:
    """Topics plus the ALERT category and setting maps; matchers are built on first use."""

    topics: dict[str, Topic]
    categories: dict[str, tuple[str, ...]]
    settings: dict[str, tuple[str, ...]]
    _matchers: dict[str, dict[str, list[tuple[str, tuple[str, ...]]]]] = field(
        default_factory=dict, repr=False
    )

    def matcher(self, language: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        """First folded stem -> [(topic, all stems of the term)] for one language."""
        if language not in self._matchers:
            self._matchers[language] = _build_matcher(self.topics.values(), language)
        return self._matchers[language]


def _build_matcher(topics: Iterable[Topic], language: str) -> dict:
    """Index a language's lexicon terms by their first stem."""
    index: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for topic in topics:
        for term in topic.terms.get(language, ()):
            keys = tuple(fold(stem(word, language)) for word in words(term))
            if not keys or (len(keys) == 1 and len(keys[0]) < MIN_KEY_LENGTH):
                continue
            index[keys[0]].append((topic.key, keys))
    # Under HEADS: the first letters of every stem, so unrelated words are never stemmed.
    index[HEADS] = frozenset(key[:3] for entries in list(index.values())
                             for _topic, keys in entries for key in keys)
    return dict(index)


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
    """Validate one topic entry: labels and term lists for every language, strings only."""
    if not isinstance(value, dict):
        raise TaxonomyError(f"{path}: topic {key!r} must be a mapping")
    labels = value.get("labels") or {}
    terms = value.get("terms") or {}
    for language in LANGUAGES:
        if not isinstance(labels.get(language), str):
            raise TaxonomyError(f"{path}: topic {key!r} has no {language} label")
        entries = terms.get(language) or []
        if not all(isinstance(term, str) for term in entries):
            raise TaxonomyError(
                f"{path}: topic {key!r}: {language} terms must be text (quote them)"
            )
    return Topic(
        key=key,
        labels=dict(labels),
        terms={language: tuple(terms.get(language) or ()) for language in LANGUAGES},
    )


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


def lexicon_terms(topics: Iterable[str], lang: str | None = None) -> list[str]:
    """The lexicon terms of topics in one language (all five when lang is None)."""
    taxonomy = load_taxonomy()
    languages = [lang] if lang else list(LANGUAGES)
    return _unique(
        term
        for key in topics
        if key in taxonomy.topics
        for language in languages
        for term in taxonomy.topics[key].terms.get(language, ())
    )


def derive_topics(text: str, lang: str | None = None, limit: int = 5) -> list[str]:
    """Topic keys found in a text by all five lexicons (inflections match by folded stems),
    strongest first; `lang` only breaks ties in favour of that language's lexicon."""
    scores = topic_scores(text, prefer=lang)
    tokens = len(words(text))
    needed = 1 if tokens < 150 else 2  # long texts must mention a topic more than once
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [topic for topic, score in ranked if score >= needed][:limit]


def topic_scores(text: str, prefer: str | None = None) -> dict[str, float]:
    """How often each topic's lexicon terms occur in a text, over all five languages."""
    taxonomy = load_taxonomy()
    tokens = words(text)
    scores: Counter[str] = Counter()
    for language in LANGUAGES:
        found = _matches(tokens, language, taxonomy.matcher(language))
        for topic in found:
            # Positions, not languages: the best language's count decides.
            weight = 1.01 if language == prefer else 1.0
            scores[topic] = max(scores[topic], len(found[topic]) * weight)
    return dict(scores)


def _matches(tokens: list[str], language: str, matcher: dict) -> dict[str, set[int]]:
    """Topic -> text positions where one of its terms (single or multi-word) starts."""
    heads = matcher[HEADS]
    # Stems start like their word: words no lexicon stem starts like are not stemmed at all.
    keys = [stem_keys(token, language) if fold(token[:4])[:3] in heads else ()
            for token in tokens]
    found: dict[str, set[int]] = defaultdict(set)
    for position, token_keys in enumerate(keys):
        for key in token_keys:
            for topic, term in matcher.get(key, ()):
                if _phrase_at(keys, position, term):
                    found[topic].add(position)
    return found


def _phrase_at(keys: list[tuple[str, ...]], position: int, term: tuple[str, ...]) -> bool:
    """True when the term's stems follow one another from this position."""
    if position + len(term) > len(keys):
        return False
    return all(term[offset] in keys[position + offset] for offset in range(len(term)))


def detect_language(text: str) -> str | None:
    """The likely language of a text (en/de/pl/ro/hu) from stop words and letters, or None."""
    tokens = words(text)
    if len(tokens) < 3:
        return None
    scores = {language: 0.0 for language in LANGUAGES}
    for token in tokens:
        owners = [language for language in LANGUAGES if token in STOP_WORDS[language]]
        for language in owners:
            scores[language] += 1 / len(owners)
    for language, letters in DISTINCT_LETTERS.items():
        scores[language] += 0.5 * sum(text.lower().count(letter) for letter in letters)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 1.5 or top < 1.3 * second:
        return None
    return best


def _unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, without repeats."""
    return list(dict.fromkeys(items))
