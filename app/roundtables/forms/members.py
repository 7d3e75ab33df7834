"""Forms for seats at a roundtable: the agency one sits for, invitations, the plain buttons."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import InputRequired

from app.accounts.forms import at_most, choice_list
from app.core.forms import PortalForm
from app.roundtables.choices import AGENCY_LABELS


class SeatForm(PortalForm):
    """The agency a member sits for, their organisation and whether they are mandated."""

    agency = SelectField(_l("Agency you represent"), choices=choice_list(AGENCY_LABELS),
                         validators=[InputRequired(message=_l("Please choose an agency."))])
    organisation = StringField(_l("Organisation"), validators=[at_most(200)])
    mandated = BooleanField(_l("My organisation's leadership mandated my participation"))


class OthersSeatForm(SeatForm):
    """Someone else's seat, as a manager sets or corrects it."""

    agency = SelectField(_l("Agency they represent"), choices=choice_list(AGENCY_LABELS),
                         validators=[InputRequired(message=_l("Please choose an agency."))])
    mandated = BooleanField(_l("Their organisation's leadership mandated the participation"))


class InviteForm(OthersSeatForm):
    """Invite an approved member of the country (choices set by the view)."""

    member = SelectField(_l("Member to invite"), coerce=int, choices=[], validate_choice=True,
                         validators=[InputRequired(message=_l("Please choose a member."))])


class ButtonForm(PortalForm):
    """A button that only needs the CSRF token (accept, decline, remove, leave)."""
