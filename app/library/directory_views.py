"""Directory pages kept on the portal: "who is where", and retiring a directory entry."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import approved_required
from app.accounts.choices import COUNTRIES
from app.extensions import db
from app.library import bp, directories
from app.library import publishing as pub
from app.library.directory_access import DIRECTORY_TYPES
from app.library.forms import RetireForm, agencies
from app.library.models import ContentItem
from app.library.views import _arg, _language


@bp.get("/who-is-where")
def who_is_where():
    """Organisations and trainers by country, city and agency type, with a count per agency
    and country: the basis for a roundtable's stakeholder mapping."""
    country, agency = _arg("country", COUNTRIES), _arg("agency", agencies())
    groups = directories.who_is_where(_language(), country, agency, list(COUNTRIES))
    return render_template(
        "library/who_is_where.html",
        groups=groups,
        country=country,
        agency=agency,
        agency_of=directories.agency_of,
    )


@bp.route("/items/<int:item_id>/retire", methods=["GET", "POST"])
@approved_required
def retire_item(item_id: int):
    """Take a published directory entry out of the lists, with a reason."""
    item = db.session.get(ContentItem, item_id)
    if (
        item is None
        or item.type not in DIRECTORY_TYPES
        or not item.is_published
        or not pub.can_edit(item, current_user)
    ):
        abort(404)
    form = RetireForm()
    if not form.validate_on_submit():
        return render_template(
            "library/retire.html", item=item, form=form
        ), 400 if request.method == "POST" else 200
    pub.retire_item(item, current_user, form.reason.data)
    flash(_("The entry is retired and no longer listed."), "success")
    return redirect(url_for(f"library.{_list_of(item.type)}"))


def _list_of(item_type: str) -> str:
    """The endpoint of the list an entry of this type appears in."""
    return {"donor": "donors", "trainer": "trainers", "expert": "experts"}.get(
        item_type, "who_is_where"
    )


@bp.app_template_global()
def may_keep(item: ContentItem) -> bool:
    """Whether the visitor may edit (and retire) this directory entry."""
    return (
        current_user.is_authenticated
        and item.type in DIRECTORY_TYPES
        and pub.can_edit(item, current_user)
    )
