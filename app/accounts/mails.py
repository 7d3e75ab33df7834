"""The mails accounts send, written in the recipient's language."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app.accounts.models import User
from app.core.mail import absolute_url, send_mail


def _send(user: User, subject: str, body: str) -> None:
    """Queue the mail with a signature line (language already switched); the worker delivers
    it, retrying while the mail server is down."""
    footer = _("The CHAMPIONs Portal team")
    send_mail(user.email, subject, f"{body}\n\n-- \n{footer}\n")


def send_confirmation(user: User, token: str) -> None:
    """Ask a new member to confirm their e-mail address."""
    with force_locale(user.language):
        link = absolute_url("accounts.confirm_email", lang_code=user.language, token=token)
        body = _(
            "Hello %(name)s,\n\nplease confirm your e-mail address by opening this link:\n"
            "%(link)s\n\nAfterwards a coordinator of your country reviews your registration.\n"
            "If you did not register, ignore this message.",
            name=user.name,
            link=link,
        )
        _send(user, _("Confirm your e-mail address"), body)


def send_already_registered(user: User) -> None:
    """Tell the owner of an address that someone tried to register it again."""
    with force_locale(user.language):
        link = absolute_url("accounts.forgot_password", lang_code=user.language)
        body = _(
            "Hello %(name)s,\n\nsomeone tried to register with your e-mail address, which "
            "already has an account. If it was you, log in, or choose a new password here:\n"
            "%(link)s\n\nIf it was not you, ignore this message.",
            name=user.name,
            link=link,
        )
        _send(user, _("You already have an account"), body)


def send_password_reset(user: User, token: str) -> None:
    """Send the link that lets a member choose a new password."""
    with force_locale(user.language):
        link = absolute_url("accounts.reset_password", lang_code=user.language, token=token)
        body = _(
            "Hello %(name)s,\n\nto choose a new password, open this link:\n%(link)s\n\n"
            "If you did not ask for this, ignore this message; your password stays the same.",
            name=user.name,
            link=link,
        )
        _send(user, _("Choose a new password"), body)


def _status_subject(status: str) -> str:
    """The subject line for a status change (called inside force_locale)."""
    subjects = {
        "approved": _("Your CHAMPIONs Portal account is approved"),
        "rejected": _("Your registration was not approved"),
        "suspended": _("Your CHAMPIONs Portal account is suspended"),
    }
    return subjects[status]


def _status_text(status: str) -> str:
    """What a status change means for the member (called inside force_locale)."""
    texts = {
        "approved": _("You can now use ARENA and everything else for members."),
        "rejected": _("You cannot log in with this account."),
        "suspended": _("You can log in, but you only see the status of your account."),
    }
    return texts[status]


def send_status_changed(user: User, reason: str) -> None:
    """Tell a member they were approved, rejected, suspended or reinstated, and why."""
    with force_locale(user.language):
        body = _("Hello %(name)s,", name=user.name) + "\n\n" + _status_text(user.status)
        if reason:
            body += "\n\n" + _("Reason given by the coordinator:") + "\n" + reason
        if user.status != "rejected":
            link = absolute_url("accounts.login", lang_code=user.language)
            body += "\n\n" + _("Log in: %(link)s", link=link)
        _send(user, _status_subject(user.status), body)
