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
from functools import lru_cache

from sqlalchemy import select

from app.alerts.models import Alert, AlertMessage
from app.alerts.services import REMOVED
from app.alerts.stopwords import is_stop_word
from app.arena.models import Case, CaseEvent, Comment, DirectMessage, Notification, Recommendation
from app.content.thesaurus import label_words
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
    came in: comments, recommendations, outcomes, case history, notifications, messages to
    reporters, conversations and lessons (in the caller's unit of work)."""
    quotes = quotes_of(description)
    if quotes.empty:
        return
    since = alert.created_at
    _redact_marked_up(Comment, since, quotes)
    _redact_marked_up(DirectMessage, since, quotes)
    _redact_columns(Recommendation, ("action", "reason"), Recommendation.created_at, since, quotes)
    _redact_columns(AlertMessage, ("body",), AlertMessage.created_at, since, quotes)
    _redact_columns(Case, ("outcome",), Case.updated_at, since, quotes)
    _redact_columns(CaseEvent, ("detail",), CaseEvent.created_at, since, quotes)
    _redact_columns(Notification, ("params",), Notification.created_at, since, quotes)
    _redact_lessons(since, quotes)


def _redact_columns(model, columns: tuple[str, ...], created, since: datetime,
                    quotes: Quotes) -> None:
    """Redact text or JSON columns of the model's rows written since the moment."""
    for row in db.session.scalars(select(model).where(created >= since)):
        for column in columns:
            before = getattr(row, column)
            after = redact_value(before, quotes)
            if after != before:
                setattr(row, column, after)


def _redact_marked_up(model, since: datetime, quotes: Quotes) -> None:
    """Redact Markdown bodies and render their HTML again (never patch HTML by hand)."""
    for row in db.session.scalars(select(model).where(model.created_at >= since)):
        body = redact(row.body, quotes)
        if body != row.body:
            row.body = body
            row.body_html = render_markdown(body)


def _redact_lessons(since: datetime, quotes: Quotes) -> None:
    """Lessons drafted from cases (published or not): their text is redacted and, if
    published, the index is told in the same transaction."""
    lessons = db.session.scalars(select(ContentItem).where(
        ContentItem.type == "case", ContentItem.slug.like("arena-case-%"),
        ContentItem.created_at >= since))
    indexed = False
    for item in lessons:
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
