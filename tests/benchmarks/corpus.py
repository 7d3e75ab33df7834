"""Synthetic library for the benchmarks: items in one to five languages, alerts, misspellings.

Words are invented per language and drawn with Zipf frequencies like real text, with 5% taken
from the lexicons of the item's three taxonomy topics, so real words ("online",
"radykalizacja") occur where their topic does. An item is a translation group (type + slug):
40% exist in all five languages, the rest in one or two. Every type is present; handbooks come
as five chapters each, trainers, experts and donors with their type's fields.
"""

from __future__ import annotations

import html
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from tests.benchmarks.function_words import FUNCTION_WORDS

LANGUAGES = ("en", "de", "pl", "ro", "hu")
COUNTRIES = ("DE", "PL", "RO", "HU", "EU")
AUDIENCE = ("teacher", "social_worker", "youth_worker", "police", "local_government", "ngo")
# Item types and their weights; a drawn handbook brings CHAPTERS chapters (items) at once.
TYPE_WEIGHTS = {"case": 20, "practice": 15, "handbook": 3, "training": 10, "lesson": 8,
                "video": 8, "trainer": 8, "expert": 6, "donor": 5, "organisation": 5}
CHAPTERS = 5
VOCABULARY = 30_000  # invented words per language
TOPICAL_SHARE = 0.05  # share of words taken from the item's topic lexicons
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "bra", "pel", "dor", "gun",
             "fis", "hal", "jek", "tro", "wen")
WORDS = {"title": 7, "summary": 25, "body": 180}
TODAY = date(2026, 12, 1)


@dataclass
class Words:
    """Everything text generation draws from: vocabularies and the topics' lexicons."""

    vocabulary: dict[str, tuple[list[str], list[float]]]  # language -> words, Zipf weights
    lexicon: dict[tuple[str, str], list[str]]  # (topic, language) -> lexicon words
    topics: list[str]


def vocabulary(lang: str) -> tuple[list[str], list[float]]:
    """The language's function words (most frequent), then invented words; Zipf cumulative
    weights."""
    rng = random.Random(lang)
    invented = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) + lang
                for _ in range(VOCABULARY * 2)}
    words = sorted(set(FUNCTION_WORDS[lang].split())) + sorted(invented)[:VOCABULARY]
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


@lru_cache(maxsize=1)
def words() -> Words:
    """The word sources (built once per process; needs an app context for the taxonomy):
    the preferred labels of the concepts signalling each topic stand for its vocabulary."""
    from app.content import taxonomy
    from app.content.thesaurus import labels_for_topic

    keys = taxonomy.topic_keys()
    return Words(
        vocabulary={lang: vocabulary(lang) for lang in LANGUAGES},
        lexicon={(t, lang): labels_for_topic(t, lang) for t in keys for lang in LANGUAGES},
        topics=keys,
    )


def text(rng: random.Random, topics: list[str], lang: str, size: int) -> str:
    """Zipf-distributed words of a language with lexicon words of the topics mixed in."""
    source = words()
    vocab, cumulative = source.vocabulary[lang]
    drawn = rng.choices(vocab, cum_weights=cumulative, k=size)
    topical = [w for t in topics for w in source.lexicon[(t, lang)]]
    for position in range(size):
        if topical and rng.random() < TOPICAL_SHARE:
            drawn[position] = rng.choice(topical)
    return " ".join(drawn)


def item_languages(rng: random.Random) -> list[str]:
    """40% of items in all five languages, the rest in one (35%) or two (25%)."""
    roll = rng.random()
    if roll < 0.40:
        return list(LANGUAGES)
    return rng.sample(LANGUAGES, 1 if roll < 0.75 else 2)


@dataclass
class Item:
    """One translation group before it becomes rows: shared columns and its languages."""

    type: str
    slug: str
    languages: list[str]
    topics: list[str]
    shared: dict  # columns every language version has alike (countries, dates, extra ...)


def generate_items(count: int, seed: int = 7) -> Iterator[Item]:
    """`count` items of every type (chapters count one each), reproducible from the seed."""
    rng = random.Random(seed)
    kinds, weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    made = 0
    while made < count:
        kind = rng.choices(kinds, weights)[0]
        if kind == "handbook":
            chapters = list(handbook_items(rng, made, min(CHAPTERS, count - made)))
            made += len(chapters)
            yield from chapters
            continue
        made += 1
        yield Item(kind, f"{kind}-{made}", item_languages(rng), rng.sample(words().topics, 3),
                   shared_columns(rng, kind, made))


