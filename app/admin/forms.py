"""Admin forms: vetting decisions and role changes, access log filters, erasing a report."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from app.accounts.choices import ROLES
from app.accounts.forms import at_most, choice_list
from app.admin.services import APPOINTABLE_ROLES, TRANSITIONS
from app.core.forms import PortalForm

ACTION_LABELS = {
    "approve": _l("Approve"),
    "reject": _l("Reject"),
    "suspend": _l("Suspend"),
    "reinstate": _l("Reinstate"),
}
ACTIONS_NEEDING_REASON = {name for name, step in TRANSITIONS.items() if step.needs_reason}


class StatusForm(PortalForm):
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


class RoleForm(PortalForm):
    """Admins appoint or remove coordinators."""

    role = SelectField(
        _l("Role"),
        choices=choice_list({key: ROLES[key] for key in APPOINTABLE_ROLES}),
        validators=[InputRequired(message=_l("Please choose a role."))],
    )


# GDPR operations (issue 11) ----------------------------------------------------------------
ACCESS_ACTION_LABELS = {
    "case_opened": _l("Opened a case"),
    "alert_opened": _l("Opened a report the library answered"),
    "contact_revealed": _l("Revealed a reporter's contact"),
    "alert_erased": _l("Erased a report"),
    "export": _l("Downloaded their data"),
    "report_exported": _l("Exported dashboard figures"),
}


class AccessLogFilterForm(PortalForm):
    """Access log filters (GET, no CSRF: it changes nothing); the member by id."""

    class Meta:
        csrf = False

    member = IntegerField(_l("Member number"), validators=[Optional()])
    action = SelectField(_l("Action"), choices=[SelectChoice("", _l("Any")), *choice_list(
        ACCESS_ACTION_LABELS)], validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])


class EraseAlertForm(PortalForm):
    """An admin erases a report at once, after ticking the confirmation."""

    confirm = BooleanField(
        _l("I understand that the report's text, place, contact and messages are deleted "
           "for good"),
        validators=[InputRequired(message=_l("Please confirm the erasure."))],
    )
