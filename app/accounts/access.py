"""Access decorators every feature uses: approved members, coordinators, admins.

- approved_required: anonymous visitors go to the login page (with ?next=); logged-in members
  who are not approved (unconfirmed, pending, suspended) are sent to their status page.
- coordinator_required: as above, then 403 unless the member is a coordinator or admin.
- admin_required: as above, then 403 unless the member is an admin.
Country checks stay with the caller: use `current_user.coordinates(country)` and answer 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, url_for
from flask_login import current_user

from app.extensions import login_manager


def _guard(check: Callable[[object], bool] | None) -> Callable:
    """Build a decorator: log in, be approved, then pass `check` (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.is_approved:
                return redirect(url_for("accounts.status"))
            if check is not None and not check(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


approved_required = _guard(None)
coordinator_required = _guard(lambda user: user.is_coordinator)
admin_required = _guard(lambda user: user.is_admin)

__all__ = ["approved_required", "coordinator_required", "admin_required"]
