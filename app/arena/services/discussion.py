"""Comments, structured recommendations and messages with the reporter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from app.accounts.models import User, utcnow
from app.alerts.models import Alert, AlertMessage
from app.alerts.services import post_member_message
from app.arena.models import Case, Comment, Recommendation
from app.arena.services import cases
from app.arena.services.access import can_see_case, comment_editable
from app.arena.services.handles import mentioned_users
from app.arena.services.notifications import notify
from app.core.markup import render_markdown
from app.extensions import db


def add_comment(case: Case, author: User, body: str) -> Comment:
    """Post a Markdown comment: followers hear of it, mentioned members are notified."""
    comment = Comment(case=case, author=author, body=body, body_html=render_markdown(body))
    db.session.add(comment)
    case.response_count += 1
    cases.start_discussion(case, author)
    cases.record(case, author, "commented")
    _notify_followers(case, author, "reply")
    cases.follow(case, author)
    _notify_mentions(case, author, body)
    db.session.flush()
    return comment


def edit_comment(comment: Comment, author: User, body: str, now: datetime | None = None) -> None:
    """Change a comment within its author's 15-minute window; PermissionError otherwise."""
    if not comment_editable(author, comment, now or datetime.now(UTC)):
        raise PermissionError("comment no longer editable")
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = utcnow()
    cases.record(comment.case, author, "comment_edited", comment_id=comment.id)


def _notify_followers(case: Case, author: User, kind: str) -> None:
    """Tell every follower except the author."""
    for user in cases.followers(case):
        if user.id != author.id and can_see_case(user, case):
            notify(user, kind, "arena.view_case", {"case_id": case.id}, case_id=case.id)


def _notify_mentions(case: Case, author: User, body: str) -> None:
    """Notify members mentioned by @handle who may see the case."""
    for user in mentioned_users(body):
        if user.id != author.id and can_see_case(user, case):
            notify(
                user, "mention", "arena.view_case", {"case_id": case.id},
                case_id=case.id, name=author.name,
            )


def add_recommendation(case: Case, author: User, **fields) -> Recommendation:
    """Record a structured recommendation (not yet visible to the reporter)."""
    if case.is_closed:
        raise cases.CaseError("closed")
    rec = Recommendation(case=case, author=author, **fields)
    db.session.add(rec)
    case.response_count += 1
    cases.start_discussion(case, author)
    cases.record(case, author, "recommended")
    _notify_followers(case, author, "reply")
    cases.follow(case, author)
    db.session.flush()
    return rec


def release_recommendation(rec: Recommendation, actor: User) -> None:
    """Show the recommendation on the reporter's follow-up page; the case status follows."""
    if rec.is_released:
        return
    rec.released_at = utcnow()
    rec.released_by_id = actor.id
    cases.record(rec.case, actor, "released", recommendation_id=rec.id)
    if rec.case.status in ("new", "in_discussion"):
        cases.set_status(rec.case, "recommendation_given", actor)
    _notify_followers(rec.case, actor, "recommendation")


def released_recommendations(alert: Alert) -> list[Recommendation]:
    """What the reporter may see: released recommendations of the alert's case, oldest first."""
    return list(db.session.scalars(
        select(Recommendation).join(Case, Recommendation.case_id == Case.id)
        .where(Case.alert_id == alert.id, Recommendation.released_at.is_not(None))
        .order_by(Recommendation.released_at, Recommendation.id)
    ))


def message_reporter(case: Case, author: User, body: str) -> list[AlertMessage]:
    """Write to the reporter through the follow-up channel (no names either side); the
    reporters of merged reports read it on the case's own alert, or, once its own reporter
    withdrew, get it on theirs."""
    messages = [post_member_message(alert, author, body)  # ALERT owns the channel
                for alert in reporter_alerts(case)]
    cases.record(case, author, "message_sent")
    cases.follow(case, author)
    return messages


def reporter_alerts(case: Case) -> list[Alert]:
    """Where a member's message to the case's reporters goes: the case's own alert, or when
    it was withdrawn, the live reports merged into the case (empty: nobody to write to)."""
    if case.alert.status != "withdrawn":
        return [case.alert]
    return cases.live_merged_alerts(case)


@dataclass(frozen=True)
class ReporterMessage:
    """One message of the case page's conversation, with the merged case whose reporter it
    was exchanged with (None: the case's own reporter)."""

    message: AlertMessage
    merged_case_id: int | None


def reporter_messages(case: Case) -> list[ReporterMessage]:
    """The case's conversation with its reporter and with the reporters of the reports merged
    into it, oldest first, in two queries."""
    merged = cases.merged_reports(case)
    rows = db.session.scalars(
        select(AlertMessage).where(AlertMessage.alert_id.in_([case.alert_id, *merged]))
        .order_by(AlertMessage.created_at, AlertMessage.id))
    return [ReporterMessage(row, merged.get(row.alert_id)) for row in rows]
