"""Reading the library: which version to show, translations, related items, handbooks, lists."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import or_, select

from app.accounts.models import User
from app.extensions import db
from app.library.models import ContentItem
from app.library.publishing import can_review

FALLBACK_LANGUAGE = "en"
RELATED_LIMIT = 5


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
    order = {language: 0, FALLBACK_LANGUAGE: 1}
    ranked = sorted(items, key=lambda i: (order.get(i.language, 2), i.language))
    return ranked[0] if ranked else None


def choose_version(
    item_type: str, slug: str, language: str, user: User | None
) -> tuple[ContentItem | None, list[ContentItem]]:
    """The version to show and the other visible versions ("also available in")."""
    visible = [i for i in versions_of(item_type, slug) if can_view(i, user)]
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


def related_items(item: ContentItem, language: str, limit: int = RELATED_LIMIT) -> list:
    """Items sharing the most topics with `item`, same language preferred, one per group."""
    topics = set(item.topics or [])
    if not topics:
        return []
    candidates = db.session.scalars(
        published().where(
            or_(ContentItem.type != item.type, ContentItem.slug != item.slug),
            or_(ContentItem.handbook_slug.is_(None), ContentItem.position == 1),
        )
    )
    scored = [(len(topics & set(c.topics or [])), c) for c in candidates
              if not (item.handbook_slug and c.handbook_slug == item.handbook_slug)]
    scored = [(s, c) for s, c in scored if s]
    scored.sort(key=lambda sc: (-sc[0], sc[1].language != language, sc[1].title))
    return pick_versions((c for _, c in scored), language)[:limit]


# Handbooks ------------------------------------------------------------------------------


def handbook_chapters(handbook: str, language: str, user: User | None) -> list[ContentItem]:
    """The chapters of a handbook in order, each in the best visible language."""
    rows = db.session.scalars(
        select(ContentItem)
        .where(ContentItem.type == "handbook", ContentItem.handbook_slug == handbook)
        .order_by(ContentItem.position, ContentItem.slug)
    )
    return pick_versions((r for r in rows if can_view(r, user)), language)


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


def _has(values: list[str] | None, wanted: str | None) -> bool:
    """True when no filter is set or the list contains the wanted value."""
    return not wanted or wanted in (values or [])


def list_items(item_type: str, language: str, country: str | None = None) -> list[ContentItem]:
    """Published items of one type, one version per group, by title, filtered by country."""
    rows = db.session.scalars(published().where(ContentItem.type == item_type))
    items = [i for i in pick_versions(rows, language) if _has(i.countries, country)]
    return sorted(items, key=lambda i: i.title.casefold())


def list_trainers(language: str, country: str | None, speaks: str | None) -> list[ContentItem]:
    """Trainers, filtered by country and by a language they train in."""
    items = list_items("trainer", language, country)
    return [i for i in items if _has((i.extra or {}).get("languages"), speaks)]


def is_open_call(item: ContentItem, today: date) -> bool:
    """A funding call is open when it is rolling or its deadline is today or later."""
    if (item.extra or {}).get("rolling"):
        return True
    return item.deadline is not None and item.deadline >= today


def list_donors(language: str, country: str | None, today: date) -> tuple[list, list]:
    """Donors split into open calls (soonest deadline first) and closed ones."""
    items = list_items("donor", language, country)
    open_calls = [i for i in items if is_open_call(i, today)]
    closed = [i for i in items if not is_open_call(i, today)]
    open_calls.sort(key=lambda i: (i.deadline is None, i.deadline or today, i.title.casefold()))
    return open_calls, closed


def list_external_experts(language: str, country: str | None, topic: str | None) -> list:
    """Listed external experts (institutions), filtered by country and expertise."""
    items = list_items("expert", language, country)
    return [i for i in items if _has((i.extra or {}).get("expertise") or i.topics, topic)]


def list_member_experts(country: str | None, topic: str | None) -> list[User]:
    """Approved ARENA members who opted in to a public profile."""
    query = select(User).where(User.public_profile.is_(True), User.status == "approved")
    if country:
        query = query.where(User.country == country)
    members = db.session.scalars(query.order_by(User.name))
    return [m for m in members if _has(m.expertise, topic)]
