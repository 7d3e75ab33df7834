"""Meetings: plan, change and cancel; the meeting page with agenda, attendance, minutes,
decisions and its .ics file."""

from __future__ import annotations

from babel.dates import format_date, format_time
from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.access import approved_required
from app.accounts.models import User, utcnow
from app.arena.choices import CASE_STATUS_LABELS
from app.core.i18n import LANGUAGE_LABELS
from app.extensions import db
from app.roundtables import access, bp
from app.roundtables.choices import COUNTRY_TIMEZONES
from app.roundtables.forms.meetings import (
    AgendaItemForm,
    AttendanceForm,
    ButtonForm,
    DecisionForm,
    MeetingForm,
    MinutesForm,
    MoveForm,
    RecordAttendanceForm,
)
from app.roundtables.models import AgendaItem, Decision, Meeting, Roundtable
from app.roundtables.services import actions, calendar
from app.roundtables.services import meetings as service
from app.roundtables.views.helpers import commit, managed_roundtable, visible_roundtable


@bp.context_processor
def meeting_helpers() -> dict:
    """The meeting-time formatter for the roundtable templates."""
    return {"meeting_when": meeting_when}


def meeting_when(meeting: Meeting) -> str:
    """"10 Dec 2026, 18:00–20:00 (Europe/Berlin)": local date and times with the zone."""
    locale = get_locale()
    start = service.local_time(meeting, meeting.starts_at)
    end = service.local_time(meeting, meeting.ends_at)
    day = format_date(start, "medium", locale=locale)
    span = "–".join(format_time(moment, "short", tzinfo=moment.tzinfo, locale=locale)
                    for moment in (start, end))
    if end.date() != start.date():
        span += f" ({format_date(end, 'medium', locale=locale)})"
    return f"{day}, {span} ({meeting.timezone})"


def visible_meeting(meeting_id: int) -> Meeting:
    """The meeting, or 404 unless the visitor may see its roundtable."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    visible_roundtable(meeting.roundtable_id)
    return meeting


def managed_meeting(meeting_id: int) -> Meeting:
    """A visible meeting whose roundtable the visitor manages, else 403."""
    meeting = visible_meeting(meeting_id)
    managed_roundtable(meeting.roundtable_id)
    return meeting


def back_to_meeting(meeting: Meeting, anchor: str = ""):
    """Redirect to the meeting page (optionally to a section)."""
    return redirect(url_for("roundtables.view_meeting", meeting_id=meeting.id,
                            _anchor=anchor or None))


def refuse(meeting: Meeting, message: str, anchor: str = ""):
    """Stop here: say why (translated) and go back to the meeting page, nothing changed."""
    flash(message, "error")
    abort(back_to_meeting(meeting, anchor))


def editable_meeting(meeting_id: int) -> Meeting:
    """A managed meeting that is not cancelled (a cancelled meeting is read-only)."""
    meeting = managed_meeting(meeting_id)
    if meeting.is_cancelled:
        refuse(meeting, _("This meeting was cancelled; it can no longer be changed."))
    return meeting


# Planning -------------------------------------------------------------------------------------


@bp.route("/<int:roundtable_id>/meetings/new", methods=["GET", "POST"])
@approved_required
def new_meeting(roundtable_id: int):
    """Plan a meeting: every active member is invited and notified."""
    roundtable = managed_roundtable(roundtable_id)
    form = _meeting_form(roundtable)
    if request.method == "GET":
        form.timezone.data = COUNTRY_TIMEZONES.get(roundtable.country, "UTC")
        form.language.data = (roundtable.languages or ["en"])[0]
    elif form.is_submitted() and form.validate(now=utcnow()):
        meeting = service.create_meeting(roundtable, _plan(form), current_user)
        commit()
        flash(_("The meeting was planned and the members were invited."), "success")
        return back_to_meeting(meeting)
    status = 400 if request.method == "POST" else 200
    return render_template("roundtables/meeting_form.html", form=form,
                           roundtable=roundtable, meeting=None), status


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@approved_required
def edit_meeting(meeting_id: int):
    """Change a meeting; the invited hear about a new time, place or link."""
    meeting = editable_meeting(meeting_id)
    form = _meeting_form(meeting.roundtable, meeting)
    if request.method == "POST" and form.validate():
        told = service.update_meeting(meeting, _plan(form))
        commit()
        flash(_("The meeting was changed and the invited members were told.") if told
              else _("The meeting was changed."), "success")
        return back_to_meeting(meeting)
    status = 400 if request.method == "POST" else 200
    return render_template("roundtables/meeting_form.html", form=form,
                           roundtable=meeting.roundtable, meeting=meeting), status


@bp.post("/meetings/<int:meeting_id>/cancel")
@approved_required
def cancel_meeting(meeting_id: int):
    """Cancel an upcoming meeting; the invited are told and calendars show it as cancelled."""
    meeting = managed_meeting(meeting_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not service.is_upcoming(meeting):
        refuse(meeting, _("Only an upcoming meeting can be cancelled."))
    service.cancel_meeting(meeting)
    commit()
    flash(_("The meeting was cancelled and the invited members were told."), "success")
    return back_to_meeting(meeting)


def _meeting_form(roundtable: Roundtable, meeting: Meeting | None = None) -> MeetingForm:
    """The meeting form with the roundtable's languages and the offered zones."""
    form = MeetingForm(obj=meeting) if request.method == "GET" else MeetingForm()
    languages = list(roundtable.languages or ["en"])
    if meeting is not None and meeting.language not in languages:
        languages.append(meeting.language)
    form.language.choices = [SelectChoice(code, LANGUAGE_LABELS.get(code, code))
                             for code in languages]
    form.timezone.choices = [
        SelectChoice(zone, service.timezone_label(zone))
        for zone in service.meeting_timezones(meeting.timezone if meeting else None)]
    if meeting is not None and request.method == "GET":
        start = service.local_time(meeting, meeting.starts_at)
        form.day.data, form.start_time.data = start.date(), start.time()
        form.end_time.data = service.local_time(meeting, meeting.ends_at).time()
    return form


