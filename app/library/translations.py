"""Translations written on the portal: a new language version of a published item joins its
translation group (same type and slug), and coordinators see what each language lacks."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import and_, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.core.pagination import ListPage
from app.extensions import db
from app.library.directory_access import DIRECTORY_TYPES
from app.library.models import ContentItem
from app.library.publishing import (
    EDITABLE_TYPES,
    ItemDraft,
    WorkflowError,
    apply_draft,
    can_write,
    mark_portal_edit,
)
from app.library.services import preferred

# Types the portal editor covers completely (chapters: title, summary and body; directory
# entries: their fields too); cases keep prose in fields the editor has not, so files carry them.
TRANSLATABLE_TYPES = (*EDITABLE_TYPES, "handbook", *DIRECTORY_TYPES)
# Prose stored in `extra`: written anew by the translator, never copied from the original.
TEXT_EXTRA = ("handbook_title", "chapter", "transcript")


class TranslationExists(WorkflowError):
    """The group already has a version (published or not) in the wanted language."""

    def __init__(self, existing: ContentItem | None):
        super().__init__("translation exists")
        self.existing = existing


def can_translate(original: ContentItem, user: User | None) -> bool:
    """Approved members translate published items of the types the editor covers."""
    return (original.is_published and original.type in TRANSLATABLE_TYPES
            and user is not None and can_write(user))


def wanted_languages(versions: Iterable[ContentItem], languages: Iterable[str]) -> list[str]:
    """The languages in which a group has no version at all (drafts by anyone count)."""
    present = {version.language for version in versions}
    return [language for language in languages if language not in present]


def version_in(original: ContentItem, language: str) -> ContentItem | None:
    """The group's version in `language`, whatever its state and author."""
    return db.session.scalar(select(ContentItem).where(
        ContentItem.type == original.type, ContentItem.slug == original.slug,
        ContentItem.language == language))


def carried_metadata(original: ContentItem) -> dict:
    """What a translation inherits: everything that is not prose."""
    return {
        "topics": list(original.topics or []), "countries": list(original.countries or []),
        "audience": list(original.audience or []), "organisation": original.organisation,
        "evidence": original.evidence, "links": list(original.links or []),
        "handbook_slug": original.handbook_slug, "position": original.position,
        "content_date": original.content_date,
        "extra": {k: v for k, v in (original.extra or {}).items() if k not in TEXT_EXTRA},
    }


def create_translation(original: ContentItem, author: User, draft: ItemDraft) -> ContentItem:
    """A private draft of `original` in `draft.language` by `author` (flushed, not committed)."""
    if not can_translate(original, author):
        raise WorkflowError("not allowed")
    existing = version_in(original, draft.language)
    if existing is not None:
        raise TranslationExists(existing)
    item = ContentItem(type=original.type, slug=original.slug, author_id=author.id,
                       status="draft", **carried_metadata(original))
    apply_draft(item, draft)
    mark_portal_edit(item, author)  # the translator is the last editor (not the original's)
    try:
        with db.session.begin_nested():  # someone may have saved the same language meanwhile
            db.session.add(item)
            db.session.flush()
    except IntegrityError as error:
        raise TranslationExists(version_in(original, draft.language)) from error
    return item


# The coordinators' overview ------------------------------------------------------------------


@dataclass
class LanguageCoverage:
    """Published items in one language by type, and how many groups lack that language."""

    language: str
    by_type: dict[str, int]
    missing: int

    @property
    def total(self) -> int:
        """Published items in this language."""
        return sum(self.by_type.values())


def _published_groups():
    """(type, slug) of every group with at least one published version."""
    return (select(ContentItem.type, ContentItem.slug)
            .where(ContentItem.status == "published").distinct())


def _lacking(language: str):
    """The published groups with no published version in `language`, as a query."""
    other = aliased(ContentItem)
    has_it = exists().where(and_(other.type == ContentItem.type, other.slug == ContentItem.slug,
                                 other.language == language, other.status == "published"))
    return _published_groups().where(~has_it)


def coverage(languages: Iterable[str]) -> list[LanguageCoverage]:
    """Per language: published items by type and missing groups (grouped queries only)."""
    rows = db.session.execute(
        select(ContentItem.language, ContentItem.type, func.count())
        .where(ContentItem.status == "published")
        .group_by(ContentItem.language, ContentItem.type))
    by_language: dict[str, dict[str, int]] = {}
    for language, item_type, count in rows:
        by_language.setdefault(language, {})[item_type] = count
    groups = db.session.scalar(select(func.count()).select_from(_published_groups().subquery()))
    # One row per (type, slug, language): a language's published items are the groups it has.
    return [LanguageCoverage(language, by_language.get(language, {}),
                             groups - sum(by_language.get(language, {}).values()))
            for language in languages]


def missing_in(language: str, reader: str, page: int, per_page: int) -> ListPage[ContentItem]:
    """A page of the groups lacking `language`, each shown by its published version best
    for the `reader` (three statements, whatever the page size)."""
    lacking = _lacking(language).subquery()
    total = db.session.scalar(select(func.count()).select_from(lacking))
    pages = max(1, -(-total // per_page))
    number = min(max(page, 1), pages)
    keys = db.session.execute(
        select(lacking.c.type, lacking.c.slug).order_by(lacking.c.type, lacking.c.slug)
        .limit(per_page).offset((number - 1) * per_page)).all()
    groups: dict[tuple[str, str], list[ContentItem]] = {(t, s): [] for t, s in keys}
    if groups:
        rows = db.session.scalars(select(ContentItem).where(
            ContentItem.status == "published", ContentItem.slug.in_({s for _, s in keys})))
        for row in rows:
            groups.get((row.type, row.slug), []).append(row)
    return ListPage([preferred(group, reader) for group in groups.values()], number, pages,
                    total)
