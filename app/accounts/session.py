"""Flask-Login wiring: a session is valid only while its session version is current."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import User
from app.extensions import db, login_manager


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """Load the user for "<id>:<session_version>"; an outdated version logs the session out."""
    user_id, _, version = identity.partition(":")
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
