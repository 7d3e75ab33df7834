"""The multilingual concept thesaurus: SKOS-like concepts with labels in five languages.

Each concept has a preferred label (the first) and alternative labels in en, de, pl, ro and hu,
the taxonomy topics it signals and, optionally, broader concepts. Text and labels meet on
folded Snowball stems in the label's language, so "Hakenkreuze" finds the concept whose German
label is "Hakenkreuz", and an English case about a "swastika" holds the same concept id.
Run `python -m app.content.thesaurus check` to validate the files, `find` to try a text.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from app.config import ROOT
from app.core.text import LANGUAGES, WORD_RE, fold, stem, stem_keys, words

DEFAULT_FOLDER = ROOT / "content" / "thesaurus"  # the checkout's, or the bundled copy
GROUPS = ("symbols", "groups", "movements", "places", "acts", "responses")
ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,59}$")
MIN_STEM = 4  # a one-word label with a shorter stem matches its exact (folded) forms only
EXACT = "="  # key prefix of those exact forms (no stem starts with it)
HEADS = ""  # matcher entry: how the first word of every label starts (see _head)
STARTS = "=="  # matcher entry: word -> its keys that start a label (filled as words come)
RECHECK_SECONDS = 2.0
_CHECKED: dict[str, tuple[float, Thesaurus]] = {}  # folder -> (when looked at, thesaurus)


class ThesaurusError(ValueError):
    """A thesaurus file is missing, malformed or inconsistent (every problem is listed)."""


@dataclass(frozen=True)
class Concept:
    """One concept: labels per language (preferred first), topics, broader concepts."""

    id: str
    group: str
    topics: tuple[str, ...]
    broader: tuple[str, ...]
    labels: dict[str, tuple[str, ...]]

    def label(self, language: str) -> str:
        """The preferred label in a language (English when it has none)."""
        return (self.labels.get(language) or self.labels["en"])[0].lstrip(EXACT)


@dataclass(frozen=True)
class Mention:
    """Where a concept was found: its id, the label language and the words of the text."""

    concept: str
    language: str
    start: int
    length: int
    text: str


Entry = tuple[str, tuple[str, ...]]  # (concept id, the keys of a label's words)


@dataclass(eq=False)  # compared and hashed by identity: one per loaded version of the files
class Thesaurus:
    """Concepts by id; one label matcher per language, built on first use."""

    concepts: dict[str, Concept]
    _matchers: dict[str, dict[str, list[Entry]]] = field(default_factory=dict, repr=False)
    _lineage: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    _building: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def matcher(self, language: str) -> dict[str, list[Entry]]:
        """First key of a label -> [(concept, keys of all its words)] for one language."""
        return self._built(language, lambda: build_matcher(self.concepts.values(), language))

    def phrase_matcher(self, language: str) -> dict[str, list[Entry]]:
        """The multi-word labels of a language by the exact (folded) form of their words:
        how a phrase quoted in another language is found without stemming every word of a
        text in every language."""
        return self._built(f"phrases-{language}",
                           lambda: build_phrase_matcher(self.concepts.values(), language))

    def _built(self, key: str, build: Callable[[], dict[str, list[Entry]]]
               ) -> dict[str, list[Entry]]:
        """A matcher built on first use, by one thread: the threads of a fresh worker that
        want it at once wait for that one build instead of each stemming every label."""
        found = self._matchers.get(key)
        if found is None:
            with self._building:
                found = self._matchers.get(key)
                if found is None:
                    found = self._matchers[key] = build()
        return found

    def with_broader(self, concept_id: str) -> tuple[str, ...]:
        """A concept and every broader concept above it, nearest first."""
        if concept_id not in self._lineage:
            found: list[str] = [concept_id]
            for parent in self.concepts[concept_id].broader:
                found.extend(self.with_broader(parent))
            self._lineage[concept_id] = tuple(dict.fromkeys(found))
        return self._lineage[concept_id]

    def topics_of(self, concept_id: str) -> tuple[str, ...]:
        """The topics a concept signals, its own and those of its broader concepts."""
        return tuple(dict.fromkeys(topic for found in self.with_broader(concept_id)
                                   for topic in self.concepts[found].topics))


# Matching ---------------------------------------------------------------------------------


def label_keys(label: str, language: str) -> tuple[str, ...] | None:
    """The keys a label's words must have in a text, in order (None for an empty label).
    A label written "=word" matches that exact (folded) form only: "=extremism" must not
    find "extremely", which Snowball stems alike."""
    parts = words(label)
    if not parts:
        return None
    if label.startswith(EXACT):
        return tuple(EXACT + fold(part) for part in parts)
    if len(parts) == 1:
        key = stem(fold(parts[0]), language)
        return (key if len(key) >= MIN_STEM else EXACT + fold(parts[0]),)
    return tuple(stem(fold(part), language) for part in parts)


def key_variants(label: str, language: str) -> set[tuple[str, ...]]:
    """The label's keys (label_keys) and, when they differ, the keys of its words stemmed
    before folding: a text word meets a label either way ("zsidókról" → "zsidó" → "zsido")."""
    keys = label_keys(label, language)
    if keys is None:
        return set()
    variants = {keys}
    if not label.startswith(EXACT):
        parts = words(label)
        other = tuple(fold(stem(part, language)) for part in parts)
        if len(parts) > 1 or len(other[0]) >= MIN_STEM:
            variants.add(other)
    return variants


def build_matcher(concepts: Iterable[Concept], language: str) -> dict[str, list[Entry]]:
    """Index a language's labels by the key of their first word."""
    index: dict[str, list[Entry]] = defaultdict(list)
    heads: set[str] = set()
    for concept in concepts:
        for label in concept.labels.get(language, ()):
            for keys in key_variants(label, language):
                if (concept.id, keys) not in index[keys[0]]:
                    index[keys[0]].append((concept.id, keys))
                heads.add(_head(keys[0].removeprefix(EXACT)))
            heads.add(_head(fold(words(label)[0])))
    index[HEADS] = frozenset(heads)  # words that start like no label are never stemmed
    index[STARTS] = {}
    return dict(index)


