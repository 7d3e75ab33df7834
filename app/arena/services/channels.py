"""Channels that reach a person at once about an urgent case, chosen by URGENT_CHANNELS.

Every urgent message is one Notification row (its text, link and delivery state); each
channel delivers that row its own way. A new way of reaching people (SMS, a messenger) is
one more class with `name` and `send`, added to CHANNELS and named in the configuration."""

from __future__ import annotations

import logging
from typing import Protocol

from flask import current_app

from app.accounts.models import User, utcnow
from app.arena.models import Case, Notification
from app.arena.services.notifications import mail_at_once
from app.extensions import db

log = logging.getLogger(__name__)


class Channel(Protocol):
    """One way of reaching a member at once."""

    name: str

    def send(self, note: Notification) -> None:
        """Deliver the notification (in the caller's unit of work, committed by it)."""


class PortalChannel:
    """The member's notification list and the header's count: the note waits there unread."""

    name = "portal"

    def send(self, note: Notification) -> None:
        """Leave the note unread, so the portal shows it as new."""
        note.read_at = None


class EmailChannel:
    """An e-mail now, in the member's language, whatever their notification settings."""

    name = "email"

    def send(self, note: Notification) -> None:
        """Queue the note's e-mail with the caller's unit of work."""
        mail_at_once(note)


CHANNELS: dict[str, Channel] = {channel.name: channel for channel in (PortalChannel(),
                                                                       EmailChannel())}


def selected_channels() -> list[Channel]:
    """The channels URGENT_CHANNELS names, in its order (unknown names are skipped)."""
    chosen = []
    for name in current_app.config["URGENT_CHANNELS"]:
        if name in CHANNELS:
            chosen.append(CHANNELS[name])
        else:
            log.warning("urgent: no channel named %s; check URGENT_CHANNELS", name)
    return chosen


def send_urgent(user: User, kind: str, case: Case, **params) -> Notification:
    """Tell one member about an urgent case through every selected channel; the row is kept
    as the record (already read when the portal is not one of the channels)."""
    note = Notification(
        user_id=user.id, kind=kind, params={"case_id": case.id, **params},
        endpoint="arena.view_case", endpoint_args={"case_id": case.id},
        delivery="none", read_at=utcnow(),
    )
    db.session.add(note)
    for channel in selected_channels():
        channel.send(note)
    return note
