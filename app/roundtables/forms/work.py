"""Forms for a roundtable's joint work: action items, adopted cases and joint evaluations."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    NumberRange,
    Optional,
    ValidationError,
)

from app.accounts.forms import at_most, choice_list
from app.core.forms import PortalForm
from app.core.i18n import LANGUAGE_LABELS
from app.roundtables.choices import ACTION_STATUS_LABELS
from app.roundtables.models import Meeting, Roundtable

TEXT_MAX = 5_000
NONE = [SelectChoice("", _l("None"))]
# Where a status button sends the member back to (a key, never an address).
RETURN_TO = ("mine", "meeting", "roundtable", "case")


class ActionForm(PortalForm):
    """A new action item: what, who, by when, and the meeting or adopted case it belongs to."""

    # Ids of their own: the form shares the meeting page with the agenda and minutes forms.
    title = StringField(_l("What is to be done"), id="action-title", validators=[
        DataRequired(message=_l("Please say what is to be done.")), at_most(300)])
    owner = SelectField(_l("Who does it"), id="action-owner", choices=[], validators=[
        InputRequired(message=_l("Please choose who does it."))])
    due_on = DateField(_l("Due date"), id="action-due-on", validators=[
        InputRequired(message=_l("Please give a due date (YYYY-MM-DD)."))])
    meeting = SelectField(_l("Agreed at the meeting"), id="action-meeting", choices=NONE,
                          validators=[Optional()])
    case = SelectField(_l("About the adopted case"), id="action-case", choices=NONE,
                       validators=[Optional()])

    def validate_due_on(self, field) -> None:
        """A new action is due today (UTC) or later."""
        from app.roundtables.services.actions import today

        if field.data is not None and field.data < today():
            raise ValidationError(_l("The due date cannot be in the past."))

    def chosen_id(self, name: str) -> int | None:
        """The id picked in a select (None for "None")."""
        value = self[name].data
        return int(value) if value and str(value).isdigit() else None


def action_form(roundtable: Roundtable, meeting: Meeting | None = None,
                **kwargs) -> ActionForm:
    """The action form with the roundtable's active members, meetings and adopted cases to
    choose from (the meeting page preselects its meeting)."""
    from app.roundtables.services.actions import action_meetings, possible_owners
    from app.roundtables.services.cases import adopted_cases

    form = ActionForm(**kwargs)
    form.owner.choices = [SelectChoice(str(u.id), u.name) for u in possible_owners(roundtable)]
    meetings = action_meetings(roundtable)
    if meeting is not None and meeting not in meetings:
        meetings.insert(0, meeting)
    form.meeting.choices = NONE + [
        SelectChoice(str(m.id), f"{m.title} ({format_date(m.starts_at)})") for m in meetings]
    form.case.choices = NONE + [SelectChoice(str(c.id), _l("Case #%(id)s", id=c.id))
                                for c in adopted_cases(roundtable)]
    if meeting is not None and not form.is_submitted():
        form.meeting.data = str(meeting.id)
    return form


class ActionStatusForm(PortalForm):
    """Mark an action open, done or dropped."""

    status = HiddenField(validators=[AnyOf(tuple(ACTION_STATUS_LABELS))])
    back = HiddenField(validators=[Optional(), AnyOf(RETURN_TO)])


class AdoptCaseForm(PortalForm):
    """Adopt an open ARENA case of the roundtable's country (choices set by the view; the
    service checks the chosen case again)."""

    case = SelectField(_l("Case to adopt"), id="adopt-case", coerce=int, choices=[],
                       validate_choice=False, validators=[
                           InputRequired(message=_l("Please choose a case.")),
                           NumberRange(min=1, message=_l("Please choose a case."))])


class EvaluationForm(PortalForm):
    """The joint evaluation: four short questions in one of the working languages."""

    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Please give the evaluation a title.")), at_most(200)])
    language = SelectField(_l("Language of the text"), choices=[])
    worked = TextAreaField(_l("What worked"), validators=[at_most(TEXT_MAX)])
    did_not_work = TextAreaField(_l("What did not work"), validators=[at_most(TEXT_MAX)])
    to_change = TextAreaField(_l("What to change"), validators=[at_most(TEXT_MAX)])
    who_should_know = TextAreaField(_l("Who should know"), validators=[at_most(TEXT_MAX)])

    def validate_worked(self, field) -> None:
        """At least one of the four questions needs an answer."""
        if not any((f.data or "").strip() for f in (field, self.did_not_work, self.to_change,
                                                     self.who_should_know)):
            raise ValidationError(_l("Please answer at least one of the questions."))


def evaluation_form(roundtable: Roundtable, **kwargs) -> EvaluationForm:
    """The evaluation form offering the roundtable's working languages."""
    form = EvaluationForm(**kwargs)
    languages = [code for code in roundtable.languages or [] if code in LANGUAGE_LABELS]
    form.language.choices = choice_list({code: LANGUAGE_LABELS[code]
                                         for code in languages or ["en"]})
    return form