def _plan(form: MeetingForm) -> service.MeetingPlan:
    """The validated form as a meeting plan."""
    return service.MeetingPlan(
        title=form.title.data.strip(), kind=form.kind.data, language=form.language.data,
        starts_at=form.starts_at, ends_at=form.ends_at, timezone=form.timezone.data,
        place=(form.place.data or "").strip(), online_link=(form.online_link.data or "").strip(),
        public=bool(form.public.data),
    )


# The meeting page -----------------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>")
@approved_required
def view_meeting(meeting_id: int):
    """The meeting: time in its zone, place, agenda, attendance, minutes, decisions, actions."""
    meeting = visible_meeting(meeting_id)
    return render_template("roundtables/meeting.html", **meeting_page(meeting))


def meeting_page(meeting: Meeting, **forms) -> dict:
    """Everything the meeting page shows; forms passed in keep what the member typed."""
    roundtable = meeting.roundtable
    manager = access.can_manage(current_user, roundtable)
    editable = manager and not meeting.is_cancelled
    attendance = service.attendance_list(meeting)
    return {
        "meeting": meeting, "roundtable": roundtable, "manager": manager,
        "editable": editable, "upcoming": service.is_upcoming(meeting),
        "attendance": attendance, "own": _own_attendance(meeting),
        "cases": service.agenda_cases(meeting), "actions": actions.meeting_actions(meeting),
        "CASE_STATUS_LABELS": CASE_STATUS_LABELS, "LANGUAGE_LABELS": LANGUAGE_LABELS,
        "agenda_form": (forms.get("agenda_form") or _agenda_form(roundtable)) if editable
        else None,
        "decision_form": forms.get("decision_form") or DecisionForm(formdata=None),
        "record_form": _record_form(attendance)
        if editable and service.has_started(meeting) else None,
        "attendance_form": AttendanceForm(formdata=None),
    }


def _own_attendance(meeting: Meeting):
    """The viewer's invitation when they still hold an active seat (they may answer it)."""
    if not access.is_member(current_user, meeting.roundtable):
        return None
    return service.own_attendance(meeting, current_user)


def _record_form(attendance: list) -> RecordAttendanceForm:
    """Checkboxes of everyone invited, ticked for those recorded as attended."""
    form = RecordAttendanceForm(formdata=None)
    form.attended.choices = [SelectChoice(row.user_id, row.user.name) for row in attendance]
    form.attended.data = [row.user_id for row in attendance if row.status == "attended"]
    return form


def _agenda_form(roundtable: Roundtable, formdata=None) -> AgendaItemForm:
    """The agenda form with the roundtable's active members as possible owners and the
    cases it may link (adopted ones first)."""
    form = AgendaItemForm(formdata=formdata)
    form.owner.choices = [SelectChoice("", _("Nobody in particular")),
                          *(SelectChoice(str(user.id), user.name)
                            for user in service.active_members(roundtable))]
    form.case.choices = [SelectChoice("", _("No case")),
                         *(SelectChoice(str(case.id), _case_label(case))
                           for case in service.agenda_case_options(current_user, roundtable))]
    return form


def _case_label(case) -> str:
    """"Case #12 – In discussion – Berlin": number, status and city of a case."""
    parts = [_("Case #%(id)s", id=case.id),
             str(CASE_STATUS_LABELS.get(case.status, case.status)), case.city]
    return " – ".join(part for part in parts if part)


@bp.get("/meetings/<int:meeting_id>.ics")
@approved_required
def meeting_ics(meeting_id: int):
    """The meeting as an iCalendar file to import into a calendar application."""
    meeting = visible_meeting(meeting_id)
    body = calendar.meeting_calendar(meeting, g.get("lang_code") or "en")
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename=meeting-{meeting.id}.ics"
    return response


# Attendance ----------------------------------------------------------------------------------


