"""Which alert this browser may act on as its reporter: the one it has just sent, and the one
it opened with its receipt code (the follow-up page)."""

from __future__ import annotations

from flask import session

from app.alerts.models import Alert
from app.extensions import db

FOLLOW_UP_KEY = "alert_follow_up"  # session: the alert id opened with a receipt code
JUST_SENT_KEY = "alert_just_sent"  # session: the alert this browser has just sent
SENT_WITH_KEY = "alert_sent_with"  # session: that alert's submission key (finds a resend)


def followed_alert() -> Alert | None:
    """The alert this browser opened with its receipt code, if it still exists."""
    alert_id = session.get(FOLLOW_UP_KEY)
    alert = db.session.get(Alert, alert_id) if alert_id else None
    if alert is None or alert.status == "withdrawn":
        session.pop(FOLLOW_UP_KEY, None)
        return None
    return alert


def reporter_may_act_on(alert: Alert) -> bool:
    """True when this browser sent the alert just now or follows it with its receipt code
    (forwarding it, giving feedback on its recommendations)."""
    if alert.status == "withdrawn":
        return False
    return alert.id in (session.get(JUST_SENT_KEY), session.get(FOLLOW_UP_KEY))


def forget_reporter() -> None:
    """This browser keeps no right to any alert (after withdrawing, or "Close on this
    device")."""
    for key in (FOLLOW_UP_KEY, JUST_SENT_KEY, SENT_WITH_KEY):
        session.pop(key, None)
