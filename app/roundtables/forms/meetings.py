"""Meeting forms: plan a meeting, agenda, attendance, minutes, decisions, calendar filters."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired

from app.accounts.choices import COUNTRIES
from app.accounts.forms import MultiCheckboxField, at_most, choice_list
from app.core.forms import PortalForm
from app.core.i18n import LANGUAGE_LABELS
from app.roundtables.choices import MEETING_KIND_LABELS
from app.roundtables.services.meetings import NonexistentLocalTime, local_to_utc

ANY = [SelectChoice("", _l("Any"))]


class ButtonForm(PortalForm):
    """A button that only needs the CSRF token (cancel, delete, feed reset and revoke)."""


class MeetingForm(PortalForm):
    """Plan or change a meeting; validate() also works out starts_at and ends_at in UTC."""

    title = StringField(_l("Title"), validators=[
        DataRequired(message=_l("Please give the meeting a title.")), at_most(200)])
    kind = SelectField(_l("Kind"), choices=choice_list(MEETING_KIND_LABELS))
    language = SelectField(_l("Language"))
    day = DateField(_l("Date"), validators=[InputRequired(message=_l("Please choose a date."))])
    start_time = TimeField(_l("Starts at"), validators=[
        InputRequired(message=_l("Please give a start time."))])
    end_time = TimeField(_l("Ends at"), validators=[
        InputRequired(message=_l("Please give an end time."))])
    timezone = SelectField(_l("Time zone"))
    place = StringField(_l("Place"), validators=[at_most(300)])
    online_link = StringField(_l("Online meeting link"), validators=[at_most(500)])
    public = BooleanField(_l("List this meeting on the public calendar"))

    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def validate(self, extra_validators=None, now: datetime | None = None) -> bool:
        """Field checks, then place-or-link, the times in the chosen zone and their order;
        with `now`, a start in the past is refused too."""
        valid = super().validate(extra_validators)
        valid = self._check_where() and valid
        return self._check_times(now) and valid

    def _check_where(self) -> bool:
        """A place, an https link or both."""
        link = (self.online_link.data or "").strip()
        if link and not _is_https_url(link):
            self.online_link.errors.append(_l("Please give a link that starts with https://."))
            return False
        if not link and not (self.place.data or "").strip():
            self.place.errors.append(_l("Please give a place, an online link or both."))
            return False
        return True

    def _check_times(self, now: datetime | None) -> bool:
        """Convert both times to UTC; end after start; no start in the past when asked."""
        if self.day.errors or self.start_time.errors or self.end_time.errors \
                or self.timezone.errors or self.day.data is None:
            return False
        starts_at = self._moment(self.start_time)
        ends_at = self._moment(self.end_time)
        if starts_at is None or ends_at is None:
            return False
        if ends_at <= starts_at:
            self.end_time.errors.append(_l("The meeting must end after it starts."))
            return False
        if now is not None and starts_at < now:
            self.day.errors.append(_l("The meeting cannot start in the past."))
            return False
        self.starts_at, self.ends_at = starts_at, ends_at
        return True

    def _moment(self, field: TimeField) -> datetime | None:
        """The field's time on the chosen day in UTC, or None with an error on the field."""
        try:
            return local_to_utc(self.day.data, field.data, self.timezone.data)
        except NonexistentLocalTime:
            field.errors.append(_l("This time does not exist on that day in this time zone "
                                   "(the clocks move forward); please choose another."))
            return None


def _is_https_url(link: str) -> bool:
    """An absolute https:// address with a host and no spaces."""
    parts = urlsplit(link)
    return parts.scheme == "https" and bool(parts.hostname) and not any(c.isspace() for c in link)


class AttendanceForm(PortalForm):
    """A member's answer to an invitation."""

    status = SelectField(_l("Your answer"), choices=[
        SelectChoice("confirmed", _l("I will attend")),
        SelectChoice("excused", _l("I cannot attend"))])


class RecordAttendanceForm(PortalForm):
    """From the meeting's start: tick who attended (the others keep their own answer)."""

    attended = MultiCheckboxField(_l("Who attended"), coerce=int, validate_choice=True)


class AgendaItemForm(PortalForm):
    """A point on the agenda: its owner and an ARENA case of the roundtable's country."""

    title = StringField(_l("Agenda point"), validators=[
        DataRequired(message=_l("Please name the agenda point.")), at_most(200)])
    owner = SelectField(_l("Owner"), coerce=str)
    # The view checks the case (same country, visible) with a translated message.
    case = SelectField(_l("Linked ARENA case"), coerce=str, validate_choice=False)

    def case_id(self) -> int | None:
        """The chosen case's id (None for "No case")."""
        value = (self.case.data or "").strip()
        return int(value) if value.isdigit() else None


class MoveForm(PortalForm):
    """Move an agenda point up or down."""

    direction = SelectField(choices=[SelectChoice("up", _l("Up")),
                                         SelectChoice("down", _l("Down"))])


class MinutesForm(PortalForm):
    """The meeting's minutes in Markdown."""

    minutes = TextAreaField(_l("Minutes"), validators=[at_most(50_000)])


class DecisionForm(PortalForm):
    """One decision taken at the meeting."""

    text = TextAreaField(_l("Decision"), validators=[
        DataRequired(message=_l("Please write the decision.")), at_most(2_000)])


class CalendarFilterForm(PortalForm):
    """Public calendar filters (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    country = SelectField(_l("Country"), choices=ANY + choice_list(COUNTRIES))
    language = SelectField(_l("Language"), choices=ANY + choice_list(LANGUAGE_LABELS))