def build_phrase_matcher(concepts: Iterable[Concept], language: str) -> dict[str, list[Entry]]:
    """Index a language's multi-word labels by the exact folded form of their first word."""
    index: dict[str, list[Entry]] = defaultdict(list)
    for concept in concepts:
        for label in concept.labels.get(language, ()):
            keys = tuple(EXACT + fold(part) for part in words(label))
            if len(keys) > 1 and (concept.id, keys) not in index[keys[0]]:
                index[keys[0]].append((concept.id, keys))
    return dict(index)


def token_keys(token: str, language: str) -> tuple[str, ...]:
    """The keys a text word can meet a label with: its stems (with and without diacritics)
    and its exact folded form."""
    return (*stem_keys(token, language), EXACT + fold(token))


def _head(text: str) -> str:
    """How a word that may start a label starts: its first four letters (the whole of a
    shorter key or word). Both the first word's key and its written form give one, as
    Snowball may change a stem's last letter (city -> citi)."""
    return text[:4]


def _may_start(token: str, heads: frozenset[str]) -> bool:
    """True when a label's first word may start like this word."""
    folded = fold(token)
    return folded[:4] in heads or (len(folded) < 4 and folded in heads)


def find_mentions(text: str, languages: Iterable[str], *, phrases_of_all: bool = False
                  ) -> list[Mention]:
    """Every concept named in a text by a label of one of the languages, in text order; where
    labels overlap, the longest wins ("hate speech" over "hate"). With `phrases_of_all`, the
    multi-word labels of the other languages count too (a slogan quoted in German in a Polish
    report: "jude raus")."""
    thesaurus = load_thesaurus()
    tokens = [match.group() for match in WORD_RE.finditer(text or "")]  # as typed
    chosen = set(languages)
    found: list[Mention] = []
    for language in LANGUAGES:
        if language in chosen:
            found.extend(_mentions_in(tokens, language, thesaurus.matcher(language)))
        elif phrases_of_all:
            found.extend(_phrases_in(tokens, language, thesaurus.phrase_matcher(language)))
    return _longest_first(found)


