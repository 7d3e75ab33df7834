"""Feedback on recommendations: "helped" or "did not help" from the reporter and ARENA's
members, the bounded prior the matcher draws from it, and the per-item summary for
coordinators.

A vote names no person: the reporter votes as "reporter", a member as "member:<id>". It holds
the alert's topics (not its text), so it outlives a withdrawal.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, cast, func, select
from sqlalchemy.exc import IntegrityError

from app.alerts.models import Alert, RecommendationFeedback
from app.core.pagination import ListPage
from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import best_language, group_key

REPORTER = "reporter"
# Votes given on alerts about other topics count this much (when too few share a topic).
OTHER_TOPICS_WEIGHT = 0.5
SUMMARY_ORDERS = ("recent", "votes")


class FeedbackRefused(Exception):
    """A vote the alert cannot take: "withdrawn" or "not_linked" (not one of its items)."""


@dataclass(frozen=True)
class Prior:
    """What the votes on one item say for an alert's topics: the counts used, whether they
    came from alerts sharing a topic, and the prior itself (-1..1; 0 below the minimum)."""

    helped: int
    unhelpful: int
    same_topics: bool
    value: float


@dataclass
class FeedbackPanel:
    """What the feedback buttons of a list of items need: where they post, the voter's
    earlier answers (doc_id -> helped) and whether new answers are taken."""

    action: str
    votes: dict[str, bool] = field(default_factory=dict)
    open: bool = True


@dataclass
class ItemFeedback:
    """The feedback on one item, for coordinators: counts, topics, last vote, a title."""

    doc_id: str
    helped: int
    unhelpful: int
    last_at: datetime
    topics: list[str] = field(default_factory=list)
    title: str = ""
    language: str = ""

    @property
    def type(self) -> str:
        """The item's type (from its translation group "type:slug")."""
        return self.doc_id.partition(":")[0]

    @property
    def slug(self) -> str:
        """The item's slug (from its translation group "type:slug")."""
        return self.doc_id.partition(":")[2]


def answer_message(recorded: bool, helped: bool) -> str:
    """What the voter is told after pressing a button."""
    if not recorded:
        return _("You had already answered for this item; your first answer counts.")
    if helped:
        return _("Thank you: you said this helped.")
    return _("Thank you: you said this did not help.")


def member_voter(user_id: int) -> str:
    """The voter key of an ARENA member."""
    return f"member:{user_id}"


def recommended_doc_ids(alert: Alert) -> list[str]:
    """The items ALERT recommended for this alert (its stored matches), in their order."""
    return [m["doc_id"] for m in alert.matches or [] if m.get("doc_id")]


def record_feedback(alert: Alert, doc_id: str, helped: bool, voter: str,
                    linked: Collection[str]) -> bool:
    """Store one vote on one of the alert's `linked` items; False (nothing changed) when this
    voter already voted on it: the first answer counts. Flushes; the caller commits."""
    if alert.status == "withdrawn":
        raise FeedbackRefused("withdrawn")
    if doc_id not in linked:
        raise FeedbackRefused("not_linked")
    if _vote_of(alert.id, doc_id, voter) is not None:
        return False
    vote = RecommendationFeedback(alert_id=alert.id, doc_id=doc_id, voter=voter,
                                  helped=helped, topics=list(alert.topics or []))
    try:
        with db.session.begin_nested():  # the same vote from a second tab at the same moment
            db.session.add(vote)
    except IntegrityError:
        return False
    return True


def _vote_of(alert_id: int, doc_id: str, voter: str) -> bool | None:
    """The voter's answer on one item of one alert, or None."""
    return db.session.scalar(select(RecommendationFeedback.helped).where(
        RecommendationFeedback.alert_id == alert_id, RecommendationFeedback.doc_id == doc_id,
        RecommendationFeedback.voter == voter))


def votes_of(alert_id: int, voter: str) -> dict[str, bool]:
    """The voter's answers on the items of one alert: doc_id -> helped."""
    rows = db.session.execute(select(RecommendationFeedback.doc_id, RecommendationFeedback.helped)
                              .where(RecommendationFeedback.alert_id == alert_id,
                                     RecommendationFeedback.voter == voter))
    return {doc_id: helped for doc_id, helped in rows}


def feedback_priors(doc_ids: Collection[str], topics: Iterable[str]) -> dict[str, Prior]:
    """The prior of every item that has enough votes, in one grouped query: votes given on
    alerts sharing one of `topics` when there are enough of them, else all its votes at
    OTHER_TOPICS_WEIGHT."""
    if not doc_ids:
        return {}
    wanted = set(topics)
    counts: dict[str, dict[tuple[bool, bool], int]] = {}
    for doc_id, helped, topic_text, number in _grouped_votes(doc_ids):
        shared = bool(wanted & set(json.loads(topic_text or "[]")))
        per_item = counts.setdefault(doc_id, {})
        per_item[shared, helped] = per_item.get((shared, helped), 0) + number
    found = {doc_id: _prior(per_item) for doc_id, per_item in counts.items()}
    return {doc_id: prior for doc_id, prior in found.items() if prior.value}


