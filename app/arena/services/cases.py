"""The life of a case: creation from a forwarded alert, lead, assignments, status, merging."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User, utcnow
from app.alerts.models import Alert, AlertMessage
from app.arena.models import Case, CaseAssignment, CaseEvent, CaseFollower, Recommendation
from app.arena.services import urgent
from app.arena.services.notifications import notify
from app.extensions import db


class CaseError(ValueError):
    """A change the case's state does not allow (the message key says which)."""


def record(case: Case, actor: User | None, kind: str, **detail) -> CaseEvent:
    """Append one line to the case history."""
    event = CaseEvent(case=case, actor_id=actor.id if actor else None, kind=kind, detail=detail)
    db.session.add(event)
    return event


def set_status(case: Case, status: str, actor: User | None, reason: str | None = None) -> None:
    """Change the status, keep it in history and mirror it for the reporter's follow-up page."""
    if case.status == status and case.closed_reason == reason:
        return
    record(case, actor, "status", old=case.status, new=status, reason=reason)
    case.status = status
    case.closed_reason = reason
    case.closed_at = utcnow() if status == "closed" else None
    case.alert.case_status = status


def case_for_alert(alert: Alert) -> Case | None:
    """The case of a forwarded alert, if it exists."""
    return db.session.scalar(select(Case).where(Case.alert_id == alert.id))


def ensure_case(alert: Alert) -> Case:
    """Get or create the case for a forwarded alert; a new case notifies its country."""
    case = case_for_alert(alert)
    if case is not None:
        return case
    case = Case(
        alert=alert, country=alert.country, city=(alert.city or "").strip(),
        categories=list(alert.categories or []), status="new",
        urgent=alert.forward_reason == "urgent",
    )
    db.session.add(case)
    alert.case_status = "new"
    record(case, None, "created")
    db.session.flush()
    _announce(case)
    return case


def _announce(case: Case) -> None:
    """An urgent case reaches its country's coordinators at once through the urgent channels;
    everyone else who should know gets the usual "new case" by their settings."""
    told = {user.id for user in urgent.alert_urgent_case(case)} if case.urgent else set()
    for member in _new_case_audience(case):
        if member.id not in told:
            notify(member, "new_case", "arena.view_case", {"case_id": case.id}, case_id=case.id)


def _new_case_audience(case: Case) -> list[User]:
    """Members of the case's country and admins whose expertise matches its topics; for a
    text without words only the country's coordinators (it is theirs to look at, not the
    experts')."""
    if case.alert.words_missing:
        return urgent.first_responders(case.country)
    topics = set(case.categories) | set(case.alert.topics or [])
    members = db.session.scalars(select(User).where(User.status == "approved")).all()
    return [member for member in members if member.country == case.country
            or (member.is_admin and topics & set(member.expertise or []))]


def sync_forwarded_alerts() -> int:
    """Create cases for forwarded alerts that have none yet (the lazy path behind the signal)."""
    orphans = db.session.scalars(
        select(Alert).where(
            Alert.forwarded_at.is_not(None),
            Alert.withdrawn_at.is_(None),
            ~select(Case.id).where(Case.alert_id == Alert.id).exists(),
        )
    ).all()
    for alert in orphans:
        ensure_case(alert)
    return len(orphans)


def sync_reporter_messages() -> int:
    """Tell followers about reporter messages that arrived since the last look; returns cases."""
    newest = (
        select(AlertMessage.alert_id, func.max(AlertMessage.id).label("last"))
        .where(AlertMessage.from_reporter.is_(True)).group_by(AlertMessage.alert_id).subquery()
    )
    rows = db.session.execute(
        select(Case, newest.c.last).join(newest, newest.c.alert_id == Case.alert_id)
        .where(newest.c.last > func.coalesce(Case.reporter_message_seen_id, 0))
    ).all()
    for case, last in rows:
        case.reporter_message_seen_id = last
        record(case, None, "reporter_wrote")
        survivor = surviving_case(case)
        if survivor.id != case.id:  # the work happens on the case that lives on
            record(survivor, None, "reporter_wrote", case_id=case.id)
        for user in _message_readers(case, survivor):
            notify(user, "reply", "arena.view_case", {"case_id": survivor.id},
                   case_id=survivor.id)
    return len(rows)


def _message_readers(case: Case, survivor: Case) -> list[User]:
    """Who hears of a reporter's message: the case's followers, and for a case merged as a
    duplicate, the followers of the case that lives on."""
    readers = {user.id: user for user in followers(case)}
    if survivor.id != case.id:
        readers.update((user.id, user) for user in followers(survivor))
    return list(readers.values())


def merged_reports(case: Case) -> dict[int, int]:
    """Alert id -> case id of every case merged into this one as a duplicate, merges of
    merges included (one recursive query; UNION stops on any cycle)."""
    tree = select(Case.id, Case.alert_id).where(Case.duplicate_of_id == case.id).cte(
        "merged_tree", recursive=True)
    tree = tree.union(select(Case.id, Case.alert_id).join(tree, Case.duplicate_of_id == tree.c.id))
    rows = db.session.execute(select(tree.c.id, tree.c.alert_id)).all()
    return {alert_id: case_id for case_id, alert_id in rows}


