"""Forms of ALERT: the report, the receipt code, the reporter's message, withdrawal."""

from __future__ import annotations

import re
import secrets
from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.accounts.forms import MultiCheckboxField, choice_list
from app.alerts.choices import (
    ALERT_COUNTRIES,
    CATEGORY_LABELS,
    REPORTER_ROLES,
    SETTING_LABELS,
    URGENCY_LABELS,
)
from app.core.forms import PortalForm

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
SUBMISSION_KEY = re.compile(r"[A-Za-z0-9_-]{32}")  # secrets.token_urlsafe(24)
CHOOSE = _l("Choose one of the options.")


class DateInputField(DateField):
    """A date field whose parse error is one of ours (translated)."""

    def process_formdata(self, valuelist):
        """Parse the date; a translated message when it is not one."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            message = _l("Enter the date as year-month-day, for example 2026-03-14.")
            raise ValueError(message) from error


def _choice(options: dict, message=CHOOSE):
    """Validator: the value must be one of the option keys."""
    return AnyOf(list(options), message=message)


class SubsetOf:
    """Validator: every chosen value is one of the options."""

    def __init__(self, options: dict, message=CHOOSE):
        self.options, self.message = set(options), message

    def __call__(self, form, field):
        """Refuse unknown values."""
        if not set(field.data or []) <= self.options:
            raise ValidationError(self.message)


class AlertForm(PortalForm):
    """The incident report (description, categories, country, setting, consent required)."""

    description = TextAreaField(
        _l("What happened?"),
        validators=[
            DataRequired(_l("Describe what happened.")),
            Length(30, 10000, _l("The description needs between 30 and 10,000 characters.")),
        ],
    )
    categories = MultiCheckboxField(
        _l("What kind of incident is it?"),
        choices=choice_list(CATEGORY_LABELS), validate_choice=False,
        validators=[DataRequired(_l("Choose at least one kind of incident.")),
                    SubsetOf(CATEGORY_LABELS)],
    )
    danger = BooleanField(_l("Someone is in immediate danger"))
    country = SelectField(
        _l("Country"), choices=choice_list({"": _l("Choose a country"), **ALERT_COUNTRIES}),
        validate_choice=False,
        validators=[DataRequired(_l("Choose the country.")), _choice(ALERT_COUNTRIES)],
    )
    city = StringField(_l("City or community"), validators=[
        Optional(), Length(max=120, message=_l("Use at most 120 characters."))])
    occurred_on = DateInputField(_l("When did it happen?"), validators=[Optional()])
    setting = SelectField(
        _l("Where did it happen?"),
        choices=choice_list({"": _l("Choose a setting"), **SETTING_LABELS}),
        validate_choice=False,
        validators=[DataRequired(_l("Choose the setting.")), _choice(SETTING_LABELS)],
    )
    affected = StringField(_l("Who is affected?"), validators=[
        Optional(), Length(max=300, message=_l("Use at most 300 characters."))])
    urgency = RadioField(
        _l("How urgent is it?"), choices=choice_list(URGENCY_LABELS), default="medium",
        validate_choice=False,
        validators=[InputRequired(_l("Choose how urgent it is.")), _choice(URGENCY_LABELS)],
    )
    reporter_role = SelectField(
        _l("Your role"), choices=choice_list(REPORTER_ROLES), default="other",
        validate_choice=False, validators=[_choice(REPORTER_ROLES)],
    )
    contact_email = EmailField(_l("Contact e-mail (optional)"), validators=[
        Optional(), Length(max=254, message=_l("Use at most 254 characters.")),
        Regexp(EMAIL_PATTERN, message=_l("Enter a valid e-mail address, or leave it empty."))])
    consent = BooleanField(
        _l("I have read the privacy notice and agree that this report is stored as described."),
        validators=[DataRequired(_l("Please agree to the privacy notice to send the report."))],
    )
    # Honeypot: hidden from people, filled in by bots.
    website = StringField(_l("Leave this field empty"))
    # One-time key of this form: a resend (after an error, or a second click) finds the alert
    # the first send stored instead of storing it twice. Anything else is ignored.
    submission_key = HiddenField()
    # "keep" once the reporter chose to send a text without words as it is (kept through
    # the contact-details step); anything else is ignored.
    words_confirmed = HiddenField()

    def fill_submission_key(self) -> str:
        """This form's one-time key: the one it was sent with if well-formed, else a new one
        (a re-rendered form keeps its key)."""
        if not SUBMISSION_KEY.fullmatch(self.submission_key.data or ""):
            self.submission_key.data = secrets.token_urlsafe(24)
        return self.submission_key.data

    def validate_occurred_on(self, field):
        """An incident cannot have happened in the future."""
        if field.data and field.data > date.today():
            raise ValidationError(_l("The date cannot be in the future."))


class ReceiptForm(PortalForm):
    """The receipt code, typed in (never part of a URL)."""

    code = StringField(_l("Receipt code"), validators=[
        DataRequired(_l("Enter your receipt code.")),
        Length(max=80, message=_l("This is longer than a receipt code."))])


class ReporterMessageForm(PortalForm):
    """A message from the reporter to the experts."""

    body = TextAreaField(_l("Your message"), validators=[
        DataRequired(_l("Write a message.")),
        Length(max=5000, message=_l("Use at most 5,000 characters."))])


class ConfirmForm(PortalForm):
    """An empty form: a button with a CSRF token (forward, withdraw, leave)."""


class FeedbackForm(PortalForm):
    """"Helped" or "did not help" on one recommended item (its two buttons send `helped`)."""

    doc_id = HiddenField(validators=[DataRequired(), Length(max=240)])
    helped = HiddenField(validators=[AnyOf(["yes", "no"])])