def _grouped_votes(doc_ids: Collection[str]):
    """(doc_id, helped, topics as JSON text, count) for the items' votes."""
    topic_text = cast(RecommendationFeedback.topics, String)  # JSON has no equality to group
    return db.session.execute(
        select(RecommendationFeedback.doc_id, RecommendationFeedback.helped, topic_text,
               func.count())
        .where(RecommendationFeedback.doc_id.in_(list(doc_ids)))
        .group_by(RecommendationFeedback.doc_id, RecommendationFeedback.helped, topic_text))


def _prior(counts: dict[tuple[bool, bool], int]) -> Prior:
    """The prior from one item's counts keyed (shares a topic, helped)."""
    minimum = current_app.config["FEEDBACK_MIN_VOTES"]
    helped, unhelpful = counts.get((True, True), 0), counts.get((True, False), 0)
    same_topics, weight = True, 1.0
    if helped + unhelpful < minimum:
        helped += counts.get((False, True), 0)
        unhelpful += counts.get((False, False), 0)
        same_topics, weight = False, OTHER_TOPICS_WEIGHT
    if helped + unhelpful < minimum:
        return Prior(helped, unhelpful, same_topics, 0.0)
    return Prior(helped, unhelpful, same_topics, weight * smoothed(helped, unhelpful, minimum))


def smoothed(helped: int, unhelpful: int, pseudo_votes: int) -> float:
    """(helped - unhelpful) / (all + pseudo_votes): -1..1, near 0 while votes are few."""
    return (helped - unhelpful) / (helped + unhelpful + max(pseudo_votes, 1))


def feedback_summary(page: int, per_page: int, order: str, language: str
                     ) -> ListPage[ItemFeedback]:
    """Items with feedback, newest vote ("recent") or most votes ("votes") first, with their
    counts, topics and titles: four queries whatever the page size."""
    total = db.session.scalar(
        select(func.count(func.distinct(RecommendationFeedback.doc_id)))) or 0
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    rows = db.session.execute(
        _summary_select(order).limit(per_page).offset((page - 1) * per_page)).all()
    return ListPage(item_summaries(rows, language), page, pages, total)


def _summary_select(order: str):
    """doc_id, helped and unhelpful counts and the last vote per item, in the chosen order."""
    helped = func.count().filter(RecommendationFeedback.helped.is_(True))
    unhelpful = func.count().filter(RecommendationFeedback.helped.is_(False))
    last_at = func.max(RecommendationFeedback.created_at)
    first = func.count().desc() if order == "votes" else last_at.desc()
    return (select(RecommendationFeedback.doc_id, helped.label("helped"),
                   unhelpful.label("unhelpful"), last_at.label("last_at"))
            .group_by(RecommendationFeedback.doc_id)
            .order_by(first, RecommendationFeedback.doc_id))


def item_summaries(rows, language: str) -> list[ItemFeedback]:
    """A page of summary rows with each item's topics (all its votes') and its title in the
    page language; two queries whatever the page size."""
    items = [ItemFeedback(doc_id=row.doc_id, helped=row.helped, unhelpful=row.unhelpful,
                          last_at=row.last_at) for row in rows]
    topics = _topics_of([item.doc_id for item in items])
    titles = item_titles([item.doc_id for item in items], language)
    for item in items:
        item.topics = topics.get(item.doc_id, [])
        item.title, item.language = titles.get(item.doc_id, ("", ""))
    return items


def _topics_of(doc_ids: list[str]) -> dict[str, list[str]]:
    """The topics of the alerts each item got votes on, most frequent first."""
    counted: dict[str, dict[str, int]] = {}
    for doc_id, _helped, topic_text, number in _grouped_votes(doc_ids):
        per_item = counted.setdefault(doc_id, {})
        for topic in json.loads(topic_text or "[]"):
            per_item[topic] = per_item.get(topic, 0) + number
    return {doc_id: sorted(per_item, key=lambda t: (-per_item[t], t))
            for doc_id, per_item in counted.items()}


def item_titles(doc_ids: Collection[str], language: str) -> dict[str, tuple[str, str]]:
    """doc_id -> (title, language) of the published version to show (the page language
    first); items no longer published are left out."""
    pairs = [doc_id.partition(":")[::2] for doc_id in doc_ids]
    if not pairs:
        return {}
    rows = db.session.execute(
        select(ContentItem.type, ContentItem.slug, ContentItem.language, ContentItem.title)
        .where(ContentItem.status == "published",
               ContentItem.slug.in_({slug for _type, slug in pairs}),
               ContentItem.type.in_({kind for kind, _slug in pairs})))
    versions: dict[str, dict[str, str]] = {}
    for kind, slug, lang, title in rows:
        versions.setdefault(group_key(kind, slug), {})[lang] = title
    shown = {doc_id: best_language(titles, language) for doc_id, titles in versions.items()}
    return {doc_id: (versions[doc_id][lang], lang) for doc_id, lang in shown.items()
            if doc_id in doc_ids}
