"""The library items linked to a case (what ALERT recommended to the reporter and what members
recommended) and a member's feedback on them ("helped" / "did not help")."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import select

from app.accounts.models import User
from app.alerts.feedback import (
    FeedbackPanel,
    member_voter,
    record_feedback,
    votes_of,
)
from app.arena.models import Case, Recommendation
from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import group_key


@dataclass(frozen=True)
class LinkedItem:
    """One library item linked to a case, in the language it was linked in."""

    doc_id: str
    type: str
    slug: str
    language: str
    title: str


@dataclass
class CaseFeedback:
    """The case page's feedback section: the linked items and the member's buttons."""

    items: list[LinkedItem]
    panel: FeedbackPanel


def linked_items(case: Case) -> list[LinkedItem]:
    """ALERT's matches for the case's alert, then the resources of its recommendations
    (drafts and released alike), each item once."""
    found = [LinkedItem(m["doc_id"], m["type"], m["slug"], m.get("language", "en"), m["title"])
             for m in case.alert.matches or [] if m.get("doc_id")]
    found += [LinkedItem(group_key(item.type, item.slug), item.type, item.slug, item.language,
                         item.title) for item in _recommended_resources(case)]
    unique: dict[str, LinkedItem] = {}
    for item in found:
        unique.setdefault(item.doc_id, item)
    return list(unique.values())


def _recommended_resources(case: Case) -> list[ContentItem]:
    """The library items the case's recommendations link to, in the order first linked."""
    lists = db.session.scalars(select(Recommendation.resource_ids)
                               .where(Recommendation.case_id == case.id)
                               .order_by(Recommendation.id))
    ids = list(dict.fromkeys(i for resource_ids in lists for i in resource_ids or []))
    if not ids:
        return []
    items = {item.id: item for item in db.session.scalars(
        select(ContentItem).where(ContentItem.id.in_(ids)))}
    return [items[i] for i in ids if i in items]


def member_feedback_panel(case: Case, user: User) -> FeedbackPanel:
    """The member's feedback buttons for the case's items (closed once the alert is
    withdrawn: its votes stay, it takes no new one)."""
    return FeedbackPanel(action=url_for("arena.give_case_feedback", case_id=case.id),
                         votes=votes_of(case.alert_id, member_voter(user.id)),
                         open=case.alert.status != "withdrawn")


def record_member_feedback(case: Case, user: User, doc_id: str, helped: bool) -> bool:
    """A member's vote on one item linked to the case; False when they had already voted."""
    linked = {item.doc_id for item in linked_items(case)}
    return record_feedback(case.alert, doc_id, helped, member_voter(user.id), linked)
