"""The public calendar of meetings and trainings, and members' private calendar feeds."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required
from app.core.forms import valid_filters
from app.core.i18n import LANGUAGE_LABELS
from app.core.mail import absolute_url
from app.extensions import db
from app.roundtables import bp
from app.roundtables.forms.meetings import ButtonForm, CalendarFilterForm
from app.roundtables.services import calendar
from app.roundtables.views.helpers import commit


@bp.get("/calendar")
def public_calendar():
    """Upcoming public meetings and trainings of every roundtable, by country and language."""
    form = CalendarFilterForm(request.args)
    country, language = _filters(form)
    page = db.paginate(calendar.public_meetings(country, language),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("roundtables/calendar.html", form=form, page=page,
                           filtered=bool(country or language),
                           LANGUAGE_LABELS=LANGUAGE_LABELS)


def _filters(form: CalendarFilterForm) -> tuple[str, str]:
    """The valid country and language filters (an unknown value is dropped quietly)."""
    chosen = valid_filters(form, ("country", "language"))
    return chosen["country"], chosen["language"]


@bp.get("/calendar/feed")
@approved_required
def calendar_feed():
    """Explain the private feed and offer to create, reset or revoke it."""
    return render_template("roundtables/calendar_feed.html", feed=calendar.user_feed(current_user),
                           form=ButtonForm(), feed_url=None)


@bp.post("/calendar/feed")
@approved_required
def reset_calendar_feed():
    """Create the feed or replace its secret; the full address is shown only this once."""
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    token = calendar.reset_feed(current_user)
    commit()
    feed_url = absolute_url("roundtables.feed_ics", token=token,
                            lang_code=g.get("lang_code") or "en")
    response = current_app.make_response(render_template(
        "roundtables/calendar_feed.html", feed=calendar.user_feed(current_user), form=form,
        feed_url=feed_url))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/calendar/feed/revoke")
@approved_required
def revoke_calendar_feed():
    """Delete the feed: calendar applications subscribed to it get nothing more."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    calendar.revoke_feed(current_user)
    commit()
    flash(_("Your calendar feed was switched off; its address no longer works."), "success")
    return redirect(url_for("roundtables.calendar_feed"))


@bp.get("/calendar/<token>.ics")
def feed_ics(token: str):
    """A member's private feed, for calendar applications (no login: the secret address is
    the key). Never cached; the token stays out of the logs (see gunicorn_conf)."""
    user = calendar.feed_owner(token)
    if user is None:
        abort(404)
    body = calendar.feed_calendar(user, g.get("lang_code") or "en")
    db.session.commit()  # last_used_at
    response = current_app.response_class(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = "inline; filename=roundtables.ics"
    response.headers["Cache-Control"] = "no-store"
    return response
