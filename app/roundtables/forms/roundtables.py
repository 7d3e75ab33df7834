"""Forms to create and edit a roundtable, and to contact its secretariat from the public profile."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from app.accounts.forms import MultiCheckboxField, at_most, choice_list
from app.core.forms import PortalForm
from app.core.i18n import LANGUAGE_LABELS

DESCRIPTION_MAX = 10_000
MESSAGE_MAX = 5_000


class RoundtableForm(PortalForm):
    """What a roundtable's managers can change: name, place, languages, description, profile."""

    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Please give the roundtable a name.")), at_most(160)])
    city = StringField(_l("City or area"), validators=[
        DataRequired(message=_l("Please say where the roundtable meets.")), at_most(120)])
    languages = MultiCheckboxField(
        _l("Working languages"), choices=choice_list(LANGUAGE_LABELS),
        validators=[InputRequired(message=_l("Please choose at least one working language."))],
    )
    description = TextAreaField(_l("Description"), validators=[
        Optional(), at_most(DESCRIPTION_MAX)])
    public_profile = BooleanField(_l("Show a short public profile (name, city, agencies present "
                                     "and a contact form; never member names)"))


class NewRoundtableForm(RoundtableForm):
    """A new roundtable: also its country and first secretariat (choices set by the view)."""

    country = SelectField(_l("Country"), choices=[])
    secretariat = SelectMultipleField(
        _l("Secretariat"), coerce=int, choices=[],
        validators=[InputRequired(message=_l("Please choose at least one secretariat member."))],
    )

    def validate_secretariat(self, field) -> None:
        """Every secretariat member must come from the roundtable's country."""
        countries = getattr(self, "member_countries", {})
        if any(countries.get(user_id) != self.country.data for user_id in field.data or ()):
            field.errors.append(_l("Choose approved members of the roundtable's country."))


class ContactForm(PortalForm):
    """A message to the secretariat from the public profile (sent by e-mail, never stored)."""

    name = StringField(_l("Your name"), validators=[
        DataRequired(message=_l("Please give your name.")), at_most(120)])
    email = EmailField(_l("Your e-mail address"), validators=[
        DataRequired(message=_l("Please give your e-mail address so they can answer.")),
        Email(message=_l("Please enter a valid e-mail address, like name@example.org.")),
        at_most(254),
    ])
    message = TextAreaField(_l("Your message"), validators=[
        DataRequired(message=_l("Please write a message.")), Length(
            max=MESSAGE_MAX, message=_l("Please use at most %(max)d characters."))])