def _mentions_in(tokens: list[str], language: str, matcher: dict) -> list[Mention]:
    """Concepts of one language's labels at each position. A word's keys that start a label
    are remembered per matcher (most words start none: one look-up each); a later word of a
    label is stemmed only when its folded form can have the label's key."""
    starts = matcher[STARTS]
    lowered = [token.lower() for token in tokens]
    stems: dict[int, tuple[str, ...]] = {}

    def has(position: int, key: str) -> bool:
        folded = fold(lowered[position])
        if key.startswith(EXACT):
            return key == EXACT + folded
        if not folded.startswith(key[:-1]):  # a stem starts like its word (bar its last letter)
            return False
        if position not in stems:
            stems[position] = stem_keys(lowered[position], language)
        return key in stems[position]

    found: list[Mention] = []
    for start, word in enumerate(lowered):
        first = starts.get(word)
        if first is None:
            first = starts[word] = _first_keys(word, language, matcher)
        if first:
            found.extend(_labels_from(tokens, start, first, has, language, matcher))
    return found


def _first_keys(word: str, language: str, matcher: dict) -> tuple[str, ...]:
    """The keys of a word that start a label of the matcher (usually none)."""
    if not _may_start(word, matcher[HEADS]):
        return ()
    return tuple(key for key in token_keys(word, language) if key in matcher)


def _phrases_in(tokens: list[str], language: str, matcher: dict) -> list[Mention]:
    """Concepts of one language's multi-word labels, written exactly (folded) as listed."""
    exact = [EXACT + fold(token.lower()) for token in tokens]

    def has(position: int, key: str) -> bool:
        return exact[position] == key

    return [mention for start in range(len(tokens))
            for mention in _labels_from(tokens, start, (exact[start],), has, language, matcher)]


def _labels_from(tokens: list[str], start: int, first: tuple[str, ...], has, language: str,
                 matcher: dict) -> list[Mention]:
    """The labels of a matcher that start at a position with one of the `first` keys."""
    found = []
    for key in first:
        for concept, label in matcher.get(key, ()):
            if start + len(label) <= len(tokens) and all(
                    has(start + offset, label[offset]) for offset in range(1, len(label))):
                words_found = " ".join(tokens[start:start + len(label)])
                found.append(Mention(concept, language, start, len(label), words_found))
    return found


def _longest_first(mentions: list[Mention]) -> list[Mention]:
    """The mentions that no longer mention covers, once per concept and place, in text order."""
    kept: dict[tuple[str, int], Mention] = {}
    covering: dict[int, list[Mention]] = defaultdict(list)  # position -> kept mentions on it
    for mention in sorted(mentions, key=lambda m: (-m.length, m.start, m.concept)):
        end = mention.start + mention.length
        if any(longer.length > mention.length and end <= longer.start + longer.length
               for longer in covering[mention.start]):
            continue
        if (mention.concept, mention.start) not in kept:
            kept[(mention.concept, mention.start)] = mention
            for position in range(mention.start, end):
                covering[position].append(mention)
    return sorted(kept.values(), key=lambda m: (m.start, m.concept))


def concept_counts(text: str, languages: Iterable[str]) -> dict[str, int]:
    """How often each concept is named in a text (broader concepts are not counted: they
    give topics, see Thesaurus.topics_of)."""
    counts: dict[str, int] = defaultdict(int)
    for mention in find_mentions(text, languages):
        counts[mention.concept] += 1
    return dict(counts)


def concept_label(concept_id: str, language: str) -> str:
    """A concept's preferred label in a language (the id when the concept is unknown)."""
    found = load_thesaurus().concepts.get(concept_id)
    return found.label(language) if found else concept_id


def label_words() -> frozenset[str]:
    """Every word of every label, lower-case (the domain's vocabulary, not names)."""
    return _label_words(load_thesaurus())


