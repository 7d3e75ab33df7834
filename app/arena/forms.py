"""ARENA forms: labels and messages translated lazily; every form carries a CSRF token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.accounts.choices import COUNTRIES, EXPERTISE, PROFESSIONS
from app.accounts.forms import MultiCheckboxField, choice_list
from app.alerts.choices import CATEGORY_LABELS
from app.arena.choices import (
    ACTOR_LABELS,
    CASE_STATUS_LABELS,
    DELIVERY_LABELS,
    NOTIFICATION_KIND_LABELS,
    URGENCY_LABELS,
)
from app.core.forms import PortalForm
from app.core.i18n import LANGUAGE_LABELS

ANY = [SelectChoice("", _l("Any"))]
BODY_MAX = 10_000


def _body(label, message, **options) -> TextAreaField:
    """A required Markdown text area of sensible length."""
    return TextAreaField(label, **options, validators=[
        DataRequired(message=message),
        Length(max=BODY_MAX, message=_l("Please keep it under %(max)d characters.")),
    ])


class BoardFilterForm(PortalForm):
    """Case board filters (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), choices=ANY + choice_list(CASE_STATUS_LABELS))
    category = SelectField(_l("Category"), choices=ANY + choice_list(CATEGORY_LABELS))
    city = SelectField(_l("Community"), choices=ANY, validate_choice=False)
    date_from = DateField(_l("Reported from"), validators=[Optional()])
    date_to = DateField(_l("Reported until"), validators=[Optional()])
    no_response = BooleanField(_l("No response yet"))


class CommentForm(PortalForm):
    """A comment in the case discussion."""

    body = _body(_l("Your comment"), _l("Please write a comment."), id="comment-body")


class RecommendationForm(PortalForm):
    """A structured recommendation for the reporter."""

    action = TextAreaField(_l("What to do"), validators=[
        DataRequired(message=_l("Please say what should be done.")), Length(max=BODY_MAX),
    ])
    reason = TextAreaField(_l("Why"), validators=[
        DataRequired(message=_l("Please explain why.")), Length(max=BODY_MAX),
    ])
    actors = MultiCheckboxField(
        _l("Who should act"), choices=choice_list(ACTOR_LABELS),
        validators=[InputRequired(message=_l("Please choose at least one."))],
    )
    urgency = RadioField(
        _l("How urgent"), choices=choice_list(URGENCY_LABELS), default="medium",
        validators=[InputRequired(message=_l("Please choose how urgent it is."))],
    )
    resource_query = StringField(_l("Find library resources"), validators=[Optional()])
    resources = MultiCheckboxField(_l("Linked library resources"), coerce=int, choices=[],
                                   validate_choice=False)
    resource_slugs = StringField(_l("Or paste the address of a library page"),
                                 validators=[Optional()])


class MessageForm(PortalForm):
    """A message (to the reporter, or to another member)."""

    body = _body(_l("Message"), _l("Please write a message."), id="message-body")


class AssignForm(PortalForm):
    """A coordinator assigns a member of the case's country."""

    member = SelectField(_l("Member"), coerce=int, validate_choice=False,
                         validators=[InputRequired(message=_l("Please choose a member."))])


class MergeForm(PortalForm):
    """A coordinator marks the case as a duplicate of another case."""

    target = IntegerField(_l("Number of the original case"), validators=[
        InputRequired(message=_l("Please enter the case number.")), NumberRange(min=1),
    ])


class CloseForm(PortalForm):
    """Close the case and record the outcome."""

    outcome = _body(_l("Outcome"), _l("Please describe the outcome."))


class ActionForm(PortalForm):
    """A button that only needs the CSRF token (take lead, follow, release, reopen)."""


class DirectoryForm(PortalForm):
    """Members directory search (GET)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name, organisation or keywords"), validators=[Optional()])
    expertise = SelectField(_l("Expertise"), choices=ANY + choice_list(EXPERTISE))
    country = SelectField(_l("Country"), choices=ANY + choice_list(COUNTRIES))
    language = SelectField(_l("Working language"), choices=ANY + choice_list(LANGUAGE_LABELS))
    profession = SelectField(_l("Profession"), choices=ANY + choice_list(PROFESSIONS))


class AnsweredFilterForm(PortalForm):
    """Filters of the "answered by the library" lane (GET, no CSRF: it changes nothing); the
    country only for admins."""

    class Meta:
        csrf = False

    category = SelectField(_l("Category"), choices=ANY + choice_list(CATEGORY_LABELS))
    country = SelectField(_l("Country"), choices=ANY + choice_list(COUNTRIES))


def preferences_form(current: dict[str, str]) -> type[PortalForm]:
    """A form class with one radio group per notification kind, preset to the member's choice."""

    class PreferencesForm(PortalForm):
        """Notification delivery per kind."""

    for kind, label in NOTIFICATION_KIND_LABELS.items():
        field = RadioField(label, choices=choice_list(DELIVERY_LABELS), default=current[kind])
        setattr(PreferencesForm, kind, field)
    return PreferencesForm