def live_merged_alerts(case: Case) -> list[Alert]:
    """The alerts, not withdrawn, of the reports merged into this case (their reporters
    follow this case), oldest first."""
    merged = merged_reports(case)
    if not merged:
        return []
    return list(db.session.scalars(select(Alert).where(
        Alert.id.in_(merged), Alert.status != "withdrawn").order_by(Alert.id)))


def surviving_case(case: Case) -> Case:
    """The case a duplicate was merged into, following merges of merges (itself if none)."""
    seen = {case.id}
    while case.duplicate_of is not None and case.duplicate_of.id not in seen:
        case = case.duplicate_of
        seen.add(case.id)
    return case


def follow(case: Case, user: User) -> None:
    """Make the member a follower (idempotent)."""
    if db.session.get(CaseFollower, (case.id, user.id)) is None:
        db.session.add(CaseFollower(case_id=case.id, user_id=user.id))


def unfollow(case: Case, user: User) -> None:
    """Stop following the case."""
    row = db.session.get(CaseFollower, (case.id, user.id))
    if row is not None:
        db.session.delete(row)


def is_following(case: Case, user: User) -> bool:
    """True when the member follows the case."""
    return db.session.get(CaseFollower, (case.id, user.id)) is not None


def followers(case: Case) -> list[User]:
    """Everyone following the case."""
    return list(db.session.scalars(
        select(User).join(CaseFollower, CaseFollower.user_id == User.id)
        .where(CaseFollower.case_id == case.id)
    ))


def start_discussion(case: Case, actor: User) -> None:
    """A new case moves to "in discussion" at its first sign of work."""
    if case.status == "new":
        set_status(case, "in_discussion", actor)


def take_lead(case: Case, user: User) -> None:
    """The member becomes the case's lead."""
    _require_open(case)
    if case.lead_id == user.id:
        return
    case.lead = user
    record(case, user, "lead", member_id=user.id, name=user.name)
    follow(case, user)
    start_discussion(case, user)


def assign(case: Case, member: User, coordinator: User) -> None:
    """A coordinator asks a member of the case's country to work on it."""
    _require_open(case)
    if member.country != case.country or not member.is_approved:
        raise CaseError("not_eligible")
    exists = any(a.user_id == member.id for a in case.assignments)
    if not exists:
        case.assignments.append(CaseAssignment(user=member, assigned_by_id=coordinator.id))
        record(case, coordinator, "assigned", member_id=member.id, name=member.name)
        follow(case, member)
        start_discussion(case, coordinator)


def close(case: Case, actor: User | None, reason: str, outcome: str = "") -> None:
    """Close with a reason (resolved, duplicate, withdrawn) and record the outcome."""
    _require_open(case)
    case.outcome = outcome.strip()
    set_status(case, "closed", actor, reason)


def reopen(case: Case, coordinator: User) -> None:
    """A coordinator reopens a closed case (withdrawn or erased alerts stay closed)."""
    if not case.is_closed:
        raise CaseError("not_closed")
    if case.closed_reason in ("withdrawn", "erased"):
        raise CaseError("withdrawn")
    released = db.session.scalar(
        select(Recommendation.id).where(
            Recommendation.case_id == case.id, Recommendation.released_at.is_not(None)
        ).limit(1)
    )
    case.duplicate_of = None
    set_status(case, "recommendation_given" if released else "in_discussion", coordinator)


def merge_duplicate(case: Case, target: Case, coordinator: User) -> None:
    """Close `case` as a duplicate of `target` (same country); followers move to the target."""
    _require_open(case)
    if target.id == case.id or target.country != case.country or target.is_closed:
        raise CaseError("bad_target")
    case.duplicate_of = target
    for user in followers(case):
        follow(target, user)
    record(target, coordinator, "merged_in", case_id=case.id)
    close(case, coordinator, "duplicate")
    record(case, coordinator, "merged_into", case_id=target.id)


def withdraw(alert: Alert) -> None:
    """The reporter withdrew the alert: its case forgets the place and closes as withdrawn,
    unless it still serves live reports merged into it (then its history says one reporter
    withdrew); a case left serving nobody by the withdrawal of a merged report closes too."""
    case = case_for_alert(alert)
    if case is None:
        return
    case.city = ""  # ALERT deleted the alert's city; the board's copy goes with it
    if live_merged_alerts(case):
        record(case, None, "reporter_withdrew")
    elif not case.is_closed:
        close(case, None, closing_reason(alert))
    survivor = surviving_case(case)
    if survivor.id != case.id:
        _close_if_abandoned(survivor)


def _close_if_abandoned(case: Case) -> None:
    """Close as withdrawn an open case whose own reporter and merged reporters all withdrew."""
    if case.is_closed or case.alert.status != "withdrawn" or live_merged_alerts(case):
        return
    close(case, None, closing_reason(case.alert))


def closing_reason(alert: Alert) -> str:
    """Why the case of a deleted alert closes: the reporter withdrew it, or an admin erased it."""
    return "erased" if alert.purge_reason == "erased" else "withdrawn"


def _require_open(case: Case) -> None:
    """Raise when the case is closed."""
    if case.is_closed:
        raise CaseError("closed")
