"""How roundtables react to the rest of the portal (signals), and the sentences of their
notifications."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import ngettext

from app.arena.services.notifications import register_description
from app.core.signals import digest_due
from app.roundtables.services import actions, meetings

# Sentences of kind "roundtable", one per event; meetings and actions add theirs here.
ROUNDTABLE_EVENTS: dict[str, Callable[[dict], str]] = {
    "invited": lambda p: _("You are invited to join %(name)s", name=p.get("name")),
    "join_request": lambda p: _("%(member)s asks to join %(name)s",
                                member=p.get("member"), name=p.get("name")),
    "request_accepted": lambda p: _("You are now a member of %(name)s", name=p.get("name")),
    "meetings_added": lambda p: ngettext(
        "%(name)s: you are invited to %(num)s upcoming meeting",
        "%(name)s: you are invited to %(num)s upcoming meetings",
        p.get("count") or 0, name=p.get("name")),
}


def describe_roundtable(params: dict) -> str:
    """The sentence of a "roundtable" notification; unknown events get a generic one."""
    describe = ROUNDTABLE_EVENTS.get(params.get("event") or "")
    if describe is None:
        return _("News from %(name)s", name=params.get("name"))
    return describe(params)


register_description("roundtable", describe_roundtable)

# Actions: the owner's "you got an action", the daily overdue reminders.
ROUNDTABLE_EVENTS["action_assigned"] = actions.describe_action_assigned
register_description("action_due", actions.describe_action_due)

# Meetings: invited, changed, cancelled.
ROUNDTABLE_EVENTS.update(meetings.MEETING_SENTENCES)


@digest_due.connect
def remind_overdue_actions(_sender, **_extra) -> None:
    """Before the daily digest goes out: remind owners of overdue actions (once a day)."""
    actions.remind_overdue()
