"""When a reporter withdraws an alert, what members wrote that quotes its text goes too.

A quote is a distinctive word of the description (not a stop word or a word of the domain's
vocabulary, at least four letters, or any token with a digit, "@" or "."), in any inflection
sharing its stem-like prefix, or a run of three or more consecutive words of the description.
Each quote becomes "[…]"; the rest of a comment stays readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache

from sqlalchemy import select

from app.alerts.models import Alert, AlertMessage
from app.alerts.services import REMOVED
from app.alerts.stopwords import is_stop_word
from app.arena.models import Case, CaseEvent, Comment, DirectMessage, Notification, Recommendation
from app.arena.services.lesson_words import case_knowledge
from app.content.thesaurus import label_words
from app.core.deidentify import find_spans
from app.core.jobs import enqueue
from app.core.markup import render_markdown
from app.core.text import STOP_WORDS, fold
from app.extensions import db
from app.library.models import ContentItem
from app.search.hooks import queue_index_change
from app.search.services import PURGE_JOB

TOKEN_RE = re.compile(r"[\w@'’]+(?:[.+\-/][\w@'’]+)*")
RUN = 3  # this many consecutive words of the description are a quote, whatever they are
_CORE_STOP_WORDS = frozenset().union(*STOP_WORDS.values())


@dataclass(frozen=True)
class Quotes:
    """What counts as quoting one description: distinctive prefixes and its word sequence."""

    prefixes: tuple[str, ...]
    sequence: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when nothing can be quoted (an empty description)."""
        return not self.sequence

    def identifying_only(self, words: set[str]) -> Quotes:
        """These quotes narrowed to the distinctive words that identify someone (and the
        runs of words, which quote whatever they say)."""
        kept = {_prefix(word) for word in words} & set(self.prefixes)
        return Quotes(tuple(sorted(kept)), self.sequence)


def quotes_of(description: str) -> Quotes:
    """The distinctive words (as folded prefixes) and the folded word sequence of a text."""
    words = [token.lower() for token in TOKEN_RE.findall(description or "")]
    common = _vocabulary()
    prefixes = {_prefix(fold(word)) for word in words if _distinctive(word, common)}
    return Quotes(tuple(sorted(prefixes)), tuple(fold(word) for word in words))


def _vocabulary() -> frozenset[str]:
    """The domain's vocabulary (thesaurus label words), folded like the tokens."""
    return _folded(label_words())


@lru_cache(maxsize=4)
def _folded(words: frozenset[str]) -> frozenset[str]:
    """The words folded (lower case, no diacritics)."""
    return frozenset(fold(word) for word in words)


def _distinctive(word: str, common: frozenset[str]) -> bool:
    """A word (lower case) that may identify someone: has a digit, "@" or ".", or is a long
    word that is neither a function word nor the domain's vocabulary."""
    if any(ch.isdigit() or ch in "@." for ch in word):
        return len(word) >= 2
    if len(word) < 4 or is_stop_word(word) or word in _CORE_STOP_WORDS:
        return False
    return fold(word) not in common


def _prefix(token: str) -> str:
    """The part an inflected form keeps ("kowalski" -> "kowals": "kowalskiego" matches; a
    short word keeps five letters, so "filmed" does not take "film" with it)."""
    if not token.isalpha():
        return token
    return token[: max(5, len(token) - 2)]


def redact(text: str, quotes: Quotes) -> str:
    """The text with every quote of the description replaced by "[…]"."""
    if not text or quotes.empty:
        return text
    found = list(TOKEN_RE.finditer(text))
    folded = [fold(match.group(0)) for match in found]
    marked = _distinctive_hits(folded, quotes) | _run_hits(folded, quotes)
    if not marked:
        return text
    return _replace(text, found, marked)


def _distinctive_hits(folded: list[str], quotes: Quotes) -> set[int]:
    """Positions of tokens that start like a distinctive word of the description."""
    return {i for i, token in enumerate(folded)
            if any(token.startswith(prefix) for prefix in quotes.prefixes)}


def _run_hits(folded: list[str], quotes: Quotes) -> set[int]:
    """Positions of tokens inside a run of RUN or more consecutive description words."""
    windows = {quotes.sequence[i:i + RUN] for i in range(len(quotes.sequence) - RUN + 1)}
    hits: set[int] = set()
    for i in range(len(folded) - RUN + 1):
        if tuple(folded[i:i + RUN]) in windows:
            hits.update(range(i, i + RUN))
    return hits


def _replace(text: str, found: list[re.Match], marked: set[int]) -> str:
    """Replace the marked tokens; neighbours separated only by spaces become one "[…]"."""
    parts, last, previous = [], 0, None
    for i in sorted(marked):
        match = found[i]
        gap = text[last:match.start()]
        if previous == i - 1 and not gap.strip():
            last = match.end()
            previous = i
            continue
        parts.extend((gap, REMOVED))
        last, previous = match.end(), i
    parts.append(text[last:])
    return "".join(parts)


def redact_value(value, quotes: Quotes):
    """A JSON value with every string in it redacted."""
    if isinstance(value, str):
        return redact(value, quotes)
    if isinstance(value, list):
        return [redact_value(entry, quotes) for entry in value]
    if isinstance(value, dict):
        return {key: redact_value(entry, quotes) for key, entry in value.items()}
    return value


