"""Which alert this browser may act on as its reporter: the one it has just sent, and the one
it opened with its receipt code (the follow-up page). The session holds only random tokens;
the database holds their hashes (FollowUpGrant), so a grant can be revoked for every copy of
the cookie ("Close on this device", withdrawal)."""

from __future__ import annotations

from flask import session

from app.alerts import services
from app.alerts.models import Alert

FOLLOW_UP_KEY = "alert_follow_up"  # session: token of the alert opened with a receipt code
JUST_SENT_KEY = "alert_just_sent"  # session: token of the alert this browser has just sent
SENT_WITH_KEY = "alert_sent_with"  # session: that alert's submission key (finds a resend)


def follow(alert: Alert) -> None:
    """This browser typed the alert's receipt code: grant it the follow-up page."""
    _replace_grant(FOLLOW_UP_KEY, alert)


def remember_sent(alert: Alert, submission_key: str) -> None:
    """This browser has just sent the alert: it may forward it and give feedback."""
    _replace_grant(JUST_SENT_KEY, alert)
    session[SENT_WITH_KEY] = submission_key


def _replace_grant(key: str, alert: Alert) -> None:
    """Revoke the grant the session held under `key` and hold a new one for `alert`."""
    services.revoke_grants([_token(key)])
    session[key] = services.grant_follow_up(alert)


def followed_alert() -> Alert | None:
    """The alert this browser opened with its receipt code, if its grant is still valid."""
    alert = services.granted_alert(_token(FOLLOW_UP_KEY))
    if alert is None:
        session.pop(FOLLOW_UP_KEY, None)
    return alert


def reporter_may_act_on(alert: Alert) -> bool:
    """True when this browser sent the alert just now or follows it with its receipt code
    (forwarding it, giving feedback on its recommendations), and the grant is not revoked."""
    if alert.status == "withdrawn":
        return False
    return any(getattr(services.granted_alert(_token(key)), "id", None) == alert.id
               for key in (JUST_SENT_KEY, FOLLOW_UP_KEY))


def forget_reporter() -> None:
    """This browser keeps no right to any alert (after withdrawing, or "Close on this
    device"): its grants are deleted, so copies of the cookie stop working too."""
    services.revoke_grants([_token(FOLLOW_UP_KEY), _token(JUST_SENT_KEY)])
    for key in (FOLLOW_UP_KEY, JUST_SENT_KEY, SENT_WITH_KEY):
        session.pop(key, None)


def _token(key: str) -> str:
    """The grant token the session holds under `key` ("" if none, or an older session's id)."""
    value = session.get(key)
    return value if isinstance(value, str) else ""
