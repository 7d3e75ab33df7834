"""From library rows to SearchDocuments: one per item, its published versions inside."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from itertools import groupby

from sqlalchemy import func, select, tuple_

from app.content.thesaurus import concept_counts
from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import SearchDocument, Version, group_key

# Type-specific text in ContentItem.extra that people search for (see content/README.md).
TEXT_EXTRAS = (
    "handbook_title", "chapter", "transcript", "situation", "response", "recommendations",
    "outcome", "city", "roundtables", "programme_owner", "eligibility", "amounts",
)
_TAG_RE = re.compile(r"<[^>]+>")
_MARKDOWN_RE = re.compile(r"[#*_`>|]+|\[([^\]]*)\]\([^)]*\)")
_SPACE_RE = re.compile(r"\s+")


def plain_text(item: ContentItem) -> str:
    """The body as plain text: from the sanitised HTML, else from the Markdown source."""
    if item.body_html:
        text = html.unescape(_TAG_RE.sub(" ", item.body_html))
    else:
        text = _MARKDOWN_RE.sub(lambda m: m.group(1) or " ", item.body or "")
    return _SPACE_RE.sub(" ", text).strip()


def extra_text(extra: dict | None) -> str:
    """The searchable type-specific fields (strings and lists of strings) as one text."""
    parts: list[str] = []
    for key in TEXT_EXTRAS:
        value = (extra or {}).get(key)
        if isinstance(value, str):
            parts.append(value)
        elif isinstance(value, list):
            parts.extend(str(entry) for entry in value if isinstance(entry, str | int))
    return "\n".join(part for part in parts if part)


def to_version(item: ContentItem) -> Version:
    """The indexed text of one language version."""
    body = "\n".join(part for part in (extra_text(item.extra), plain_text(item)) if part)
    return Version(item_id=item.id, language=item.language, title=item.title,
                   summary=item.summary or "", body=body)


def to_document(versions: list[ContentItem]) -> SearchDocument:
    """The SearchDocument of one item from its published versions (facts unite across them)."""
    first = versions[0]
    extra = first.extra or {}
    built = [to_version(item) for item in sorted(versions, key=lambda v: v.language)]
    return SearchDocument(
        doc_id=group_key(first.type, first.slug), type=first.type, slug=first.slug,
        versions=built,
        topics=_union([*(item.topics for item in versions), _expertise(extra)]),
        countries=_union(item.countries for item in versions),
        audience=_union(item.audience for item in versions),
        evidence=first.evidence, content_date=first.content_date,
        handbook=first.handbook_slug, position=first.position,
        speaks=[str(code) for code in extra.get("languages") or [] if isinstance(code, str)],
        deadline=first.deadline, rolling=bool(extra.get("rolling")),
        concepts=_concepts(built),
        setting=extra.get("setting") if isinstance(extra.get("setting"), str) else None,
    )


def _concepts(versions: Iterable[Version]) -> list[str]:
    """The concepts of an item, each as often as the version naming it most does (a
    translation neither adds nor takes away a mention)."""
    most: dict[str, int] = {}
    for version in versions:
        text = "\n".join((version.title, version.summary, version.body))
        for concept, count in concept_counts(text, [version.language]).items():
            most[concept] = max(most.get(concept, 0), count)
    return [concept for concept, count in sorted(most.items()) for _ in range(count)]


def _expertise(extra: dict) -> list[str]:
    """Experts' fields of expertise (taxonomy keys): searched and filtered like topics."""
    return [key for key in extra.get("expertise") or [] if isinstance(key, str)]


def _union(lists) -> list[str]:
    """The values of several lists, each once, in first-seen order."""
    return list(dict.fromkeys(value for values in lists for value in values or [] if value))


def split_key(doc_id: str) -> tuple[str, str]:
    """(type, slug) of a document id ("case:berlin" -> ("case", "berlin"))."""
    item_type, _, slug = doc_id.partition(":")
    return item_type, slug


def published_count() -> int:
    """How many items (translation groups) a rebuild will index."""
    groups = select(ContentItem.type, ContentItem.slug).where(
        ContentItem.status == "published").distinct().subquery()
    return db.session.scalar(select(func.count()).select_from(groups)) or 0


def published_versions(session, doc_ids: Iterable[str]) -> dict[str, list[ContentItem]]:
    """The published versions of some items, by document id (absent: nothing published)."""
    keys = [split_key(doc_id) for doc_id in doc_ids]
    found: dict[str, list[ContentItem]] = {}
    for start in range(0, len(keys), 200):
        statement = select(ContentItem).where(
            tuple_(ContentItem.type, ContentItem.slug).in_(keys[start:start + 200]),
            ContentItem.status == "published")
        for item in session.scalars(statement):
            found.setdefault(group_key(item.type, item.slug), []).append(item)
    return found


def documents_for_rebuild() -> Iterator[SearchDocument]:
    """Every published item as a SearchDocument, its versions read together in batches."""
    statement = (
        select(ContentItem)
        .where(ContentItem.status == "published")
        .order_by(ContentItem.type, ContentItem.slug, ContentItem.language)
        .execution_options(yield_per=500)
    )
    rows = db.session.scalars(statement)
    for _key, versions in groupby(rows, key=lambda item: (item.type, item.slug)):
        yield to_document(list(versions))