@lru_cache(maxsize=4)
def _label_words(thesaurus: Thesaurus) -> frozenset[str]:
    """The words of one loaded thesaurus's labels."""
    return frozenset(word for concept in thesaurus.concepts.values()
                     for labels in concept.labels.values() for label in labels
                     for word in words(label))


def labels_for_topic(topic: str, language: str) -> list[str]:
    """The preferred labels of the concepts that signal a topic (for synthetic corpora)."""
    thesaurus = load_thesaurus()
    return [concept.label(language) for concept in thesaurus.concepts.values()
            if topic in thesaurus.topics_of(concept.id)]


# Loading and validation -------------------------------------------------------------------


def load_thesaurus(folder: str | os.PathLike | None = None) -> Thesaurus:
    """The thesaurus in a folder (default: the configured one), re-read when a file changes
    (the files are looked at once every RECHECK_SECONDS: a match asks thousands of times)."""
    key = str(folder or _configured_folder())
    checked = _CHECKED.get(key)
    now = time.monotonic()
    if checked and now - checked[0] < RECHECK_SECONDS:
        return checked[1]
    resolved = Path(key).resolve()
    files = tuple(sorted(resolved.glob("*.yml")))
    if not files:
        raise ThesaurusError(f"{resolved}: no thesaurus files (*.yml)")
    stamps = tuple((str(path), path.stat().st_mtime_ns) for path in files)
    thesaurus = _load_cached(stamps)
    _CHECKED[key] = (now, thesaurus)
    return thesaurus


def _configured_folder() -> str:
    """THESAURUS_FOLDER of the current app, or the bundled folder outside an app context."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config.get("THESAURUS_FOLDER") or str(DEFAULT_FOLDER)
    return str(DEFAULT_FOLDER)


@lru_cache(maxsize=4)
def _load_cached(stamps: tuple[tuple[str, int], ...]) -> Thesaurus:
    """Parse and validate one version of the files (their mtimes are part of the key)."""
    problems: list[str] = []
    concepts: dict[str, Concept] = {}
    origin: dict[str, str] = {}
    for path, _mtime in stamps:
        for concept in _parse_file(Path(path), problems):
            if concept.id in concepts:
                problems.append(f"{Path(path).name}: concept {concept.id!r} is also in "
                                f"{origin[concept.id]}")
                continue
            concepts[concept.id] = concept
            origin[concept.id] = Path(path).name
    problems.extend(_reference_problems(concepts, origin))
    problems.extend(_label_clashes(concepts, origin))
    if problems:
        raise ThesaurusError("\n".join(problems))
    return Thesaurus(concepts=concepts)


def _parse_file(path: Path, problems: list[str]) -> list[Concept]:
    """The concepts of one file; what is wrong goes to `problems`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"{path.name}: cannot read: {error}")
        return []
    if not isinstance(data, dict) or not isinstance(data.get("concepts"), dict):
        problems.append(f"{path.name}: expected `group:` and a `concepts:` mapping")
        return []
    group = data.get("group")
    if group not in GROUPS:
        problems.append(f"{path.name}: group must be one of {', '.join(GROUPS)}")
    parsed = [_parse_concept(path.name, str(group), key, value, problems)
              for key, value in data["concepts"].items()]
    return [concept for concept in parsed if concept is not None]


def _parse_concept(name: str, group: str, key: object, value: object,
                   problems: list[str]) -> Concept | None:
    """One concept entry, or None (with the reasons in `problems`)."""
    where = f"{name}: concept {key!r}"
    if not isinstance(key, str) or not ID_RE.match(key):
        problems.append(f"{where}: ids are lower-case ASCII letters, digits and _")
        return None
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a mapping")
        return None
    labels = {language: _labels(value.get(language), f"{where} {language}", problems)
              for language in LANGUAGES}
    unknown = set(value) - {"topics", "broader", *LANGUAGES}
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    return Concept(id=key, group=group, labels=labels,
                   topics=_names(value.get("topics"), f"{where} topics", problems),
                   broader=_names(value.get("broader"), f"{where} broader", problems))


