"""Reading the library: which version to show, translations, related items, handbooks, lists
(lists and related items come from the index; the page then loads exactly the rows it shows)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.accounts.models import User
from app.core.pagination import ListPage
from app.extensions import db
from app.library.models import ContentItem
from app.library.publishing import can_review
from app.search import services as search
from app.search.backend import (
    RelatedQuery,
    SearchHit,
    SearchPage,
    SearchQuery,
    best_language,
    group_key,
)

RELATED_LIMIT = 5
LIST_LIMIT = 100  # donors and external experts: short lists shown whole, up to this many
HANDBOOK_RESULTS = 30  # search within a handbook: its matching chapters, on one page


def can_view(item: ContentItem, user: User | None) -> bool:
    """Published items are public; drafts only for their author; items in review also for
    the coordinators who may review them (those of the author's country, and admins)."""
    if item.is_published:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if item.author_id == user.id:
        return True
    return item.status == "in_review" and can_review(item, user)


def versions_of(item_type: str, slug: str) -> list[ContentItem]:
    """Every language version of one item (its translation group)."""
    query = select(ContentItem).where(ContentItem.type == item_type, ContentItem.slug == slug)
    return list(db.session.scalars(query))


def preferred(items: Iterable[ContentItem], language: str) -> ContentItem | None:
    """The version in `language`, else English, else the first other language."""
    by_language = {item.language: item for item in items}
    return by_language[best_language(by_language, language)] if by_language else None


def choose_version(
    item_type: str, slug: str, language: str, user: User | None
) -> tuple[ContentItem | None, list[ContentItem]]:
    """The version to show and the other visible versions ("also available in")."""
    return choose_among(versions_of(item_type, slug), language, user)


def choose_among(
    versions: Iterable[ContentItem], language: str, user: User | None
) -> tuple[ContentItem | None, list[ContentItem]]:
    """Among a group's loaded versions: the one to show and the other visible ones."""
    visible = [i for i in versions if can_view(i, user)]
    chosen = preferred(visible, language)
    others = sorted((i for i in visible if i is not chosen), key=lambda i: i.language)
    return chosen, others


def pick_versions(items: Iterable[ContentItem], language: str) -> list[ContentItem]:
    """One version per translation group, in first-seen order of the groups."""
    groups: dict[tuple[str, str], list[ContentItem]] = {}
    for item in items:
        groups.setdefault((item.type, item.slug), []).append(item)
    return [preferred(group, language) for group in groups.values()]


def published() -> select:
    """The base query of public items."""
    return select(ContentItem).where(ContentItem.status == "published")


def rows_of(hits: list[SearchHit]) -> list[ContentItem]:
    """The library rows of a page of hits (the versions shown), in the hits' order: one query
    for exactly the rows the page shows."""
    ids = [hit.item_id for hit in hits if hit.item_id is not None]
    if not ids:
        return []
    rows = {row.id: row for row in db.session.scalars(
        published().where(ContentItem.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def related_items(item: ContentItem, language: str, limit: int = RELATED_LIMIT) -> list:
    """Items sharing the most topics with `item` (from the index), in the reader's language."""
    return search.related_items(RelatedQuery(
        doc_id=group_key(item.type, item.slug), topics=list(item.topics or []),
        language=language, handbook=item.handbook_slug, limit=limit,
    ))


# Handbooks ------------------------------------------------------------------------------

# What the contents of a handbook show and check (not the chapters' bodies).
CONTENTS_COLUMNS = (ContentItem.id, ContentItem.type, ContentItem.slug, ContentItem.language,
                    ContentItem.title, ContentItem.position, ContentItem.status,
                    ContentItem.author_id, ContentItem.extra, ContentItem.handbook_slug)


def handbook_chapters(handbook: str, language: str, user: User | None) -> list[ContentItem]:
    """The chapters of a handbook in order, each in the best visible language."""
    rows = db.session.scalars(
        select(ContentItem)
        .options(load_only(*CONTENTS_COLUMNS))
        .where(ContentItem.type == "handbook", ContentItem.handbook_slug == handbook)
        .order_by(ContentItem.position, ContentItem.slug)
    )
    return pick_versions((r for r in rows if can_view(r, user)), language)


def load_bodies(chapters: list[ContentItem]) -> None:
    """Load the chosen chapters' bodies with one query (the contents left them unloaded), and
    when they changed (the handbook PDF's cache key)."""
    ids = [chapter.id for chapter in chapters]
    if ids:
        db.session.scalars(
            select(ContentItem)
            .options(load_only(*CONTENTS_COLUMNS, ContentItem.summary, ContentItem.body_html,
                               ContentItem.updated_at))
            .where(ContentItem.id.in_(ids))
            .execution_options(populate_existing=True)
        ).all()


def search_handbook(handbook: str, text: str, language: str, autocorrect: bool = True,
                    limit: int = HANDBOOK_RESULTS) -> SearchPage:
    """Chapters of one handbook that match words: the library's search, narrowed to it."""
    return search.search_library(SearchQuery(
        text=text, language=language, filters={"type": ["handbook"], "handbook": [handbook]},
        per_page=limit, autocorrect=autocorrect, facets=False))


def handbook_title(chapters: list[ContentItem]) -> str:
    """The handbook's title, from its first chapter (falls back to that chapter's title)."""
    if not chapters:
        return ""
    first = chapters[0]
    return (first.extra or {}).get("handbook_title") or first.title


def neighbours(chapters: list[ContentItem], slug: str) -> tuple:
    """The chapters before and after `slug` (None at either end)."""
    slugs = [c.slug for c in chapters]
    if slug not in slugs:
        return None, None
    index = slugs.index(slug)
    before = chapters[index - 1] if index > 0 else None
    after = chapters[index + 1] if index + 1 < len(chapters) else None
    return before, after


# Own pages: trainers, donors, experts --------------------------------------------------------


def list_page(item_type: str, language: str, page: int, per_page: int,
              **filters: str | None) -> ListPage[ContentItem]:
    """A page of published items of one type by title, one version each, from the index."""
    wanted = {"type": [item_type]} | {name: [value] for name, value in filters.items() if value}
    found = search.search_library(SearchQuery(
        language=language, filters=wanted, sort="title", page=page, per_page=per_page,
        facets=False))
    return ListPage(rows_of(found.hits), found.page, max(1, found.pages), found.total)


def list_trainers(language: str, country: str | None, speaks: str | None,
                  page: int, per_page: int) -> ListPage[ContentItem]:
    """Trainers, filtered by country and by a language they train in."""
    return list_page("trainer", language, page, per_page, country=country, speaks=speaks)


def list_donors(language: str, country: str | None, today: date,
                topic: str | None = None) -> tuple[list, list]:
    """Donors split into open calls (soonest deadline first) and closed ones (by title)."""
    wanted = {"type": ["donor"]} | ({"country": [country]} if country else {}) \
        | ({"topic": [topic]} if topic else {})
    open_calls = search.search_library(SearchQuery(
        language=language, filters=wanted, sort="deadline", per_page=LIST_LIMIT,
        facets=False, open_on=today))
    closed = search.search_library(SearchQuery(
        language=language, filters=wanted, sort="title", per_page=LIST_LIMIT, facets=False,
        closed_on=today))
    return rows_of(open_calls.hits), rows_of(closed.hits)


def list_external_experts(language: str, country: str | None, topic: str | None) -> list:
    """Listed external experts (institutions), filtered by country and expertise."""
    return list_page("expert", language, 1, LIST_LIMIT, country=country, topic=topic).items


def list_member_experts(country: str | None, topic: str | None) -> list[User]:
    """Approved ARENA members who opted in to a public profile."""
    query = select(User).where(User.public_profile.is_(True), User.status == "approved")
    if country:
        query = query.where(User.country == country)
    members = db.session.scalars(query.order_by(User.name))
    return [m for m in members if not topic or topic in (m.expertise or [])]
