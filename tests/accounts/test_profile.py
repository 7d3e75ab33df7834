"""Profile: member-only, editable without losing input, language remembered, self-deletion."""

import pytest

from app.accounts.models import User
from tests.fixtures.users import PASSWORD, log_in


@pytest.mark.parametrize("status", ["unconfirmed", "pending", "suspended"])
def test_members_not_approved_are_sent_to_their_status_page(make_user, login, status):
    client = login(make_user(status=status))
    response = client.get("/en/account")
    assert response.status_code == 302 and response.location == "/en/account/status"
    assert client.get("/en/account/status").status_code == 200


def test_anonymous_visitor_is_asked_to_log_in(client):
    response = client.get("/en/account")
    assert response.status_code == 302
    assert response.location.startswith("/en/login?next=")


def test_profile_edit_is_saved(make_user, login, post_form):
    user = make_user()
    login(user)
    data = {
        "name": "Maria Nowak",
        "profession": "police",
        "working_languages": ["de"],
        "expertise": ["racism"],
        "city": "Görlitz",
        "bio": "Community police.",
    }
    response = post_form("/en/account", data)
    assert response.status_code == 302
    assert (user.name, user.profession, user.city) == ("Maria Nowak", "police", "Görlitz")
    assert user.expertise == ["racism"] and user.public_profile is False


def test_profile_error_keeps_input(make_user, login, post_form):
    user = make_user(name="Old Name")
    login(user)
    response = post_form("/en/account", {"name": "", "city": "Debrecen", "profession": "ngo"})
    html = response.get_data(as_text=True)
    assert 'id="name-error"' in html and 'id="working_languages-error"' in html
    assert 'value="Debrecen"' in html
    assert user.name == "Old Name"


def test_the_language_a_member_acts_in_is_remembered(make_user, login, client, post_form):
    user = make_user(language="en")
    login(user)
    client.get("/hu/account")
    assert user.language == "en"  # reading a page changes nothing
    post_form("/hu/account", {"name": user.name, "country": user.country,
                              "kind": user.kind, "profession": user.profession})
    assert user.language == "hu"


def test_delete_page_lists_what_is_removed_and_what_stays(member_client):
    html = member_client.get("/en/account/delete").get_data(as_text=True)
    assert "What is deleted" in html and "without your name" in html


def test_member_deletes_own_account(make_user, login, post_form, client, db):
    user = make_user(email="leaving@example.org")
    user_id = user.id
    login(user)
    wrong = post_form("/en/account/delete", {"current_password": "not my password"})
    assert 'id="current_password-error"' in wrong.get_data(as_text=True)
    response = post_form("/en/account/delete", {"current_password": PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    assert client.get("/en/account").status_code == 302


def test_pending_member_can_delete_their_registration(make_user, client, post_form, db):
    user = make_user(status="pending")
    user_id = user.id
    log_in(client, user)
    assert post_form("/en/account/delete", {"current_password": PASSWORD}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user_id) is None


def test_published_items_stay_without_author_after_deletion(make_user, login, post_form, db):
    from app.library.models import ContentItem

    user = make_user()
    item = ContentItem(
        type="practice",
        slug="kept",
        language="en",
        title="Kept practice",
        status="published",
        author_id=user.id,
    )
    db.session.add(item)
    db.session.commit()
    login(user)
    post_form("/en/account/delete", {"current_password": PASSWORD})
    db.session.expire_all()
    kept = db.session.get(ContentItem, item.id)
    assert kept is not None and kept.author_id is None


def test_login_prompt_is_shown_after_redirect(client):
    response = client.get("/en/account", follow_redirects=True)
    assert "Please log in to see this page." in response.get_data(as_text=True)
