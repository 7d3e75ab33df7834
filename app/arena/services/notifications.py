"""Create notifications by preference, count unread, and e-mail them (immediately or digested)."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.models import User, utcnow
from app.arena.models import Notification, NotificationPreference
from app.arena.models.notifications import DEFAULT_DELIVERY
from app.core.deferred import after_response
from app.core.mail import MailError, absolute_url, send_mail
from app.extensions import db

_PENDING_KEY = "arena_immediate_mail"


def delivery_for(user: User, kind: str) -> str:
    """The member's choice for this kind, or the default."""
    chosen = db.session.scalar(
        select(NotificationPreference.delivery).where(
            NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
        )
    )
    return chosen or DEFAULT_DELIVERY[kind]


def preferences(user: User) -> dict[str, str]:
    """Every kind with the member's delivery choice."""
    return {kind: delivery_for(user, kind) for kind in DEFAULT_DELIVERY}


def set_preferences(user: User, choices: dict[str, str]) -> None:
    """Store the member's delivery choice per kind."""
    for kind, delivery in choices.items():
        row = db.session.scalar(
            select(NotificationPreference).where(
                NotificationPreference.user_id == user.id, NotificationPreference.kind == kind
            )
        )
        if row is None:
            row = NotificationPreference(user_id=user.id, kind=kind, delivery=delivery)
            db.session.add(row)
        row.delivery = delivery


def notify(user: User, kind: str, endpoint: str, args: dict, **params) -> Notification | None:
    """Notify one approved member unless they switched this kind off ("off" = nothing at all)."""
    delivery = delivery_for(user, kind)
    if delivery == "off" or not user.is_approved:
        return None
    note = Notification(
        user_id=user.id, kind=kind, params=params, endpoint=endpoint,
        endpoint_args=args, delivery=delivery,
    )
    db.session.add(note)
    if delivery == "immediate":
        db.session.info.setdefault(_PENDING_KEY, []).append(note)
    return note


def unread_count(user: User) -> int:
    """How many of the member's notifications are unread."""
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ) or 0


def describe(note: Notification) -> str:
    """The notification's sentence in the current locale."""
    p = note.params
    texts = {
        "new_case": lambda: _("New case #%(id)s in your country", id=p.get("case_id")),
        "reply": lambda: _("New contribution in case #%(id)s", id=p.get("case_id")),
        "mention": lambda: _(
            "%(name)s mentioned you in case #%(id)s", name=p.get("name"), id=p.get("case_id")
        ),
        "recommendation": lambda: _(
            "A recommendation was released to the reporter in case #%(id)s", id=p.get("case_id")
        ),
        "message": lambda: _("New message from %(name)s", name=p.get("name")),
    }
    return texts[note.kind]()


def _link(note: Notification, language: str) -> str:
    """Absolute link to the page the notification points to, in the member's language."""
    return absolute_url(note.endpoint, **{**note.endpoint_args, "lang_code": language})


def _language(user: User) -> str:
    """The member's language if supported, else the default."""
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else current_app.config["DEFAULT_LANGUAGE"]


def send_immediate(note: Notification) -> bool:
    """E-mail one notification now; False (and still owed) when the mail server fails."""
    user = note.user
    language = _language(user)
    with force_locale(language):
        subject = describe(note)
        body = "\n\n".join([
            describe(note), _link(note, language),
            _("You can change which e-mails you get in your notification settings."),
        ])
    return _deliver(user.email, subject, body, [note])


def send_digest(user: User, notes: list[Notification]) -> bool:
    """E-mail one digest of several notifications; False when the mail server fails."""
    language = _language(user)
    with force_locale(language):
        subject = _("CHAMPIONs Portal: %(n)s new notifications", n=len(notes))
        lines = [f"- {describe(n)}\n  {_link(n, language)}" for n in notes]
        body = "\n".join([_("Your daily summary from ARENA:"), "", *lines])
    return _deliver(user.email, subject, body, notes)


def _deliver(to: str, subject: str, body: str, notes: list[Notification]) -> bool:
    """Send and record sent_at; on MailError leave everything owed for the next run."""
    try:
        send_mail(to, subject, body)
    except MailError:
        return False
    now = utcnow()
    for note in notes:
        note.sent_at = now
    db.session.commit()
    return True


def flush_immediate_mail(deferred: bool = False) -> None:
    """After a commit: e-mail the immediate notifications this unit of work created; with
    `deferred`, only once the response is sent (a reporter never waits for our mail server)."""
    pending = db.session.info.pop(_PENDING_KEY, [])
    ids = [note.id for note in pending if note.id is not None and note.sent_at is None]
    if not ids:
        return
    if deferred:
        after_response(partial(send_immediate_by_id, ids))
    else:
        send_immediate_by_id(ids)


def send_immediate_by_id(ids: list[int]) -> None:
    """E-mail the listed notifications that are still owed."""
    owed = db.session.scalars(
        select(Notification).where(Notification.id.in_(ids), Notification.sent_at.is_(None))
        .order_by(Notification.id)
    )
    for note in owed.all():
        send_immediate(note)


def send_owed_mail() -> tuple[int, int]:
    """Retry failed immediate mails and send digests; returns (mails sent, mails failed)."""
    owed = db.session.scalars(
        select(Notification).where(
            Notification.sent_at.is_(None), Notification.delivery.in_(("immediate", "digest"))
        ).order_by(Notification.id)
    ).all()
    sent = failed = 0
    digests: dict[int, list[Notification]] = defaultdict(list)
    for note in owed:
        if note.delivery == "digest":
            digests[note.user_id].append(note)
        elif send_immediate(note):
            sent += 1
        else:
            failed += 1
    for notes in digests.values():
        ok = send_digest(notes[0].user, notes)
        sent, failed = sent + ok, failed + (not ok)
    return sent, failed
