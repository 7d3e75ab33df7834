"""Library resources for recommendations: found by search, or named by address or slug."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from sqlalchemy import select

from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import SearchQuery
from app.search.services import search_library

Reference = tuple[str | None, str]  # (type or None for "any type", slug)


def _published(*conditions) -> list[ContentItem]:
    """Published items matching the conditions."""
    query = select(ContentItem).where(ContentItem.status == "published", *conditions)
    return list(db.session.scalars(query.order_by(ContentItem.id)))


def one_per_group(items: list[ContentItem], language: str) -> list[ContentItem]:
    """One item per translation group (type + slug), the page language preferred, order kept."""
    chosen: dict[tuple[str, str], ContentItem] = {}
    for item in items:
        key = (item.type, item.slug)
        if key not in chosen or (item.language == language != chosen[key].language):
            chosen[key] = item
    slugs = [slug for _, slug in chosen]
    local = {(i.type, i.slug): i for i in _published(
        ContentItem.slug.in_(slugs), ContentItem.language == language)} if slugs else {}
    return [local.get(key, item) for key, item in chosen.items()]


def find_resources(text: str, language: str, limit: int = 20) -> list[ContentItem]:
    """Published items the search service finds for the words (inflections and typos too),
    each once, in the page language where it exists."""
    page = search_library(SearchQuery(text=text, language=language, per_page=limit,
                                      facets=False))
    ids = [hit.item_id for hit in page.hits if hit.item_id is not None]
    rows = {item.id: item for item in _published(ContentItem.id.in_(ids))} if ids else {}
    return [rows[i] for i in ids if i in rows]


def parse_reference(text: str) -> Reference | None:
    """A library page address (…/library/<type>/<slug>, …/handbooks/<h>/<c>) or a bare slug."""
    path = unquote(urlsplit(text).path).strip("/")
    parts = path.split("/")
    if "library" in parts:
        rest = parts[len(parts) - parts[::-1].index("library"):]
        if len(rest) == 3 and rest[0] == "handbooks":
            return "handbook", f"{rest[1]}/{rest[2]}"
        return (rest[0], rest[1]) if len(rest) == 2 and rest[0] != "handbooks" else None
    return (None, path) if path and "://" not in text else None


def split_references(text: str) -> list[str]:
    """The addresses or slugs typed into the box (commas, spaces or new lines between)."""
    return [part for part in re.split(r"[\s,]+", text or "") if part]


def resolve_reference(text: str, language: str) -> ContentItem | None:
    """The published item an address or slug names, in the page language when there is one."""
    reference = parse_reference(text)
    if reference is None:
        return None
    kind, slug = reference
    conditions = [ContentItem.slug == slug] + ([ContentItem.type == kind] if kind else [])
    items = one_per_group(_published(*conditions), language)
    return items[0] if items else None


def example_address(language: str) -> tuple[str, str] | None:
    """(type, slug) of a published item in the language, for a real example in the hint."""
    item = db.session.scalars(select(ContentItem).where(
        ContentItem.status == "published", ContentItem.language == language,
        ContentItem.type != "handbook").order_by(ContentItem.id).limit(1)).first()
    return (item.type, item.slug) if item else None
