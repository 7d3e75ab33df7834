"""Account forms: every label and message translated lazily, nothing typed is lost on error."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.accounts.choices import COUNTRIES, EXPERTISE, MEMBER_KINDS, PROFESSIONS
from app.accounts.passwords import password_problem
from app.core.forms import PortalForm
from app.core.i18n import LANGUAGE_LABELS

PASSWORD_MIN = 12
PASSWORD_MAX = 128

PASSWORD_LENGTH = Length(
    min=PASSWORD_MIN,
    max=PASSWORD_MAX,
    message=_l("Use between %(min)d and %(max)d characters."),
)


def choice_list(labels: dict) -> list[SelectChoice]:
    """Choices from a {key: lazy label} mapping (WTForms 3.3 deprecates plain tuples)."""
    return [SelectChoice(key, label) for key, label in labels.items()]


class _OptionCheckbox(CheckboxInput):
    """A checkbox in a group: "required" belongs to the group (legend), not to each box."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("required", False)
        return super().__call__(field, **kwargs)


class MultiCheckboxField(SelectMultipleField):
    """Several choices as a list of checkboxes (rendered by forms.field as a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = _OptionCheckbox()


def _required(message) -> DataRequired:
    """DataRequired with a translated message."""
    return DataRequired(message=message)


def at_most(limit: int) -> Length:
    """Length(max=limit) with the translated "at most" message."""
    return Length(max=limit, message=_l("Please use at most %(max)d characters."))


def _email_field() -> EmailField:
    """The e-mail field shared by login, registration and password reset."""
    return EmailField(
        _l("E-mail address"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            _required(_l("Please enter your e-mail address.")),
            Email(message=_l("Please enter a valid e-mail address, like name@example.org.")),
            Length(max=254, message=_l("The e-mail address is too long.")),
        ],
    )


def _new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation."""
    password = PasswordField(
        _l("Password"),
        validators=[_required(_l("Please choose a password.")), PASSWORD_LENGTH],
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            _required(_l("Please repeat the password.")),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )
    return password, confirm


class NewPasswordChecks:
    """Refuse a new password that is breached or close to the owner's name or address.

    Registration reads the owner from its own fields; other forms get `account` (the User)
    from the view."""

    account = None

    def _owner(self) -> tuple[str, str]:
        """E-mail address and name of the person choosing the password."""
        if "email" in self and "name" in self:
            return self.email.data or "", self.name.data or ""
        return getattr(self.account, "email", ""), getattr(self.account, "name", "")

    def validate_password(self, field: PasswordField) -> None:
        """Run after the length check; one message at a time."""
        if field.errors or not field.data:
            return
        email, name = self._owner()
        check = current_app.config["BREACHED_PASSWORD_CHECK"]
        problem = password_problem(field.data, email, name, check_breached=check)
        if problem:
            raise ValidationError(problem)


class ProfileForm(PortalForm):
    """What a member tells others about themselves (also the editable part of registration)."""

    name = StringField(
        _l("Name"),
        validators=[
            _required(_l("Please enter your name.")),
            at_most(120),
        ],
    )
    organisation = StringField(
        _l("Organisation"),
        validators=[at_most(200)],
    )
    profession = SelectField(
        _l("Profession"),
        choices=choice_list(PROFESSIONS),
        validators=[InputRequired(message=_l("Please choose your profession."))],
    )
    city = StringField(
        _l("City or community"),
        validators=[at_most(120)],
    )
    working_languages = MultiCheckboxField(
        _l("Working languages"),
        choices=choice_list(LANGUAGE_LABELS),
        validators=[_required(_l("Please choose at least one working language."))],
    )
    expertise = MultiCheckboxField(_l("Areas of expertise"), choices=choice_list(EXPERTISE))
    bio = TextAreaField(
        _l("Short bio"),
        validators=[
            Optional(),
            at_most(2000),
        ],
    )
    public_profile = BooleanField(_l("Show my profile to other approved members"))


class RegistrationForm(NewPasswordChecks, ProfileForm):
    """Registration as a first-line practitioner or an expert."""

    kind = RadioField(
        _l("I register as"),
        choices=choice_list(MEMBER_KINDS),
        default="practitioner",
        validators=[InputRequired(message=_l("Please choose practitioner or expert."))],
    )
    email = _email_field()
    password, confirm = _new_password_fields()
    country = SelectField(
        _l("Country"),
        choices=choice_list(COUNTRIES),
        validators=[InputRequired(message=_l("Please choose your country."))],
    )

    def validate_expertise(self, field: MultiCheckboxField) -> None:
        """Experts name at least one area, so members can find them."""
        if self.kind.data == "expert" and not field.data:
            raise ValidationError(_l("Experts choose at least one area of expertise."))


class LoginForm(PortalForm):
    """E-mail and password."""

    email = _email_field()
    password = PasswordField(
        _l("Password"), validators=[_required(_l("Please enter your password."))]
    )


class ForgotPasswordForm(PortalForm):
    """Ask for a password reset link."""

    email = _email_field()


class ResetPasswordForm(NewPasswordChecks, PortalForm):
    """Choose a new password from a reset link."""

    password, confirm = _new_password_fields()


class ChangePasswordForm(NewPasswordChecks, PortalForm):
    """Change the password while logged in."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[_required(_l("Please enter your current password."))],
    )
    password, confirm = _new_password_fields()


class ConfirmPasswordForm(PortalForm):
    """Confirm a sensitive step (new recovery codes, ...) with the password."""

    current_password = PasswordField(
        _l("Your password"),
        validators=[_required(_l("Please enter your password to confirm."))],
    )


class DeleteAccountForm(ConfirmPasswordForm):
    """Confirm deleting one's own account with the password."""


class TwoFactorCodeForm(PortalForm):
    """A six-digit code from the authenticator app."""

    code = StringField(
        _l("Code from your authenticator app"),
        filters=[lambda value: "".join(value.split()) if isinstance(value, str) else value],
        validators=[
            _required(_l("Please enter the six-digit code.")),
            Length(min=6, max=6, message=_l("The code has six digits.")),
        ],
    )


class RecoveryCodeForm(PortalForm):
    """One of the recovery codes shown when two-factor authentication was set up."""

    recovery_code = StringField(
        _l("Recovery code"),
        validators=[_required(_l("Please enter a recovery code.")), at_most(40)],
    )


class DisableTwoFactorForm(ConfirmPasswordForm, TwoFactorCodeForm):
    """Turn two-factor authentication off: the password and a current code."""
