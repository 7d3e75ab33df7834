"""Outgoing mail: SMTP in production, console in development, memory in tests."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """One outgoing message."""

    to: str
    subject: str
    body: str


class MailError(RuntimeError):
    """The mail server refused or could not be reached."""


def outbox() -> list[Mail]:
    """Mails kept by the memory backend (tests read this)."""
    return current_app.extensions.setdefault("champions_outbox", [])


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one mail through the configured backend; raises MailError on SMTP failure."""
    mail = Mail(to=to, subject=subject, body=body)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().append(mail)
    elif backend == "smtp":
        _send_smtp(mail)
    else:
        print(f"\n--- mail to {mail.to}: {mail.subject}\n{mail.body}\n---", flush=True)


def absolute_url(endpoint: str, **values) -> str:
    """BASE_URL plus the path of `endpoint`, for links in mails (works without a request)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _send_smtp(mail: Mail) -> None:
    """Deliver over SMTP with the configured server and credentials."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message.set_content(mail.body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # The address is personal data: log only that delivery failed.
        log.warning("mail delivery failed: %s", type(error).__name__)
        raise MailError(str(type(error).__name__)) from error
