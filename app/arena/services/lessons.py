"""From case to lesson: a de-identified "case" resource drafted from a closed case.

The draft keeps, in `extra["removed_spans"]`, where each removal stands and what it hid, so the
reviewing coordinator sees them highlighted and can restore a wrong one; publishing drops them
(the originals are personal data)."""

from __future__ import annotations

import re
from collections import Counter

from flask import current_app
from flask_babel import force_locale

from app.accounts.models import User
from app.alerts.choices import CATEGORY_LABELS, SETTING_LABELS
from app.arena.models import Case
from app.arena.services import cases
from app.arena.services.discussion import released_recommendations
from app.arena.services.lesson_words import case_knowledge
from app.content.taxonomy import label, load_taxonomy, ranked_topics
from app.content.thesaurus import find_mentions, load_thesaurus
from app.core.deidentify import REMOVED, Knowledge, Removal, deidentify, restore
from app.core.text import words
from app.extensions import db
from app.library.models import ContentItem

SUMMARY_LENGTH = 280
SPANS_KEY = "removed_spans"
SECTIONS = ("situation", "response", "recommendations", "outcome")
SENTENCE_END_RE = re.compile(r"[.!?…](?:[\"'”“»)]*)(?=\s|$)")
# What a title names first: a movement or symbol says more about a case than its setting.
TITLE_GROUPS = {"movements": 4, "symbols": 3, "acts": 2, "groups": 1}


def lesson_fields(case: Case, known: Knowledge | None = None) -> tuple[dict, list[dict]]:
    """Situation, response, recommendations and outcome of the case, de-identified, and the
    removals: [{"field", "start", "end", "kind", "original"}] ("recommendations.2" for one
    recommendation)."""
    known = known or case_knowledge(_language(case), case.city)
    recs = released_recommendations(case.alert)
    texts = {
        "situation": case.alert.description,
        "response": "\n\n".join(r.reason.strip() for r in recs if r.reason and r.reason.strip()),
        "outcome": case.outcome,
        **{f"recommendations.{n}": r.action for n, r in enumerate(recs)},
    }
    fields: dict = {"recommendations": []}
    spans: list[dict] = []
    for key, text in texts.items():
        result = deidentify((text or "").strip(), known)
        if key.startswith("recommendations."):
            fields["recommendations"].append(result.text)
        else:
            fields[key] = result.text
        spans.extend({"field": key, **removal.as_dict()} for removal in result.removals)
    return fields, spans


def _language(case: Case) -> str:
    """The lesson's language: the alert's, else the portal's default."""
    return case.alert.language or current_app.config["DEFAULT_LANGUAGE"]


