"""Outgoing mail: queued as a job, delivered by the worker through SMTP (production), the
console (development) or memory (tests)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

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
    """Queue one mail and commit: the worker delivers it, with retries, so no request waits
    for the mail server (call it once the unit of work it belongs to is complete)."""
    from app.core.jobs import enqueue
    from app.extensions import db

    enqueue("mail", {"to": to, "subject": subject, "body": body})
    db.session.commit()


def deliver(mail: Mail) -> None:
    """Send one mail now through the configured backend; raises MailError on SMTP failure."""
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
    message = build_message(mail, config["MAIL_SENDER"])
    try:
        with _connect(config) as smtp:
            if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                smtp.starttls(context=tls_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # The address is personal data: log only that delivery failed.
        log.warning("mail delivery failed: %s", type(error).__name__)
        raise MailError(str(type(error).__name__)) from error


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """The message as sent: with Date and Message-ID, which spam filters expect."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))  # "+0000": UTC, stated
    message["Message-ID"] = make_msgid(domain=_sender_domain(sender))
    message.set_content(mail.body)
    return message


def tls_context() -> ssl.SSLContext:
    """Verify the server's certificate chain and host name against the system's trust store
    (SSL_CERT_FILE names another bundle); smtplib's own default verifies neither."""
    return ssl.create_default_context()


def _connect(config) -> smtplib.SMTP:
    """A connection to the mail server: TLS from the start with MAIL_USE_SSL, else plain
    (upgraded by STARTTLS when MAIL_USE_TLS)."""
    timeout = float(config["MAIL_TIMEOUT"])
    if config["MAIL_USE_SSL"]:
        return smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout,
                                context=tls_context())
    return smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)


def _sender_domain(sender: str) -> str:
    """The domain of the From address, for Message-ID (never the machine's host name)."""
    return parseaddr(sender)[1].rpartition("@")[2] or "champions.local"
