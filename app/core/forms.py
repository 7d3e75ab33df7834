"""The base of every portal form: text with control characters is refused on its field, never
stored, and never silently cut (app.core.control_characters says which and why)."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import Field

from app.core.control_characters import first_control_character


def control_character_message(character: str) -> str:
    """The error shown on a field: which invisible character to remove (e.g. U+0000)."""
    return _("This text contains an invisible control character (%(code)s); remove it and "
             "send again.", code=f"U+{ord(character):04X}")


class PortalForm(FlaskForm):
    """FlaskForm that also refuses control characters in every text the user sent, with an
    error on the field; the form keeps what was typed, so re-rendering loses nothing."""

    def validate(self, extra_validators=None) -> bool:
        """The fields' own validators, then the control-character check on every field."""
        valid = super().validate(extra_validators)
        return self._refuse_control_characters() and valid

    def _refuse_control_characters(self) -> bool:
        """Add an error to each field holding a control character; False if any did."""
        clean = True
        for field in self:
            character = next(filter(None, map(first_control_character, _texts(field))), None)
            if character is not None:
                field.errors = [*field.errors, control_character_message(character)]
                clean = False
        return clean


def _texts(field: Field) -> Iterator[str]:
    """The text values a field received (one, or several for multiple choices)."""
    values = field.data if isinstance(field.data, list | tuple) else [field.data]
    yield from (value for value in values if isinstance(value, str))


def valid_filters(form: FlaskForm, names: tuple[str, ...]) -> dict[str, str]:
    """The values of a GET filter form's fields, an empty or unknown choice dropped quietly
    (links and bookmarks age): an unfiltered visit shows no "Not a valid choice."."""
    form.validate()
    for name in names:
        if form[name].errors:
            form[name].data, form[name].errors = "", []
    return {name: form[name].data or "" for name in names}