def _labels(value: object, where: str, problems: list[str]) -> tuple[str, ...]:
    """A language's label list: one or more non-empty texts."""
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: needs a list of labels (the first is the preferred one)")
        return ()
    if not all(isinstance(label, str) and words(label) for label in value):
        problems.append(f"{where}: labels must be words (quote numbers, yes, no, on, off)")
        return ()
    return tuple(label.strip() for label in value)  # "=word": that exact form only


def _names(value: object, where: str, problems: list[str]) -> tuple[str, ...]:
    """A list of keys (topics or concept ids); empty when absent."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.append(f"{where}: expected a list of keys")
        return ()
    return tuple(value)


def _reference_problems(concepts: dict[str, Concept], origin: dict[str, str]) -> list[str]:
    """Unknown topics, unknown or circular broader concepts."""
    from app.content.taxonomy import load_taxonomy

    topics = load_taxonomy().topics
    problems = []
    for concept in concepts.values():
        where = f"{origin[concept.id]}: concept {concept.id!r}"
        problems.extend(f"{where}: unknown topic {topic!r}"
                        for topic in concept.topics if topic not in topics)
        problems.extend(f"{where}: unknown broader concept {parent!r}"
                        for parent in concept.broader if parent not in concepts)
        if _is_circular(concepts, concept.id):
            problems.append(f"{where}: its broader concepts lead back to it")
    return problems


def _is_circular(concepts: dict[str, Concept], start: str) -> bool:
    """True when following broader concepts from `start` comes back to it."""
    seen: set[str] = set()
    todo = [parent for parent in concepts[start].broader if parent in concepts]
    while todo:
        current = todo.pop()
        if current == start:
            return True
        if current not in seen:
            seen.add(current)
            todo.extend(parent for parent in concepts[current].broader if parent in concepts)
    return False


def _label_clashes(concepts: dict[str, Concept], origin: dict[str, str]) -> list[str]:
    """Labels of one language that two concepts share (after folding and stemming)."""
    problems = []
    for language in LANGUAGES:
        owners: dict[tuple[str, ...], tuple[str, str]] = {}
        for concept in concepts.values():
            for label in concept.labels.get(language, ()):
                keys = label_keys(label, language)
                first = owners.setdefault(keys, (concept.id, label)) if keys else None
                if first and first[0] != concept.id:
                    problems.append(
                        f"{origin[concept.id]}: {language} label {label!r} of {concept.id!r} "
                        f"reads like {first[1]!r} of {first[0]!r} ({origin[first[0]]})")
    return problems


# Command line -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """`check` the files or `find` the concepts of a text."""
    parser = argparse.ArgumentParser(prog="python -m app.content.thesaurus")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="validate the thesaurus files")
    check.add_argument("--folder", default=str(DEFAULT_FOLDER))
    find = commands.add_parser("find", help="the concepts and topics found in a text")
    find.add_argument("text")
    find.add_argument("--lang", choices=LANGUAGES, action="append",
                      help="label languages to match (default: all five)")
    args = parser.parse_args(argv)
    return _check(args.folder) if args.command == "check" else _find(args.text, args.lang)


def _check(folder: str) -> int:
    """Print the problems, or the number of concepts per group."""
    try:
        thesaurus = load_thesaurus(folder)
    except ThesaurusError as error:
        print(error, file=sys.stderr)
        return 1
    per_group: dict[str, int] = defaultdict(int)
    for concept in thesaurus.concepts.values():
        per_group[concept.group] += 1
    for group, count in sorted(per_group.items()):
        print(f"{group:>10}: {count}")
    print(f"{'total':>10}: {len(thesaurus.concepts)} concepts, no problems")
    return 0


def _find(text: str, languages: list[str] | None) -> int:
    """Print each mention with its concept's labels and topics."""
    thesaurus = load_thesaurus()
    for mention in find_mentions(text, languages or LANGUAGES):
        concept = thesaurus.concepts[mention.concept]
        print(f"{mention.text!r} ({mention.language}) -> {concept.id}: "
              f"{concept.label('en')} | topics {', '.join(thesaurus.topics_of(concept.id))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
