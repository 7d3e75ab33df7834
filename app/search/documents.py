"""From library items to SearchDocuments: plain text, transcripts and case details included."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from sqlalchemy import func, select

from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import SearchDocument

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


def to_document(item: ContentItem) -> SearchDocument:
    """The SearchDocument of one item (the caller checks it is published)."""
    body = "\n".join(part for part in (extra_text(item.extra), plain_text(item)) if part)
    return SearchDocument(
        doc_id=item.doc_id, type=item.type, slug=item.slug, language=item.language,
        title=item.title, summary=item.summary or "", body=body,
        topics=list(item.topics or []), countries=list(item.countries or []),
        audience=list(item.audience or []), evidence=item.evidence,
        content_date=item.content_date,
    )


def item_id(doc_id: str) -> int | None:
    """The ContentItem id in a doc_id ("content:42" -> 42)."""
    prefix, _, number = doc_id.partition(":")
    return int(number) if prefix == "content" and number.isdigit() else None


def published_count() -> int:
    """How many items a rebuild will index."""
    return db.session.scalar(
        select(func.count(ContentItem.id)).where(ContentItem.status == "published")
    ) or 0


def documents_for_rebuild() -> Iterator[SearchDocument]:
    """Every published item as a SearchDocument, read in batches."""
    statement = (
        select(ContentItem)
        .where(ContentItem.status == "published")
        .order_by(ContentItem.id)
        .execution_options(yield_per=200)
    )
    for item in db.session.scalars(statement):
        yield to_document(item)
