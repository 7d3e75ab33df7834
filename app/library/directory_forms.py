"""The editor's link between a trainer or organisation entry and a member's account: set by
coordinators by e-mail address, stored as `extra["member_id"]`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.library.directory_access import coordinates_any, linked_member_id
from app.library.forms import ItemForm
from app.library.models import ContentItem


def limit_link_field(form: ItemForm, item: ContentItem | None) -> None:
    """Only coordinators of the entry set the link; the field shows the linked e-mail."""
    if "member_email" not in form:
        return
    countries = item.countries if item is not None else []
    if not coordinates_any(current_user, countries):
        delattr(form, "member_email")
        return
    member_id = linked_member_id(item) if item is not None else None
    if member_id is not None and not form.is_submitted():
        member = db.session.get(User, member_id)
        form.member_email.data = member.email if member else ""


def _member_by_email(email: str) -> User | None:
    """The approved member with this e-mail address (case-insensitive)."""
    return db.session.scalar(
        select(User).where(
            func.lower(User.email) == email.strip().lower(), User.status == "approved"
        )
    )


def link_is_valid(form: ItemForm) -> bool:
    """An e-mail typed in the link field must belong to an approved member."""
    email = (form.member_email.data or "").strip() if "member_email" in form else ""
    if email and _member_by_email(email) is None:
        form.member_email.errors = [
            *form.member_email.errors,
            _l("No approved member has this e-mail address."),
        ]
        return False
    return True


def linked_member(form: ItemForm) -> dict:
    """The link as stored in `extra` (cleared when the field is emptied); {} when the
    editor has no link field (the entry keeps its link)."""
    if "member_email" not in form:
        return {}
    email = (form.member_email.data or "").strip()
    member = _member_by_email(email) if email else None
    return {"member_id": member.id if member else None}
