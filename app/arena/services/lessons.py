"""From case to lesson: a de-identified "case" resource drafted from a closed case."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.arena.models import Case
from app.arena.services import cases
from app.arena.services.discussion import released_recommendations
from app.content.thesaurus import label_words
from app.core import personal_data
from app.extensions import db
from app.library.models import ContentItem

REMOVED = "[removed]"
URL_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>()]+", re.IGNORECASE)
HANDLE_RE = re.compile(r"(?<![\w])@\w[\w.\-]*")
# Street-level places: "Lindenstraße 12", "ul. Polna 3", "strada Mihai 5", "Fő utca", "Elm Street".
STREET_RE = re.compile(
    r"\b(?:ul\.|ulica|al\.|aleja|plac|str\.|strada|bd\.|bulevardul|calea|piața)\s+[^\s,.;]+"
    r"(?:\s+\d+\w?)?"
    r"|\b[^\s,.;]+(?:straße|strasse|weg|platz|gasse|allee)(?:\s+\d+\w?)?"
    r"|\b[^\s,.;]+\s+(?:Street|Road|Avenue|Lane|Square|utca|út|tér|körút)(?:\s+\d+\w?)?",
    re.IGNORECASE,
)
CAPITALISED_RE = re.compile(r"\b[A-ZÀ-ÖØ-ÞĀ-Ž][\wÀ-ž'’-]*")
SENTENCE_END = (".", "!", "?", ":", "\n")
# Words that may stay capitalised: countries and languages of the portal.
ALWAYS_KEEP = {
    "i", "germany", "poland", "romania", "hungary", "europe", "eu", "german", "polish",
    "romanian", "hungarian", "english", "deutschland", "polska", "românia", "magyarország",
}


@lru_cache(maxsize=4)
def _taxonomy_words(path: str) -> frozenset[str]:
    """Every word in the taxonomy's labels (lower-case)."""
    file = Path(path)
    if not file.is_file():
        return frozenset()
    words: set[str] = set()
    _collect(yaml.safe_load(file.read_text(encoding="utf-8")), words)
    return frozenset(words)


def _collect(node, words: set[str]) -> None:
    """Walk the YAML tree and gather its words."""
    if isinstance(node, dict):
        for key, value in node.items():
            _collect(key, words)
            _collect(value, words)
    elif isinstance(node, list):
        for value in node:
            _collect(value, words)
    elif isinstance(node, str):
        words.update(w.lower() for w in re.findall(r"[\w'’-]+", node))


def keep_words(extra: tuple[str, ...] = ()) -> frozenset[str]:
    """Capitalised words that are not names: the taxonomy's labels, the thesaurus's labels,
    countries, the alert's city."""
    taxonomy = _taxonomy_words(current_app.config["TAXONOMY_FILE"])
    return taxonomy | label_words() | ALWAYS_KEEP | {w.lower() for w in extra if w}


def deidentify(text: str, keep: frozenset[str]) -> str:
    """Replace e-mails, phones, URLs, @handles, street-level places and names by [removed]."""
    text = personal_data.remove_emails(text, REMOVED)
    text = URL_RE.sub(_url_replacement, text)
    text = HANDLE_RE.sub(REMOVED, text)
    text = personal_data.remove_phones(text, REMOVED, strict=False)  # dates may identify
    text = STREET_RE.sub(REMOVED, text)
    text = CAPITALISED_RE.sub(lambda m: _name_replacement(m, text, keep), text)
    return re.sub(r"\[removed\](?:[ \t]+\[removed\])+", REMOVED, text)


def _url_replacement(match: re.Match) -> str:
    """A bare domain is no person; any URL with a path may point at one."""
    url = match.group(0).rstrip(".,;")
    trailing = match.group(0)[len(url):]
    path = re.sub(r"^(?:https?://)?(?:www\.)?[^/]+", "", url, flags=re.IGNORECASE)
    return (url if path in ("", "/") else REMOVED) + trailing


def _name_replacement(match: re.Match, text: str, keep: frozenset[str]) -> str:
    """Keep sentence-initial words, vocabulary words and [removed]; replace other capitalised
    words."""
    word = match.group(0)
    before = text[: match.start()].rstrip(" \t\"'„“(")
    if not before or before.endswith(SENTENCE_END) or before.endswith(REMOVED[:-1]):
        return word
    if word.lower() in keep or word.lower().strip("'’-") in keep or word == "removed":
        return word
    return REMOVED


def lesson_fields(case: Case) -> dict[str, object]:
    """Situation, response, recommendations and outcome of the case, de-identified."""
    keep = keep_words((case.city,))
    recs = released_recommendations(case.alert)
    clean = lambda text: deidentify(text or "", keep).strip()  # noqa: E731
    return {
        "situation": clean(case.alert.description),
        "response": "\n\n".join(clean(r.reason) for r in recs if r.reason),
        "recommendations": [clean(r.action) for r in recs],
        "outcome": clean(case.outcome),
    }


def _lesson_body(fields: dict) -> str:
    """The Markdown body shown in the library (sections in the coordinator's language)."""
    recs = "\n".join(f"- {line}" for line in fields["recommendations"])
    parts = [
        (_("Situation"), fields["situation"]), (_("Response"), fields["response"]),
        (_("Recommendations"), recs), (_("Outcome"), fields["outcome"]),
    ]
    return "\n\n".join(f"## {title}\n\n{text}" for title, text in parts if text)


def create_lesson_draft(case: Case, coordinator: User) -> ContentItem:
    """Draft a de-identified "case" resource (in review) from a resolved, closed case."""
    if not case.is_closed or case.closed_reason != "resolved":
        raise cases.CaseError("not_resolved")
    if case.lesson_id is not None:
        raise cases.CaseError("lesson_exists")
    fields = lesson_fields(case)
    language = case.alert.language or current_app.config["DEFAULT_LANGUAGE"]
    with force_locale(language):  # headings in the lesson's language, not the page's
        body = _lesson_body(fields)
        title = _("Case from ARENA #%(id)s", id=case.id)
    item = ContentItem(
        type="case", slug=f"arena-case-{case.id}", language=language, title=title,
        summary=fields["situation"][:280],
        topics=list(case.alert.topics or []), countries=[case.country],
        status="in_review", author_id=coordinator.id,
        extra={
            **fields, "categories": list(case.categories), "setting": case.alert.setting,
            "city": case.city, "arena_case_id": case.id,
        },
    )
    item.set_body(body)
    db.session.add(item)
    db.session.flush()
    case.lesson_id = item.id
    cases.record(case, coordinator, "lesson", content_id=item.id)
    return item