def redact_withdrawn(alert: Alert, description: str) -> None:
    """Redact quotes of a withdrawn description in everything members wrote since the alert
    came in (in the caller's unit of work). In its own case, the cases merged with it and
    their lesson, every distinctive word goes; elsewhere (other cases, conversations,
    notifications, messages to other reporters) only what identifies someone (names, places,
    contacts, words the language does not know) and runs of its words, so an unrelated
    comment that happens to say "pushed" keeps it."""
    quotes = quotes_of(description)
    if quotes.empty:
        return
    scope = Scope(family_of(alert), quotes, quotes.identifying_only(
        identifying_words(description, alert.language, alert.city)))
    since = alert.created_at
    _redact_marked_up(Comment, since, scope, lambda row: row.case_id)
    _redact_marked_up(DirectMessage, since, scope, lambda row: None)
    _redact_columns(Recommendation, ("action", "reason"), Recommendation.created_at, since,
                    scope, lambda row: row.case_id)
    _redact_columns(AlertMessage, ("body",), AlertMessage.created_at, since, scope,
                    lambda row: scope.case_of_alert.get(row.alert_id))
    _redact_columns(Case, ("outcome",), Case.updated_at, since, scope, lambda row: row.id)
    _redact_columns(CaseEvent, ("detail",), CaseEvent.created_at, since, scope,
                    lambda row: row.case_id)
    _redact_columns(Notification, ("params",), Notification.created_at, since, scope,
                    lambda row: (row.params or {}).get("case_id"))
    _redact_lessons(since, scope)


@dataclass
class Scope:
    """Which quotes apply where: the case family's rows lose every distinctive word, other
    rows only identifying ones."""

    family: dict[int, int]  # case id -> its alert id, for the withdrawn alert's case family
    quotes: Quotes
    elsewhere: Quotes

    @cached_property
    def case_of_alert(self) -> dict[int, int]:
        """Alert id -> case id within the family."""
        return {alert_id: case_id for case_id, alert_id in self.family.items()}

    def for_case(self, case_id: int | None) -> Quotes:
        """The quotes for a row of this case (None: a row of no case)."""
        return self.quotes if case_id in self.family else self.elsewhere


def family_of(alert: Alert) -> dict[int, int]:
    """The alert's case and every case merged with it (either way, transitively): case id ->
    alert id."""
    first = db.session.scalar(select(Case).where(Case.alert_id == alert.id))
    if first is None:
        return {}
    found, todo = {first.id: first.alert_id}, [first]
    while todo:
        case = todo.pop()
        linked = list(db.session.scalars(select(Case).where(Case.duplicate_of_id == case.id)))
        if case.duplicate_of is not None:
            linked.append(case.duplicate_of)
        for other in linked:
            if other.id not in found:
                found[other.id] = other.alert_id
                todo.append(other)
    return found


def identifying_words(description: str, language: str, city: str) -> set[str]:
    """Folded words of the description that identify someone: inside the spans the
    de-identifier finds (names, places, contacts), capitalised words neither the language's
    common words nor the vocabulary know (a rare name no list has), and tokens with a digit,
    "@" or "." (handles, addresses, numbers)."""
    known = case_knowledge(language or "en", city or "")
    words = {fold(token) for span in find_spans(description, known)
             for token in TOKEN_RE.findall(span.text)}
    for token in TOKEN_RE.findall(description):
        if any(ch.isdigit() or ch in "@." for ch in token) or _unknown_name(token, known):
            words.add(fold(token))
    return words


def _unknown_name(token: str, known) -> bool:
    """A capitalised word of four letters or more that nothing the language knows explains."""
    return (token[:1].isupper() and len(token) >= 4 and not known.is_kept(token)
            and not known.lexicon.knows(token))


def _redact_columns(model, columns: tuple[str, ...], created, since: datetime, scope: Scope,
                    case_of) -> None:
    """Redact text or JSON columns of the model's rows written since the moment."""
    for row in db.session.scalars(select(model).where(created >= since)):
        quotes = scope.for_case(case_of(row))
        for column in columns:
            before = getattr(row, column)
            after = redact_value(before, quotes)
            if after != before:
                setattr(row, column, after)


def _redact_marked_up(model, since: datetime, scope: Scope, case_of) -> None:
    """Redact Markdown bodies and render their HTML again (never patch HTML by hand)."""
    for row in db.session.scalars(select(model).where(model.created_at >= since)):
        body = redact(row.body, scope.for_case(case_of(row)))
        if body != row.body:
            row.body = body
            row.body_html = render_markdown(body)


def _redact_lessons(since: datetime, scope: Scope) -> None:
    """Lessons drafted from cases (published or not): their text is redacted and, if
    published, the index is told in the same transaction and purged after it."""
    lessons = db.session.scalars(select(ContentItem).where(
        ContentItem.type == "case", ContentItem.slug.like("arena-case-%"),
        ContentItem.created_at >= since))
    indexed = False
    for item in lessons:
        quotes = scope.for_case((item.extra or {}).get("arena_case_id"))
        body, extra = redact(item.body, quotes), redact_value(item.extra or {}, quotes)
        title, summary = redact(item.title, quotes), redact(item.summary, quotes)
        if (body, extra, title, summary) == (item.body, item.extra, item.title, item.summary):
            continue
        item.title, item.summary, item.extra = title, summary, extra
        item.set_body(body)
        db.session.flush()
        queue_index_change(item)
        indexed = indexed or item.is_published
    if indexed:
        enqueue(PURGE_JOB, {})
