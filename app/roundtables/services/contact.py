"""Messages to a roundtable's secretariat from its public profile: e-mailed to each secretariat
member in their language, with the sender's address to answer to; nothing is stored or logged
(the mail job row is deleted once delivered)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.core.mail import send_mail
from app.roundtables.models import Roundtable
from app.roundtables.services.members import secretariat


@dataclass(frozen=True)
class ContactMessage:
    """What a visitor wrote through the public profile."""

    name: str
    email: str
    body: str


def contact_secretariat(roundtable: Roundtable, message: ContactMessage) -> int:
    """Queue one mail to each secretariat member; returns how many were queued."""
    recipients = secretariat(roundtable)
    for user in recipients:
        with force_locale(_language(user.language)):
            subject = _("Message for %(name)s from its public profile",
                        name=roundtable.name)
            body = "\n\n".join([
                _("%(sender)s <%(email)s> wrote through the portal:", sender=message.name,
                  email=message.email),
                message.body,
                _("Answer by writing to %(email)s. The portal did not keep this message.",
                  email=message.email),
            ])
        send_mail(user.email, subject, body)
    return len(recipients)


def _language(language: str | None) -> str:
    """The member's language if the portal speaks it, else the default."""
    languages = current_app.config["LANGUAGES"]
    return language if language in languages else current_app.config["DEFAULT_LANGUAGE"]