def handbook_items(rng: random.Random, number: int, chapters: int) -> Iterator[Item]:
    """The chapters of one handbook: same languages (English always) and topics."""
    languages = sorted(set(item_languages(rng)) | {"en"})
    topics = rng.sample(words().topics, 3)
    handbook = f"handbook-{number + 1}"
    for position in range(1, chapters + 1):
        shared = shared_columns(rng, "handbook", number + position)
        shared.update(handbook_slug=handbook, position=position)
        yield Item("handbook", f"{handbook}/{position:02d}-chapter", languages, topics, shared)


def shared_columns(rng: random.Random, kind: str, number: int) -> dict:
    """Columns alike in every language version; type-specific fields in `extra`."""
    extra = type_extra(rng, kind, number)
    deadline = TODAY + timedelta(days=rng.randint(-90, 270)) if kind == "donor" else None
    return dict(
        countries=rng.sample(COUNTRIES, 2), audience=rng.sample(AUDIENCE, 2),
        evidence=rng.choice(("inspiring", "evaluated", "peer_reviewed"))
        if kind == "practice" else None,
        content_date=TODAY - timedelta(days=rng.randint(0, 2000)), deadline=deadline,
        handbook_slug=None, position=None, extra=extra,
    )


def type_extra(rng: random.Random, kind: str, number: int) -> dict:
    """The type's own fields (content/README.md), with plausible values."""
    website = f"https://example.org/{kind}-{number}"
    return {
        "case": {"categories": ["hate_speech"], "setting": "school", "city": "Lublin"},
        "training": {"format": "workshop", "duration": "2 days"},
        "lesson": {"sheet": "pve_approach"},
        "video": {"embed_url": f"https://www.youtube-nocookie.com/embed/v{number}",
                  "duration": "12:30"},
        "trainer": {"website": website, "languages": rng.sample(LANGUAGES, 2),
                    "formats": ["workshop", "course"]},
        "expert": {"website": website, "languages": rng.sample(LANGUAGES, 2),
                   "expertise": rng.sample(words().topics, 2)},
        "donor": {"website": website, "programme_owner": "European Commission",
                  "amounts": "EUR 5,000 to 50,000", "rolling": rng.random() < 0.2},
        "organisation": {"website": website, "kind": "ngo"},
    }.get(kind, {})


def version_row(rng: random.Random, item: Item, lang: str) -> dict:
    """One published language version of an item as a content_items row."""
    body = text(rng, item.topics, lang, WORDS["body"]).split()
    paragraphs = [" ".join(body[start:start + 60]) for start in range(0, len(body), 60)]
    extra = dict(item.shared["extra"])
    if item.type == "handbook":
        extra.update(handbook_title=f"Handbook {item.shared['handbook_slug']} ({lang})",
                     chapter=text(rng, item.topics, lang, 3))
    now = datetime.now(UTC)
    return {
        **item.shared, "extra": extra, "type": item.type, "slug": item.slug, "language": lang,
        "status": "published", "topics": item.topics,
        "title": text(rng, item.topics, lang, WORDS["title"]).capitalize(),
        "summary": text(rng, item.topics, lang, WORDS["summary"]),
        "body": "\n\n".join(paragraphs),
        "body_html": "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs),
        "published_at": now, "created_at": now, "updated_at": now,
    }


def generate_rows(count: int, seed: int = 7) -> Iterator[dict]:
    """The content_items rows of `count` items: one per item and language."""
    rng = random.Random(seed + 1)
    for item in generate_items(count, seed):
        for lang in item.languages:
            yield version_row(rng, item, lang)


def alert_texts(count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(text, language) alerts of 60 to 250 words: the length reporters really write."""
    rng = random.Random(seed)
    alerts = []
    for _ in range(count):
        lang, topics = rng.choice(LANGUAGES), rng.sample(words().topics, 3)
        alerts.append((text(rng, topics, lang, rng.randint(60, 250)), lang))
    return alerts


def misspelled_searches(count: int, seed: int = 13) -> list[tuple[str, str, str]]:
    """(misspelled, correct, language) two-word searches of common corpus words, each word
    with one letter changed (not the first: the corrector keeps it)."""
    from app.alerts.stopwords import STOP_WORDS

    rng = random.Random(seed)
    searches = []
    for _ in range(count):
        lang = rng.choice(LANGUAGES)
        vocab, _weights = words().vocabulary[lang]
        known, common = set(vocab), len(STOP_WORDS[lang]) + 50  # invented words from rank 50
        correct = rng.sample(vocab[common:common + 2000], 2)
        wrong = [misspell(rng, word, known) for word in correct]
        searches.append((" ".join(wrong), " ".join(correct), lang))
    return searches


def misspell(rng: random.Random, word: str, known: set[str]) -> str:
    """The word with one letter (not the first) replaced, giving a word not in the corpus."""
    while True:
        position = rng.randrange(1, len(word))
        changed = word[:position] + rng.choice(string.ascii_lowercase) + word[position + 1:]
        if changed not in known:
            return changed
