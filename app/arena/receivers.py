"""ARENA's reactions to other features' signals (connected when the blueprint loads)."""

from __future__ import annotations

from flask import has_request_context
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.alerts.models import Alert
from app.alerts.signals import followup_joined, followup_requested, followup_shared
from app.arena.choices import ACTOR_LABELS
from app.arena.services import cases, lessons, redaction
from app.arena.services.discussion import released_recommendations
from app.arena.services.notifications import queue_immediate_mail
from app.core.i18n import select_locale
from app.core.signals import alert_forwarded, alert_withdrawn, content_changed, reporter_wrote
from app.extensions import db
from app.library.models import ContentItem


@alert_forwarded.connect
def open_case(alert: Alert, **_extra) -> None:
    """A forwarded alert becomes a case on its country's board; its mails are queued in the
    same unit of work (the worker's forwarding job commits it)."""
    cases.ensure_case(alert)
    queue_immediate_mail()


@alert_withdrawn.connect
def close_withdrawn_case(alert: Alert, text: str = "", **_extra) -> None:
    """A withdrawn alert closes its case, and whatever members wrote that quotes its text is
    redacted (in the withdrawal's transaction, which ALERT commits)."""
    cases.withdraw(alert)
    redaction.redact_withdrawn(alert, text)


@reporter_wrote.connect
def tell_followers_reporter_wrote(alert: Alert, **_extra) -> None:
    """A reporter's message reaches the case's followers at once."""
    cases.sync_reporter_messages()
    queue_immediate_mail()
    db.session.commit()


@content_changed.connect
def forget_lesson_removals(item: ContentItem, **_extra) -> None:
    """A lesson that is published keeps no trace of what its de-identification removed."""
    if lessons.forget_removed_originals(item):
        db.session.commit()


@followup_requested.connect
def recommendations_for_reporter(alert: Alert, **_extra) -> list[dict]:
    """Released recommendations for the follow-up page: no member identity, only the advice."""
    return [
        {
            "action": rec.action,
            "reason": rec.reason,
            "actors": [ACTOR_LABELS.get(key, key) for key in rec.actors],  # lazy: page language
            "urgency": rec.urgency,
            "released_at": rec.released_at,
            "resources": _resources(rec.resource_ids, _reader_language(alert)),
        }
        for rec in released_recommendations(alert)
    ]


@followup_joined.connect
def surviving_alert(alert: Alert, **_extra) -> Alert | None:
    """The alert of the case this alert's case was merged into (the case that lives on)."""
    case = cases.case_for_alert(alert)
    survivor = cases.surviving_case(case) if case is not None else None
    return survivor.alert if survivor is not None and survivor.id != case.id else None


@followup_shared.connect
def reports_sharing_followup(alert: Alert, **_extra) -> list[Alert]:
    """The live reports merged into this alert's case: they read its experts' messages."""
    case = cases.case_for_alert(alert)
    return cases.live_merged_alerts(case) if case is not None else []


def _reader_language(alert: Alert) -> str:
    """The language of the page that asks, else the one the reporter used for the report."""
    return select_locale() if has_request_context() else alert.page_language


def _resources(ids: list[int], language: str) -> list[dict]:
    """Titles and paths of the published library items a recommendation links, each in the
    reader's language where that version exists (two queries, whatever the number)."""
    items = _published(ContentItem.id.in_(ids or []))
    by_id = {item.id: item for item in items}
    wanted = [by_id[i] for i in dict.fromkeys(ids or []) if i in by_id]
    own = {(item.type, item.slug): item for item in _published(
        ContentItem.slug.in_({item.slug for item in wanted}), ContentItem.language == language)}
    shown = [own.get((item.type, item.slug), item) for item in wanted]
    return [{"title": item.title, "type": item.type, "slug": item.slug,
             "language": item.language} for item in shown]


def _published(*conditions) -> list[ContentItem]:
    """Published library rows matching the conditions (no bodies: a link needs none)."""
    return list(db.session.scalars(
        select(ContentItem).options(load_only(ContentItem.id, ContentItem.type, ContentItem.slug,
                                              ContentItem.language, ContentItem.title))
        .where(ContentItem.status == "published", *conditions)))
