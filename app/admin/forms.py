"""Vetting forms: a decision with its reason, and a role change."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, ValidationError

from app.accounts.choices import ROLES
from app.accounts.forms import at_most, choice_list
from app.admin.services import APPOINTABLE_ROLES, TRANSITIONS

ACTION_LABELS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "suspend": _l("Suspend"),
    "reinstate": _l("Reinstate"),
}
ACTIONS_NEEDING_REASON = {name for name, step in TRANSITIONS.items() if step.needs_reason}


class StatusForm(FlaskForm):
    """Approve, reject, suspend or reinstate a member; the reason is e-mailed to them."""

    action = RadioField(
        _l("Decision"), validators=[InputRequired(message=_l("Please choose a decision."))]
    )
    reason = TextAreaField(
        _l("Reason (sent to the member by e-mail)"),
        validators=[at_most(2000)],
    )

    def set_actions(self, actions: list[str]) -> StatusForm:
        """Offer only the decisions that fit the member's status."""
        self.action.choices = choice_list({name: ACTION_LABELS[name] for name in actions})
        return self

    def validate_reason(self, field: TextAreaField) -> None:
        """Rejecting and suspending need a reason the member can read."""
        if self.action.data in ACTIONS_NEEDING_REASON and not (field.data or "").strip():
            raise ValidationError(_l("Please give a reason; the member receives it by e-mail."))


class RoleForm(FlaskForm):
    """Admins appoint or remove coordinators."""

    role = SelectField(
        _l("Role"),
        choices=choice_list({key: ROLES[key] for key in APPOINTABLE_ROLES}),
        validators=[InputRequired(message=_l("Please choose a role."))],
    )
