"""Create notifications by preference, count unread, and e-mail them (immediately or digested)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.accounts.choices import COUNTRIES
from app.accounts.models import User, utcnow
from app.arena.models import Notification, NotificationPreference
from app.arena.models.notifications import DEFAULT_DELIVERY, FIXED_KINDS
from app.core.jobs import enqueue, job_handler
from app.core.mail import Mail, absolute_url, deliver, send_mail
from app.core.templating import format_duration
from app.extensions import db

_PENDING_KEY = "arena_immediate_mail"
NOTIFICATION_MAIL = "arena.notification_mail"
# Sentences of kinds other features own: kind -> describe(params) in the current locale.
_DESCRIPTIONS: dict[str, Callable[[dict], str]] = {}


def register_description(kind: str, describe_params: Callable[[dict], str]) -> None:
    """Let another feature (roundtables) say what its notifications mean."""
    _DESCRIPTIONS[kind] = describe_params


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
        mail_at_once(note)
    return note


def mail_at_once(note: Notification) -> None:
    """Owe the note's e-mail now: queue_immediate_mail queues it with this unit of work."""
    note.delivery = "immediate"
    db.session.info.setdefault(_PENDING_KEY, []).append(note)


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
    if note.kind in _DESCRIPTIONS:
        return _DESCRIPTIONS[note.kind](p)
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
        "urgent_case": lambda: _(
            "Urgent case #%(id)s in %(country)s needs a coordinator now",
            id=p.get("case_id"), country=_country(p.get("country")),
        ),
        "urgent_escalated": lambda: _(
            "Nobody acknowledged urgent case #%(id)s in %(country)s within %(duration)s: "
            "an administrator is needed now",
            id=p.get("case_id"), country=_country(p.get("country")),
            duration=format_duration(p.get("minutes") or 0),
        ),
        "retention_warning": lambda: ngettext(
            "%(num)s report of %(country)s will lose its text, place, contact and messages in "
            "%(days)s days under the retention policy",
            "%(num)s reports of %(country)s will lose their text, place, contact and messages "
            "in %(days)s days under the retention policy",
            p.get("count") or 0, country=_country(p.get("country")), days=p.get("days"),
        ),
    }
    return texts[note.kind]()


def _country(code: str | None) -> str:
    """The country's name in the current locale."""
    return str(COUNTRIES.get(code, code or ""))


def _link(note: Notification, language: str) -> str:
    """Absolute link to the page the notification points to, in the member's language."""
    return absolute_url(note.endpoint, **{**note.endpoint_args, "lang_code": language})


def _language(user: User) -> str:
    """The member's language if supported, else the default."""
    languages = current_app.config["LANGUAGES"]
    return user.language if user.language in languages else current_app.config["DEFAULT_LANGUAGE"]


def send_immediate(note: Notification) -> None:
    """E-mail one notification now (the worker's job): raises MailError, so the job is retried,
    and records sent_at once the mail server took it."""
    user = note.user
    language = _language(user)
    with force_locale(language):
        subject = describe(note)
        body = "\n\n".join([describe(note), _link(note, language), _mail_footer(note)])
    deliver(Mail(to=user.email, subject=subject, body=body))
    note.sent_at = utcnow()


def _mail_footer(note: Notification) -> str:
    """Why the member got this e-mail and what they can do about it."""
    if note.kind in FIXED_KINDS:
        return _("Urgent cases reach coordinators and administrators at once, whatever their "
                 "notification settings. Open the case to acknowledge it.")
    return _("You can change which e-mails you get in your notification settings.")


def queue_digest(user: User, notes: list[Notification]) -> None:
    """Queue one digest mail of several notifications and mark them sent."""
    language = _language(user)
    with force_locale(language):
        subject = _("CHAMPIONs Portal: %(n)s new notifications", n=len(notes))
        lines = [f"- {describe(n)}\n  {_link(n, language)}" for n in notes]
        body = "\n".join([_("Your daily summary from ARENA:"), "", *lines])
    now = utcnow()
    for note in notes:
        note.sent_at = now
    send_mail(user.email, subject, body)


def queue_immediate_mail() -> int:
    """Queue a mail job for each immediate notification this unit of work created (call it
    before the commit: the jobs commit with the notifications)."""
    pending = db.session.info.pop(_PENDING_KEY, [])
    if pending:
        db.session.flush()
    for note in pending:
        enqueue(NOTIFICATION_MAIL, {"id": note.id})
    return len(pending)


def commit_with_mail() -> None:
    """Commit the unit of work together with the mail jobs of its immediate notifications."""
    queue_immediate_mail()
    db.session.commit()


@job_handler(NOTIFICATION_MAIL)
def mail_notification(payload: dict) -> None:
    """The worker's job: e-mail one immediate notification unless it was sent already."""
    note = db.session.get(Notification, payload["id"])
    if note is not None and note.sent_at is None:
        send_immediate(note)


def send_owed_mail() -> int:
    """Queue the daily digests, and immediate mails owed from before the queue existed;
    returns how many mails were queued."""
    owed = db.session.scalars(
        select(Notification).where(
            Notification.sent_at.is_(None), Notification.delivery.in_(("immediate", "digest"))
        ).order_by(Notification.id)
    ).all()
    digests: dict[int, list[Notification]] = defaultdict(list)
    immediate = [note for note in owed if note.delivery == "immediate"]
    for note in owed:
        if note.delivery == "digest":
            digests[note.user_id].append(note)
    for note in immediate:
        enqueue(NOTIFICATION_MAIL, {"id": note.id})
    for notes in digests.values():
        queue_digest(notes[0].user, notes)
    db.session.commit()
    return len(immediate) + len(digests)
