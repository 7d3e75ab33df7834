"""Registration: the form, validation that keeps input, confirmation by mailed link."""

import pytest

from app.accounts.models import User
from tests.fixtures.accounts import link_in


def _user(db, email):
    return db.session.scalar(db.select(User).where(User.email == email))


def test_registration_creates_unconfirmed_member_and_mails_link(
    post_form, register_data, db, outbox
):
    response = post_form("/en/register", register_data())
    assert response.status_code == 302
    assert "/en/register/check-email" in response.location
    user = _user(db, "anna@example.org")
    assert user.status == "unconfirmed" and user.country == "PL" and user.language == "en"
    assert user.working_languages == ["pl", "en"] and user.expertise == ["hate_speech", "schools"]
    assert user.public_profile is True and user.password_hash != register_data()["password"]
    assert len(outbox) == 1 and outbox[0].to == "anna@example.org"
    assert link_in(outbox[0]).startswith("/en/confirm/")


def test_confirmation_link_makes_member_pending(client, post_form, register_data, db, outbox):
    post_form("/en/register", register_data())
    response = post_form(link_in(outbox[0]), {})
    assert response.status_code == 302
    assert _user(db, "anna@example.org").status == "pending"


def test_opening_the_confirmation_link_only_shows_a_button(client, post_form, register_data,
                                                          db, outbox):
    post_form("/en/register", register_data())
    page = client.get(link_in(outbox[0]))  # mail scanners and link previews do this too
    assert page.status_code == 200
    assert "Confirm my e-mail address" in page.get_data(as_text=True)
    assert _user(db, "anna@example.org").status == "unconfirmed"
    assert client.post(link_in(outbox[0])).status_code == 400  # no form token: nothing done
    assert _user(db, "anna@example.org").status == "unconfirmed"


def test_tampered_or_expired_confirmation_link_is_refused(
    app, client, post_form, register_data, db, outbox
):
    post_form("/en/register", register_data())
    link = link_in(outbox[0])
    assert client.get(link[:-3] + "abc").status_code == 400
    app.config["TOKEN_MAX_AGE"] = -1
    assert client.get(link).status_code == 400
    assert post_form("/en/login", {}, action=link).status_code == 400
    assert _user(db, "anna@example.org").status == "unconfirmed"


def test_mail_is_in_the_language_of_the_registration_page(post_form, register_data, outbox):
    post_form("/pl/register", register_data())
    assert link_in(outbox[0]).startswith("/pl/confirm/")


@pytest.mark.parametrize("lang", ["en", "de", "pl"])
def test_validation_errors_keep_what_was_typed(post_form, register_data, db, lang):
    data = register_data(email="not-an-address", confirm="something else entirely")
    response = post_form(f"/{lang}/register", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="email-error"' in html and 'id="confirm-error"' in html
    assert 'value="not-an-address"' in html and 'value="Anna Kowalska"' in html
    assert 'value="Szkoła Podstawowa nr 7"' in html and "I teach civic education." in html
    assert '<option selected value="PL">' in html
    assert 'checked id="expertise-0" name="expertise" type="checkbox" value="hate_speech"' in html
    assert _user(db, "not-an-address") is None


def test_password_of_11_characters_is_refused(post_form, register_data, db):
    response = post_form("/en/register", register_data(password="a" * 11, confirm="a" * 11))
    assert 'id="password-error"' in response.get_data(as_text=True)
    assert _user(db, "anna@example.org") is None


def test_password_of_128_characters_is_accepted_and_works(
    post_form, register_data, db, outbox, login_form
):
    long_password = "x" * 120 + "12345678"
    response = post_form(
        "/en/register", register_data(password=long_password, confirm=long_password)
    )
    assert response.status_code == 302
    assert _user(db, "anna@example.org").check_password(long_password)


def test_expert_must_choose_an_area_of_expertise(post_form, register_data):
    response = post_form("/en/register", register_data(kind="expert", expertise=[]))
    assert 'id="expertise-error"' in response.get_data(as_text=True)


def test_existing_address_gets_the_same_answer_and_the_owner_a_mail(
    post_form, register_data, make_user, db, outbox
):
    owner = make_user(email="anna@example.org", name="Original Anna")
    response = post_form("/en/register", register_data(name="Someone Else"))
    assert response.status_code == 302 and "/en/register/check-email" in response.location
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert _user(db, "anna@example.org").name == "Original Anna"
    assert [mail.to for mail in outbox] == [owner.email]
    assert "/en/password/forgot" in outbox[0].body


def test_closed_registration_says_so_and_refuses_posts(app, client, post_form, register_data, db):
    app.config["REGISTRATION_OPEN"] = False
    page = client.get("/en/register")
    assert page.status_code == 200 and "Registration is closed" in page.get_data(as_text=True)
    response = post_form("/en/login", register_data(), action="/en/register")
    assert response.status_code == 403
    assert _user(db, "anna@example.org") is None


def test_registration_without_csrf_token_is_refused(client, register_data, db):
    response = client.post("/en/register", data=register_data())
    assert response.status_code == 400
    assert _user(db, "anna@example.org") is None
