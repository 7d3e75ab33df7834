"""The report form: validation in every language, nothing lost, emergencies, bots, limits."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.alerts.models import Alert
from tests.fixtures.alerts import valid_alert

LANGUAGES = ["en", "de", "pl", "ro", "hu"]


def _alert_count(db) -> int:
    return db.session.scalar(select(func.count(Alert.id)))


def test_form_page_shows_a_static_emergency_box(client):
    page = client.get("/en/alert/").get_data(as_text=True)
    assert "112" in page and "0800 111 0 111" in page and "997" in page and "107" in page
    assert page.index("112") < page.index('name="description"')


@pytest.mark.parametrize("lang", LANGUAGES)
def test_invalid_report_shows_translated_errors_and_keeps_input(app, db, send_alert, lang):
    response = send_alert(lang, description="Too short", categories=[], consent="",
                          city="Szeged-Újszeged")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    with force_locale(lang):
        expected = [_("The description needs between 30 and 10,000 characters."),
                    _("Choose at least one kind of incident."),
                    _("Please agree to the privacy notice to send the report.")]
    for message in expected:
        assert str(message) in page
    assert "Too short" in page and "Szeged-Újszeged" in page and "Pupils of year 8" in page
    assert f'<html lang="{lang}">' in page
    assert _alert_count(db) == 0


def test_bad_values_are_refused_with_messages(send_alert, db):
    response = send_alert(country="XX", setting="moon", categories=["nonsense"],
                          occurred_on="2999-01-01", contact_email="not-an-address")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose one of the options." in page
    assert "The date cannot be in the future." in page
    assert "Enter a valid e-mail address, or leave it empty." in page
    assert _alert_count(db) == 0


def test_expired_form_token_keeps_everything_and_offers_a_fresh_one(client, db):
    data = valid_alert(csrf_token="expired-token")
    response = client.post("/de/alert/", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    with force_locale("de"):
        assert _("Your form had expired. Everything you typed is still here: check it and "
                 "send again.") in page
    assert data["description"] in page and "Leipzig" in page
    assert _alert_count(db) == 0
    fresh = client.post("/de/alert/", data=valid_alert(csrf_token=_token(page)))
    assert fresh.status_code == 200 and _alert_count(db) == 1


def test_a_report_without_a_form_token_is_never_stored(client, db):
    response = client.post("/en/alert/", data=valid_alert())
    assert "Everything you typed is still here" in response.get_data(as_text=True)
    assert _alert_count(db) == 0


def _token(page: str) -> str:
    from tests.fixtures.app import csrf_token_from

    return csrf_token_from(page)


def test_emergency_numbers_come_first_on_the_result(send_alert):
    page = send_alert(danger="y", country="PL").get_data(as_text=True)
    assert "112" in page and "997" in page and "116 111" in page
    assert page.index("997") < page.index("receipt-code")
    assert page.index("Poland") < page.index("Germany")


def test_honeypot_stores_nothing(send_alert, db):
    response = send_alert(website="http://spam.example")
    assert response.status_code == 302
    assert _alert_count(db) == 0


def test_reports_are_rate_limited_per_address_without_losing_input(app, send_alert, db):
    app.config["ALERT_RATE_LIMIT"] = [2, 3600]
    assert send_alert(city="Leipzig").status_code == 200
    assert send_alert(city="Dresden").status_code == 200
    limited = send_alert(city="Chemnitz")
    assert limited.status_code == 429
    assert "Chemnitz" in limited.get_data(as_text=True)
    assert _alert_count(db) == 2


def test_contact_details_in_the_description_are_pointed_out_first(send_alert, db):
    text = ("The father wrote to me from max.muster@example.org and +49 170 1234567 that his "
            "son gets hate messages from classmates since 2024-05-01.")
    page = send_alert(description=text).get_data(as_text=True)
    assert "max.muster@example.org" in page and "+49 170 1234567" in page
    assert "Remove them for me and send" in page
    assert "2024-05-01</code>" not in page
    assert _alert_count(db) == 0


def test_remove_them_for_me_sends_the_text_without_them(send_alert, db):
    text = ("The father wrote to me from max.muster@example.org and +49 170 1234567 that his "
            "son gets hate messages from classmates.")
    response = send_alert(description=text, contacts="remove")
    assert response.status_code == 200
    alert = db.session.scalars(select(Alert)).one()
    assert "example.org" not in alert.description and "1234567" not in alert.description
    assert "hate messages from classmates" in alert.description


def test_send_as_it_is_keeps_the_text(send_alert, db):
    text = "Call the school office at 030 1234 5678 about the hateful graffiti in the hallway."
    send_alert(description=text, contacts="keep")
    assert db.session.scalars(select(Alert)).one().description == text


@pytest.mark.parametrize(("lang", "first"), [("pl", "PL"), ("de", "DE"), ("ro", "RO"),
                                             ("hu", "HU"), ("en", "DE")])
def test_form_page_lists_the_page_languages_country_first(client, lang, first):
    page = client.get(f"/{lang}/alert/").get_data(as_text=True)
    numbers = {"DE": "0800 111 0 111", "PL": "997", "RO": "0800 500 333", "HU": ">107<"}
    positions = {country: page.index(number) for country, number in numbers.items()}
    assert min(positions, key=positions.get) == first
    if lang == "en":  # English keeps the usual order
        assert sorted(positions, key=positions.get) == ["DE", "PL", "RO", "HU"]