def summary_of(situation: str, limit: int = SUMMARY_LENGTH) -> str:
    """The situation cut after its last whole sentence that fits in `limit` characters (a
    first sentence longer than that is cut after a word, with an ellipsis)."""
    text = " ".join(situation.split())
    if len(text) <= limit:
        return text
    ends = [m.end() for m in SENTENCE_END_RE.finditer(text) if m.end() <= limit]
    if ends:
        return text[:ends[-1]]
    return text[:limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def text_topics(text: str, language: str, categories: list[str]) -> list[str]:
    """Topics the case's own words signal (thesaurus concepts in the lesson's language); when
    the text names none, the own topic of each alert category."""
    found = ranked_topics(find_mentions(text, (language,)), len(words(text)))
    if found:
        return found
    own = load_taxonomy().categories
    return list(dict.fromkeys(own[c][0] for c in categories if own.get(c)))


def lesson_title(text: str, case: Case, topics: list[str], language: str) -> str:
    """A title from the case, in its language: what the text is most about (the concept it
    names most often, movements and symbols first; else its first topic or category), where it
    happened, the city."""
    mentions = Counter(m.concept for m in find_mentions(text, (language,)))
    concepts = load_thesaurus().concepts
    with force_locale(language):
        if mentions:
            concept = concepts[max(mentions, key=lambda c: (
                TITLE_GROUPS.get(concepts[c].group, 0), mentions[c]))]
            subject = concept.label(language)
        elif topics:
            subject = label(topics[0], language)
        else:
            subject = str(CATEGORY_LABELS.get((case.categories or ["other"])[0], ""))
        setting = str(SETTING_LABELS.get(case.alert.setting or "", ""))
    subject = subject[:1].upper() + subject[1:]
    place = ", ".join(part for part in (setting, case.city) if part)
    return f"{subject} – {place}" if place else subject


def create_lesson_draft(case: Case, coordinator: User) -> ContentItem:
    """Draft a de-identified "case" resource (in review) from a resolved, closed case."""
    if not case.is_closed or case.closed_reason != "resolved":
        raise cases.CaseError("not_resolved")
    if case.lesson_id is not None:
        raise cases.CaseError("lesson_exists")
    language = _language(case)
    fields, spans = lesson_fields(case, case_knowledge(language, case.city))
    text = "\n\n".join([fields["situation"], fields["response"], *fields["recommendations"],
                        fields["outcome"]])
    topics = text_topics(text, language, list(case.categories or []))
    item = ContentItem(
        type="case", slug=f"arena-case-{case.id}", language=language,
        title=lesson_title(text, case, topics, language), summary=summary_of(fields["situation"]),
        topics=topics, countries=[case.country], status="in_review", author_id=coordinator.id,
        extra={
            **fields, "categories": list(case.categories), "setting": case.alert.setting,
            "city": case.city, "arena_case_id": case.id, SPANS_KEY: spans,
        },
    )
    item.set_body("")  # the sections live in `extra`; the case template shows each once
    db.session.add(item)
    db.session.flush()
    case.lesson_id = item.id
    cases.record(case, coordinator, "lesson", content_id=item.id)
    return item


# Review: removals highlighted, one restored ---------------------------------------------------


def lesson_case(item: ContentItem) -> Case | None:
    """The case a lesson draft was made from (None for any other item)."""
    if item.type != "case" or not (item.extra or {}).get("arena_case_id"):
        return None
    return db.session.scalar(db.select(Case).where(Case.lesson_id == item.id))


def removals(item: ContentItem) -> list[dict]:
    """The draft's stored removals (empty once published)."""
    return list((item.extra or {}).get(SPANS_KEY) or [])


def field_text(extra: dict, field: str) -> str:
    """The text of a section ("situation") or of one recommendation ("recommendations.2")."""
    if field.startswith("recommendations."):
        recs = extra.get("recommendations") or []
        number = int(field.split(".", 1)[1])
        return recs[number] if number < len(recs) else ""
    return str(extra.get(field) or "")


def highlighted(item: ContentItem) -> list[dict]:
    """Each section with its text cut into plain parts and removals, for the review page:
    [{"field", "parts": [{"text"} | {"index", "kind", "original"}]}]."""
    extra = item.extra or {}
    by_field: dict[str, list[tuple[int, dict]]] = {}
    for index, span in enumerate(removals(item)):
        by_field.setdefault(span["field"], []).append((index, span))
    fields = [f for f in ("situation", "response") if extra.get(f)]
    fields += [f"recommendations.{n}" for n in range(len(extra.get("recommendations") or []))]
    fields += ["outcome"] if extra.get("outcome") else []
    return [{"field": f, "parts": _parts(field_text(extra, f), by_field.get(f, []))}
            for f in fields if by_field.get(f)]


def _parts(text: str, spans: list[tuple[int, dict]]) -> list[dict]:
    """A text cut at its removals (those no longer at their place are left out)."""
    parts, position = [], 0
    for index, span in sorted(spans, key=lambda pair: pair[1]["start"]):
        if text[span["start"]:span["end"]] != REMOVED or span["start"] < position:
            continue
        parts.append({"text": text[position:span["start"]]})
        parts.append({"index": index, "kind": span["kind"], "original": span["original"]})
        position = span["end"]
    parts.append({"text": text[position:]})
    return parts


def restore_removal(item: ContentItem, index: int) -> str:
    """Put the original of removal `index` back into the draft; returns it. Raises
    LookupError when there is no such removal or the text no longer has it."""
    spans = removals(item)
    if item.is_published or not 0 <= index < len(spans):
        raise LookupError("no such removal")
    field = spans[index]["field"]
    same = [(n, s) for n, s in enumerate(spans) if s["field"] == field]
    chosen = next(position for position, (n, _s) in enumerate(same) if n == index)
    extra = dict(item.extra)
    try:
        result = restore(field_text(extra, field), [_removal(s) for _n, s in same], chosen)
    except ValueError as error:
        raise LookupError(str(error)) from error
    _set_field(extra, field, result.text)
    others = [s for s in spans if s["field"] != field]
    extra[SPANS_KEY] = others + [{"field": field, **r.as_dict()} for r in result.removals]
    if field == "situation" and item.summary == summary_of(item.extra.get("situation", "")):
        item.summary = summary_of(result.text)
    item.extra = extra  # a new dict: the JSON column sees the change
    return spans[index]["original"]


def _removal(span: dict) -> Removal:
    return Removal(span["start"], span["end"], span["kind"], span["original"])


def _set_field(extra: dict, field: str, text: str) -> None:
    """Write a section or one recommendation back."""
    if field.startswith("recommendations."):
        recs = list(extra.get("recommendations") or [])
        recs[int(field.split(".", 1)[1])] = text
        extra["recommendations"] = recs
    else:
        extra[field] = text


def forget_removed_originals(item: ContentItem) -> bool:
    """Drop the removals of a published lesson (their originals are personal data); True
    when there were any."""
    if not item.is_published or SPANS_KEY not in (item.extra or {}):
        return False
    item.extra = {key: value for key, value in item.extra.items() if key != SPANS_KEY}
    return True
