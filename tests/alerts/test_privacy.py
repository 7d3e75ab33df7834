"""Privacy: the contact address only for the country's coordinators; withdrawn means gone."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app.alerts import services
from app.alerts.models import Alert
from app.core.signals import alert_withdrawn
from app.extensions import db as _db
from app.search.backend import SearchQuery
from app.search.services import get_backend, rebuild_index
from tests.fixtures.alerts import receipt_from

SECRET_WORDS = "Quokkafestival zebrastreifen"


def test_contact_email_is_visible_only_to_coordinators_of_the_country(send_alert, db, make_user):
    send_alert(country="PL", contact_email="reporter@example.org")
    alert = db.session.scalars(select(Alert)).one()
    assert services.visible_contact(alert, make_user(country="PL")) is None
    assert services.visible_contact(alert, make_user(role="coordinator", country="DE")) is None
    coordinator = make_user(role="coordinator", country="PL")
    assert services.visible_contact(alert, coordinator) == "reporter@example.org"
    assert services.visible_contact(alert, make_user(role="admin", country="HU")) is not None


def test_contact_email_is_not_shown_to_the_reporter_page_or_logged(send_alert, caplog):
    caplog.set_level(logging.DEBUG)  # every log line, not only warnings
    page = send_alert(contact_email="reporter@example.org").get_data(as_text=True)
    assert "reporter@example.org" not in page
    assert "reporter@example.org" not in caplog.text


def _every_stored_value() -> str:
    """Every row of every table, as text."""
    dump = []
    for table in _db.metadata.sorted_tables:
        rows = _db.session.execute(table.select())
        dump.extend(str(tuple(row)) for row in rows)
    return "\n".join(dump)


def test_withdrawn_alert_is_no_longer_findable_anywhere(client, send_alert, post_form, db):
    rebuild_index()  # a live index, so anything indexed on the way would be found below
    description = f"In our youth club {SECRET_WORDS} was sprayed next to hateful slogans last week."
    code = receipt_from(send_alert(description=description, city="Quokkadorf-Nord",
                                   contact_email="me@example.org").get_data(as_text=True))
    post_form("/en/alert/follow-up", {"code": code})
    alert = db.session.scalars(select(Alert)).one()
    assert alert.status == "forwarded"  # nothing matched: ARENA has it as a case too
    services.post_reporter_message(alert, f"More about {SECRET_WORDS}.")
    assert "Quokkafestival" in _every_stored_value()
    withdrawn = []
    with alert_withdrawn.connected_to(lambda sender, **kw: withdrawn.append(sender.id)):
        post_form("/en/alert/follow-up", {}, action="/en/alert/follow-up/withdraw")
    assert withdrawn == [alert.id]
    db.session.expire_all()
    stored = _every_stored_value()
    assert "Quokkafestival" not in stored and "me@example.org" not in stored
    assert "Quokkadorf" not in stored  # the place goes too, from the alert and ARENA's case
    assert get_backend().search(SearchQuery(text="Quokkafestival")).total == 0
    assert client.get("/en/alert/follow-up").status_code == 200  # the session no longer opens it
    assert "Quokkafestival" not in client.get("/en/alert/follow-up").get_data(as_text=True)
