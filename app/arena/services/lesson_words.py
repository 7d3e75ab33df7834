"""What a lesson's language knows when a case is de-identified: the words the library writes
in that language (its lexicon, cached per process and rebuilt when the library changes), the
vocabulary of the taxonomy and the thesaurus, the stop words, and the case's city."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from sqlalchemy import func, select

from app.alerts.stopwords import STOP_WORDS as ALERT_STOP_WORDS
from app.content.taxonomy import load_taxonomy
from app.content.thesaurus import load_thesaurus
from app.core.deidentify import Knowledge, Lexicon, build_lexicon, knowledge
from app.core.deidentify.knowledge import with_kept
from app.extensions import db
from app.library.models import ContentItem

# Items about people (trainers, experts) are full of real names: the lexicon skips them.
PEOPLE_TYPES = ("trainer", "expert")
_LEXICONS: dict[str, tuple[tuple, Lexicon]] = {}  # language -> (library stamp, lexicon)
_BUILDING = threading.Lock()


def case_knowledge(language: str, city: str = "", lexicon: Lexicon | None = None) -> Knowledge:
    """The knowledge to de-identify a case written in `language` (its city is coarse: kept,
    whatever the name lists say)."""
    known = language_knowledge(language, lexicon or library_lexicon(language))
    return with_kept(known, [city]) if city else known


@lru_cache(maxsize=16)
def language_knowledge(language: str, lexicon: Lexicon) -> Knowledge:
    """The knowledge of a language with a lexicon: the vocabulary and stop words added (read
    once per lexicon; a new lexicon, after the library changed, builds it again)."""
    return knowledge(language, lexicon, keep=vocabulary(language),
                     function_words=ALERT_STOP_WORDS.get(language, ()))


def vocabulary(language: str) -> list[str]:
    """The labels of the taxonomy's topics and of the thesaurus's concepts in a language, as
    written (a capital tells a German noun or a proper name like "Reichsbürger")."""
    labels = [topic.labels[language] for topic in load_taxonomy().topics.values()
              if language in topic.labels]
    for concept in load_thesaurus().concepts.values():
        labels.extend(label.lstrip("=") for label in concept.labels.get(language, ()))
    return labels


def library_lexicon(language: str) -> Lexicon:
    """The lexicon of the published library in a language; rebuilt when an item of that
    language is published, changed or withdrawn (one small query tells)."""
    stamp = _library_stamp(language)
    cached = _LEXICONS.get(language)
    if cached and cached[0] == stamp:
        return cached[1]
    with _BUILDING:
        cached = _LEXICONS.get(language)
        if not cached or cached[0] != stamp:
            cached = _LEXICONS[language] = (stamp, build_lexicon(library_texts(language),
                                                                 language))
    return cached[1]


def _published(language: str):
    """The published, non-people items of a language (a select's WHERE clause)."""
    return (ContentItem.language == language, ContentItem.status == "published",
            ContentItem.type.not_in(PEOPLE_TYPES))


def _library_stamp(language: str) -> tuple:
    """How many items the lexicon reads and when the newest of them changed."""
    row = db.session.execute(
        select(func.count(ContentItem.id), func.max(ContentItem.updated_at))
        .where(*_published(language))
    ).one()
    return (row[0], str(row[1]))


def library_texts(language: str) -> Iterator[str]:
    """The text of each published item of a language: title, summary, type fields, body."""
    rows = db.session.execute(
        select(ContentItem.title, ContentItem.summary, ContentItem.extra, ContentItem.body)
        .where(*_published(language)).execution_options(yield_per=200)
    )
    for title, summary, extra, body in rows:
        yield "\n\n".join((title or "", summary or "", *_strings(extra), body or ""))


def bundled_texts(language: str, folders: Iterable[str]) -> Iterator[str]:
    """The same texts read from content folders (the bundled library before it is loaded):
    what the evaluation of the de-identifier reads when no library is loaded."""
    from app.content.loader import content_files, parse_file

    for folder in folders:
        root = Path(folder)
        for path in content_files(root):
            if not path.name.endswith(f".{language}.md"):
                continue
            parsed = parse_file(path, root, (language,))
            if parsed.type not in PEOPLE_TYPES and parsed.status == "published":
                yield "\n\n".join((parsed.title, parsed.summary, *_strings(parsed.extra),
                                   parsed.body))


@lru_cache(maxsize=8)
def bundled_lexicon(language: str, folders: tuple[str, ...]) -> Lexicon:
    """The lexicon of the content folders' texts in a language (read once per process)."""
    return build_lexicon(bundled_texts(language, folders), language)


def _strings(extra: dict | None) -> list[str]:
    """The texts in an item's type-specific fields (strings and lists of strings)."""
    found: list[str] = []
    for value in (extra or {}).values():
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found.extend(item for item in value if isinstance(item, str))
    return found


def evaluate_labelled(folder: Path, content_dirs: Iterable[str] | None = None) -> list:
    """Score the de-identifier on a labelled set (app.core.deidentify.evaluation), with the
    library's lexicon of each language, or the one of the content folders when given (or when
    the library has nothing published in that language)."""
    from app.core.deidentify.evaluation import load_labelled, score

    scores = []
    for language, texts in load_labelled(folder).items():
        if content_dirs is None and _library_stamp(language)[0]:
            lexicon = library_lexicon(language)
        else:
            lexicon = bundled_lexicon(language, tuple(content_dirs or _content_dirs()))
        scores.append(score(texts, _by_city(lexicon)))
    return scores


def _by_city(lexicon: Lexicon) -> Callable[[str, str], Knowledge]:
    """case_knowledge with one lexicon, built once per city."""
    cities: dict[str, Knowledge] = {}

    def known(language: str, city: str) -> Knowledge:
        if city not in cities:
            cities[city] = case_knowledge(language, city, lexicon)
        return cities[city]

    return known


def _content_dirs() -> list[str]:
    """The configured content folders."""
    from flask import current_app

    return list(current_app.config["CONTENT_DIRS"])
