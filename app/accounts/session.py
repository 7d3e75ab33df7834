"""Flask-Login wiring and the life of a session.

- A session is valid only while its session version is current (logout, password change).
- It ends after SESSION_IDLE_SECONDS without a request (by role) and SESSION_ABSOLUTE_SECONDS
  after the login; the last-seen time is rewritten at most once a minute, so the cookie is
  not re-sent on every request.
- A password accepted for an account with two-factor authentication opens only a pending
  login (user id, session version, expiry), never a logged-in session.
- Roles in TWO_FACTOR_REQUIRED_ROLES see nothing but the enrolment page until they enrol.
"""

from __future__ import annotations

import time
from datetime import timedelta

from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from app.accounts import bp, two_factor
from app.accounts.models import User
from app.extensions import db, login_manager

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"
PENDING = "_two_factor_pending"
SEEN_RESOLUTION = 60  # seconds: last-seen is only rewritten when older than this
PENDING_SECONDS = 5 * 60
# Pages a member who must enrol in two-factor authentication may still open (deleting the
# account needs the password and stays a right without an authenticator app).
ENROLMENT_ENDPOINTS = {"static", "accounts.setup_two_factor", "accounts.logout",
                       "accounts.delete_account"}


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """Load the user for "<id>:<session_version>"; an outdated version logs the session out."""
    user_id, _sep, version = identity.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.localize_callback = str  # evaluate the lazy message in the visitor's language
login_manager.session_protection = "basic"


def _now() -> int:
    """Epoch seconds (one place for tests to move the clock)."""
    return int(time.time())


# Session clocks ------------------------------------------------------------------------
def start_session_clock() -> None:
    """Record the login time; idle and absolute limits count from here."""
    session[LOGIN_AT] = session[SEEN_AT] = _now()


def clear_session_state() -> None:
    """Forget the clocks and any pending two-factor login (on logout)."""
    for key in (LOGIN_AT, SEEN_AT, PENDING):
        session.pop(key, None)


def _idle_limit(role: str) -> int:
    """Seconds without a request after which a session of this role ends."""
    limits = current_app.config["SESSION_IDLE_SECONDS"]
    return int(limits.get(role, min(limits.values())))


def _session_expired(user: User, now: int) -> bool:
    """True when the session outlived its absolute lifetime or its idle limit."""
    absolute = current_app.config["SESSION_ABSOLUTE_SECONDS"]
    return (now - session[LOGIN_AT] > absolute
            or now - session.get(SEEN_AT, session[LOGIN_AT]) > _idle_limit(user.role))


@bp.before_app_request
def end_expired_session():
    """Log out a session that was idle too long or is too old; note activity otherwise."""
    if request.endpoint == "static" or "_user_id" not in session:
        return None
    if not current_user.is_authenticated:
        return None
    now = _now()
    if not isinstance(session.get(LOGIN_AT), int):
        start_session_clock()  # a session from before these clocks: its lifetime starts now
        return None
    if _session_expired(current_user, now):
        logout_user()
        clear_session_state()
        flash(_("Your session has ended. Please log in again."), "warning")
        return redirect(url_for("accounts.login", next=_return_path()))
    if now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION:
        session[SEEN_AT] = now
    return None


def _return_path() -> str | None:
    """Where to come back after logging in again (pages only, not form posts)."""
    return request.full_path.rstrip("?") if request.method == "GET" else None


@bp.before_app_request
def require_two_factor_enrolment():
    """Send a member whose role requires two-factor authentication to the enrolment page."""
    if request.endpoint in ENROLMENT_ENDPOINTS or request.endpoint is None:
        return None
    if "_user_id" not in session or not current_user.is_authenticated:
        return None
    if not two_factor.needs_enrolment(current_user):
        return None
    flash(_("Your role requires two-factor authentication. Please set it up to continue."),
          "warning")
    return redirect(url_for("accounts.setup_two_factor"))


@bp.record_once
def _match_cookie_lifetime(state) -> None:
    """The signed cookie is refused once older than the absolute session lifetime (instead of
    Flask's 31 days), whatever the environment set it to."""
    seconds = state.app.config["SESSION_ABSOLUTE_SECONDS"]
    state.app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=seconds)


# Pending two-factor login ------------------------------------------------------------
def start_pending_login(user: User) -> None:
    """The password was right: remember who may enter a second factor, for a few minutes."""
    session[PENDING] = {"user": user.id, "version": user.session_version,
                        "until": _now() + PENDING_SECONDS}


def pending_login_user() -> User | None:
    """The user of an unexpired pending login, if any (not logged in yet)."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or pending.get("until", 0) < _now():
        return None
    user = db.session.get(User, pending.get("user", 0))
    if user is None or user.session_version != pending.get("version"):
        return None
    return user


def end_pending_login() -> None:
    """Forget the pending login (accepted, or abandoned)."""
    session.pop(PENDING, None)
