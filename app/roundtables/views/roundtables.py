"""The roundtable list, creation and editing, the roundtable page and its public profile."""

from __future__ import annotations

import math

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.accounts.access import approved_required
from app.accounts.choices import COUNTRIES
from app.accounts.models import User, utcnow
from app.core.ratelimit import client_key, give_back, hit, retry_after
from app.extensions import db
from app.roundtables import access, bp
from app.roundtables.forms.roundtables import ContactForm, NewRoundtableForm, RoundtableForm
from app.roundtables.models import Roundtable, as_utc
from app.roundtables.services import actions, cases, evaluations, meetings, roundtables
from app.roundtables.services.contact import ContactMessage, contact_secretariat
from app.roundtables.views.helpers import commit, managed_roundtable, visible_roundtable

CONTACT_SCOPE = "roundtable-contact"


@bp.get("/")
@approved_required
def list_roundtables():
    """The visitor's roundtables, their invitations and the ones of their country to join."""
    page = db.paginate(access.visible_roundtables(current_user),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    joinable = list(db.session.scalars(roundtables.joinable_roundtables(current_user)))
    ids = [r.id for r in page.items] + [r.id for r in joinable]
    return render_template(
        "roundtables/list.html", page=page, joinable=joinable,
        agencies=roundtables.agencies_present(ids),
        invitations=roundtables.seats_of(current_user, "invited"),
        requests=roundtables.seats_of(current_user, "requested"),
        may_create=bool(_creatable_countries()),
    )


@bp.route("/new", methods=["GET", "POST"])
@approved_required
def new_roundtable():
    """Create a roundtable (coordinators for their country, admins for any)."""
    countries = _creatable_countries()
    if not countries:
        abort(403)
    form = NewRoundtableForm()
    _fill_new_form(form, countries)
    if form.validate_on_submit():
        chosen = [db.session.get(User, user_id) for user_id in form.secretariat.data]
        roundtable = roundtables.create_roundtable(
            current_user, form.country.data, _fields(form), chosen)
        commit()
        flash(_("The roundtable was created."), "success")
        return redirect(url_for("roundtables.view_roundtable", roundtable_id=roundtable.id))
    return render_template("roundtables/roundtable_form.html", form=form, roundtable=None), (
        400 if form.errors else 200)


@bp.route("/<int:roundtable_id>/edit", methods=["GET", "POST"])
@approved_required
def edit_roundtable(roundtable_id: int):
    """Change a roundtable's name, place, languages, description and public profile."""
    roundtable = managed_roundtable(roundtable_id)
    form = RoundtableForm(obj=roundtable)
    if form.validate_on_submit():
        roundtables.update_roundtable(roundtable, _fields(form))
        commit()
        flash(_("The roundtable was saved."), "success")
        return redirect(url_for("roundtables.view_roundtable", roundtable_id=roundtable.id))
    return render_template("roundtables/roundtable_form.html", form=form,
                           roundtable=roundtable), 400 if form.errors else 200


@bp.get("/<int:roundtable_id>")
@approved_required
def view_roundtable(roundtable_id: int):
    """The roundtable's page: agencies present and missing, meetings, actions, cases."""
    roundtable = visible_roundtable(roundtable_id)
    present = roundtables.agencies_present([roundtable.id]).get(roundtable.id, [])
    past = roundtables.past_meetings(roundtable)
    return render_template(
        "roundtables/roundtable.html", roundtable=roundtable, present=present,
        missing=roundtables.missing_agencies(roundtable),
        meetings=meetings.upcoming_meetings(roundtable),
        past_meetings=past, with_minutes=roundtables.with_minutes(past),
        unmapped=roundtables.has_unmapped_seats(roundtable),
        actions=actions.open_actions(roundtable), cases=cases.adopted_cases(roundtable),
        evaluations=evaluations.evaluations_of(roundtable),
        may_manage=access.can_manage(current_user, roundtable),
        seat=access.membership(current_user, roundtable),
    )


@bp.get("/<int:roundtable_id>/meetings")
@approved_required
def list_meetings(roundtable_id: int):
    """Every meeting of the roundtable, upcoming and past, the newest first (paginated)."""
    roundtable = visible_roundtable(roundtable_id)
    page = db.paginate(roundtables.meetings_query(roundtable),
                       page=request.args.get("page", 1, type=int),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("roundtables/roundtable_meetings.html", roundtable=roundtable,
                           page=page, upcoming={m.id for m in page.items
                                                if as_utc(m.ends_at) >= utcnow()},
                           with_minutes=roundtables.with_minutes(page.items),
                           may_manage=access.can_manage(current_user, roundtable))


@bp.get("/<int:roundtable_id>/profile")
def public_profile(roundtable_id: int):
    """The short public profile (404 unless the secretariat switched it on)."""
    roundtable = _public_roundtable(roundtable_id)
    return _profile_page(roundtable, ContactForm())


@bp.post("/<int:roundtable_id>/profile/contact")
def contact_roundtable(roundtable_id: int):
    """E-mail a message to the secretariat (rate limited per address; nothing is stored)."""
    roundtable = _public_roundtable(roundtable_id)
    form = ContactForm()
    if not form.validate_on_submit():
        return _profile_page(roundtable, form, status=400)
    limit = current_app.config["ROUNDTABLE_CONTACT_RATE_LIMIT"]
    if hit(CONTACT_SCOPE, client_key(), *limit):
        give_back(CONTACT_SCOPE, client_key(), limit[1])  # refused messages do not count
        minutes = max(1, math.ceil(retry_after(CONTACT_SCOPE, client_key(), *limit) / 60))
        return _profile_page(roundtable, form, status=429, limited_minutes=minutes)
    contact_secretariat(roundtable, ContactMessage(
        name=form.name.data.strip(), email=form.email.data.strip(), body=form.message.data))
    flash(_("Your message was sent to the roundtable's secretariat."), "success")
    return redirect(url_for("roundtables.public_profile", roundtable_id=roundtable.id))


def _public_roundtable(roundtable_id: int) -> Roundtable:
    """A roundtable whose public profile is on, else 404."""
    roundtable = db.session.get(Roundtable, roundtable_id)
    if roundtable is None or not roundtable.public_profile:
        abort(404)
    return roundtable


def _profile_page(roundtable: Roundtable, form: ContactForm, status: int = 200, **extra):
    """Render the public profile with the contact form."""
    present = roundtables.agencies_present([roundtable.id]).get(roundtable.id, [])
    return render_template(
        "roundtables/public_profile.html", roundtable=roundtable, present=present, form=form,
        may_join=access.can_ask_to_join(current_user, roundtable), **extra,
    ), status


def _creatable_countries() -> list[str]:
    """The countries the visitor may create roundtables for."""
    return [code for code in COUNTRIES if code != "EU" and access.can_create(current_user, code)]


def _fill_new_form(form: NewRoundtableForm, countries: list[str]) -> None:
    """Country and secretariat choices: the visitor's countries and their approved members."""
    form.country.choices = [SelectChoice(code, COUNTRIES[code]) for code in countries]
    people = roundtables.approved_members(countries)
    form.member_countries = {user.id: user.country for user in people}
    several = len(countries) > 1
    form.secretariat.choices = [
        SelectChoice(user.id, _member_label(user, several)) for user in people]


def _member_label(user: User, with_country: bool) -> str:
    """A member in a choice list: name, organisation and, for admins, the country."""
    parts = [user.name, user.organisation] + ([str(COUNTRIES.get(user.country, ""))]
                                              if with_country else [])
    return " · ".join(part for part in parts if part)


def _fields(form: RoundtableForm) -> roundtables.RoundtableFields:
    """The roundtable's fields from a validated form."""
    return roundtables.RoundtableFields(
        name=form.name.data, city=form.city.data, languages=form.languages.data,
        description=form.description.data or "", public_profile=form.public_profile.data,
    )