@bp.post("/meetings/<int:meeting_id>/attendance")
@approved_required
def answer_invitation(meeting_id: int):
    """An invited member confirms or excuses themself, while the meeting is upcoming."""
    meeting = visible_meeting(meeting_id)
    own = _own_attendance(meeting)
    if own is None:
        abort(403)
    form = AttendanceForm()
    if not form.validate_on_submit():
        abort(400)
    if not service.is_upcoming(meeting):
        refuse(meeting, _("This meeting is over or cancelled; answers can no longer be "
                          "changed."), "attendance")
    service.answer_invitation(own, form.status.data)
    commit()
    flash(_("Your answer was saved."), "success")
    return back_to_meeting(meeting, "attendance")


@bp.post("/meetings/<int:meeting_id>/attendance/record")
@approved_required
def record_attendance(meeting_id: int):
    """From the meeting's start, the secretariat records who attended (the others keep
    their own answer)."""
    meeting = editable_meeting(meeting_id)
    if not service.has_started(meeting):
        refuse(meeting, _("Attendance can be recorded once the meeting has started."),
               "attendance")
    form = RecordAttendanceForm()
    form.attended.choices = [SelectChoice(row.user_id, row.user.name)
                             for row in service.attendance_list(meeting)]
    if not form.validate_on_submit():
        abort(400)
    service.record_attendance(meeting, set(form.attended.data or []))
    commit()
    flash(_("Attendance was recorded."), "success")
    return back_to_meeting(meeting, "attendance")


# Agenda ----------------------------------------------------------------------------------------


@bp.post("/meetings/<int:meeting_id>/agenda")
@approved_required
def add_agenda_item(meeting_id: int):
    """Add a point to the agenda, with an owner and an ARENA case of the same country."""
    meeting = editable_meeting(meeting_id)
    form = _agenda_form(meeting.roundtable, request.form)
    case = None
    if form.validate_on_submit():
        case = _agenda_case(form, meeting.roundtable)
    if form.errors:
        return render_template("roundtables/meeting.html",
                               **meeting_page(meeting, agenda_form=form)), 400
    owner = db.session.get(User, int(form.owner.data)) if form.owner.data else None
    service.add_agenda_item(meeting, form.title.data.strip(), owner, case)
    commit()
    flash(_("The agenda point was added."), "success")
    return back_to_meeting(meeting, "agenda")


def _agenda_case(form: AgendaItemForm, roundtable: Roundtable):
    """The linked case when one was chosen and allowed, else an error on the field."""
    if not form.case.data:
        return None
    case_id = form.case_id()
    case = service.linkable_case(current_user, roundtable, case_id) if case_id else None
    if case is None:
        form.case.errors.append(_("Choose a case of this roundtable's country that you can "
                                  "see."))
    return case


def _agenda_item(meeting: Meeting, item_id: int) -> AgendaItem:
    """An agenda point of this meeting, else 404."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return item


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/delete")
@approved_required
def delete_agenda_item(meeting_id: int, item_id: int):
    """Take a point off the agenda."""
    meeting = editable_meeting(meeting_id)
    item = _agenda_item(meeting, item_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    service.remove_agenda_item(item)
    commit()
    flash(_("The agenda point was removed."), "success")
    return back_to_meeting(meeting, "agenda")


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/move")
@approved_required
def move_agenda_item(meeting_id: int, item_id: int):
    """Move a point up or down the agenda."""
    meeting = editable_meeting(meeting_id)
    item = _agenda_item(meeting, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    service.move_agenda_item(item, form.direction.data)
    commit()
    return back_to_meeting(meeting, "agenda")


# Minutes and decisions -------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
@approved_required
def edit_minutes(meeting_id: int):
    """Write the minutes in Markdown (sanitised like every other Markdown)."""
    meeting = editable_meeting(meeting_id)
    form = MinutesForm(obj=meeting) if request.method == "GET" else MinutesForm()
    if request.method == "POST" and form.validate():
        service.save_minutes(meeting, form.minutes.data or "")
        commit()
        flash(_("The minutes were saved."), "success")
        return back_to_meeting(meeting, "minutes")
    status = 400 if request.method == "POST" else 200
    return render_template("roundtables/minutes_form.html", form=form, meeting=meeting,
                           roundtable=meeting.roundtable), status


@bp.post("/meetings/<int:meeting_id>/decisions")
@approved_required
def add_decision(meeting_id: int):
    """Record a decision taken at the meeting."""
    meeting = editable_meeting(meeting_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return render_template("roundtables/meeting.html",
                               **meeting_page(meeting, decision_form=form)), 400
    service.add_decision(meeting, form.text.data.strip(), current_user)
    commit()
    flash(_("The decision was recorded."), "success")
    return back_to_meeting(meeting, "decisions")


@bp.post("/meetings/<int:meeting_id>/decisions/<int:decision_id>/delete")
@approved_required
def delete_decision(meeting_id: int, decision_id: int):
    """Delete a decision recorded by mistake."""
    meeting = editable_meeting(meeting_id)
    decision = db.session.get(Decision, decision_id)
    if decision is None or decision.meeting_id != meeting.id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    service.remove_decision(decision)
    commit()
    flash(_("The decision was deleted."), "success")
    return back_to_meeting(meeting, "decisions")
