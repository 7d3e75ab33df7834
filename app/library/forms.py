"""Library forms: the expert editor and the coordinator's review (labels translated lazily)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
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
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.accounts.choices import COUNTRIES, PROFESSIONS
from app.accounts.forms import MultiCheckboxField, choice_list
from app.core.forms import PortalForm
from app.core.i18n import LANGUAGE_LABELS
from app.library import directory_access
from app.library.choices import (
    DEFAULT_EVIDENCE,
    EVIDENCE_LABELS,
    TRAINING_FORMATS,
    topic_choices,
)
from app.library.models import EMBED_PREFIXES


def agencies() -> dict:
    """The roundtables' agency types (imported late: the roundtables package imports features
    that import the library)."""
    from app.roundtables.choices import AGENCY_LABELS

    return AGENCY_LABELS


# Directory fields stored in `extra` (the donor's deadline has its own column).
DIRECTORY_EXTRA = ("rolling", "amount_from", "amount_to", "website", "city", "agency",
                   "languages", "formats")
# Editor fields that only some types have (the others are removed from the form).
TYPE_FIELDS = {
    "evidence": "practice", "format": "training", "embed_url": "video",
    "duration": "video training",
    "deadline": "donor", "rolling": "donor", "amount_from": "donor", "amount_to": "donor",
    "website": "donor trainer organisation expert", "city": "trainer organisation",
    "agency": "trainer organisation", "languages": "trainer expert", "formats": "trainer",
    "member_email": "trainer organisation",
}


class ItemForm(PortalForm):
    """A practice, lesson, training material or video written on the portal."""

    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Please give a title.")),
        Length(max=300, message=_l("The title is too long (at most %(max)d characters)."))])
    summary = TextAreaField(_l("Summary"), validators=[
        Length(max=600, message=_l("The summary is too long (at most %(max)d characters)."))])
    body = TextAreaField(_l("Text (Markdown)"), validators=[
        DataRequired(message=_l("Please write the text."))])
    language = SelectField(_l("Language of the text"), choices=choice_list(LANGUAGE_LABELS))
    topics = MultiCheckboxField(_l("Topics"))
    countries = MultiCheckboxField(_l("Countries"), choices=choice_list(COUNTRIES))
    audience = MultiCheckboxField(_l("For whom"), choices=choice_list(PROFESSIONS))
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    # Preset to the weakest claim ("inspiring": from practice, not evaluated) so a first save
    # never fails, and a practice never claims an evaluation its author did not choose.
    evidence = RadioField(_l("Evidence"), choices=choice_list(EVIDENCE_LABELS),
                          default=DEFAULT_EVIDENCE,
                          validators=[DataRequired(_l("Please choose an evidence label."))])
    format = SelectField(_l("Format"), choices=choice_list(TRAINING_FORMATS),
                         validators=[Optional()])
    embed_url = StringField(_l("Video embed address"), validators=[Optional(), Length(max=300)])
    duration = StringField(_l("Duration"), validators=[Optional(), Length(max=20)])
    # Directory entries (donors, trainers, organisations, experts).
    deadline = DateField(_l("Deadline of the next call"), validators=[Optional()])
    rolling = BooleanField(_l("Rolling: applications at any time"))
    amount_from = IntegerField(_l("Amount from (EUR)"), validators=[
        Optional(), NumberRange(min=0, message=_l("Please give an amount of 0 or more."))])
    amount_to = IntegerField(_l("Amount up to (EUR)"), validators=[
        Optional(), NumberRange(min=0, message=_l("Please give an amount of 0 or more."))])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=120)])
    agency = SelectField(_l("Agency type"), validators=[Optional()])  # choices: __init__
    languages = MultiCheckboxField(_l("Languages"), choices=choice_list(LANGUAGE_LABELS))
    formats = MultiCheckboxField(_l("Training formats"), choices=choice_list(TRAINING_FORMATS))
    member_email = StringField(_l("Linked member (e-mail address of their account)"),
                               validators=[Optional(), Length(max=254), Email(message=_l(
                                   "Please enter a valid e-mail address, like name@example.org."))])

    def __init__(self, item_type: str, language: str, *args, is_new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_type, self.is_new = item_type, is_new
        self.topics.choices = choice_list(dict(topic_choices(language)))
        for name, types in TYPE_FIELDS.items():
            if item_type not in types.split():
                delattr(self, name)
        if "agency" in self:
            self.agency.choices = [SelectChoice("", _l("Not given")), *choice_list(agencies())]

    def validate_deadline(self, field: DateField) -> None:
        """A new call cannot close in the past."""
        if self.is_new and field.data and field.data < directory_access.today():
            raise ValidationError(_l("The deadline of a new call cannot be in the past."))

    def validate_amount_to(self, field: IntegerField) -> None:
        """The range runs from the smaller to the larger amount."""
        low = self.amount_from.data
        if field.data is not None and low is not None and low > field.data:
            raise ValidationError(_l("The amount up to must not be smaller than the amount "
                                     "from."))

    def validate_website(self, field: StringField) -> None:
        """Only web addresses (http or https)."""
        if field.data and not field.data.strip().startswith(("http://", "https://")):
            raise ValidationError(_l("Please give an address starting with https://."))

    def directory_extra(self) -> dict:
        """The directory fields present on this form, as they are stored in `extra`."""
        values = {name: getattr(self, name).data for name in DIRECTORY_EXTRA
                  if name in self}
        for name in ("website", "city", "agency"):
            if name in values:
                values[name] = (values[name] or "").strip()
        if "amount_from" in self:
            values["currency"] = "EUR"
        return values

    def validate_embed_url(self, field: StringField) -> None:
        """Only the privacy-friendly embed hosts are accepted."""
        if field.data and not field.data.startswith(EMBED_PREFIXES):
            raise ValidationError(_l(
                "Use an embed address from youtube-nocookie.com or player.vimeo.com."))


class ReviewForm(PortalForm):
    """A coordinator's decision: publish, or return with a comment."""

    comment = TextAreaField(_l("Comment for the author"), validators=[Length(max=4000)])
    # Set by the pressed button (name="action"): "publish" or "return".
    action = StringField(validators=[AnyOf(("publish", "return"))])

    def validate_comment(self, field: TextAreaField) -> None:
        """Returning an item needs a comment saying what to change."""
        if self.action.data == "return" and not (field.data or "").strip():
            raise ValidationError(_l("Please say what the author should change."))


class RetireForm(PortalForm):
    """Why a directory entry leaves the lists (kept with the entry)."""

    reason = TextAreaField(_l("Why is this entry retired?"), validators=[
        DataRequired(message=_l("Please give a reason.")), Length(max=1000)])


class ConfirmForm(PortalForm):
    """A button-only form (CSRF token included)."""


class AttachmentForm(PortalForm):
    """A file for an item, with an optional title (the type is decided from the content)."""

    file = FileField(_l("File"), validators=[FileRequired(_l("Please choose a file."))])
    title = StringField(_l("Title (optional)"), validators=[
        Optional(), Length(max=300, message=_l("The title is too long (at most %(max)d "
                                               "characters)."))])
