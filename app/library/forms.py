"""Library forms: the expert editor and the coordinator's review (labels translated lazily)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from app.accounts.choices import COUNTRIES, PROFESSIONS
from app.accounts.forms import MultiCheckboxField, choice_list
from app.core.forms import PortalForm
from app.core.i18n import LANGUAGE_LABELS
from app.library.choices import (
    DEFAULT_EVIDENCE,
    EVIDENCE_LABELS,
    TRAINING_FORMATS,
    topic_choices,
)
from app.library.models import EMBED_PREFIXES


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

    def __init__(self, item_type: str, language: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_type = item_type
        self.topics.choices = choice_list(dict(topic_choices(language)))
        for name, types in (("evidence", "practice"), ("format", "training"),
                            ("embed_url", "video"), ("duration", "video training")):
            if item_type not in types.split():
                delattr(self, name)

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


class ConfirmForm(PortalForm):
    """A button-only form (CSRF token included)."""
