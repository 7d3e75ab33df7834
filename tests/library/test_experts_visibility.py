""""Show my profile to other approved members" means exactly that: visitors and members who
are not approved see only the experts listed in the library's content files."""

from __future__ import annotations

import pytest


@pytest.fixture
def experts(make_user, make_item):
    """A member who shows their profile, and a listed institution."""
    make_user(name="Visible Vera", public_profile=True, expertise=["schools"],
              bio="Mediator in Leipzig schools.")
    make_item(type="expert", title="Institute for Prevention", topics=["schools"])


def _experts_page(client) -> str:
    """The experts page as HTML."""
    return client.get("/en/library/experts").get_data(as_text=True)


def test_visitors_see_no_member_profile(client, experts):
    html = _experts_page(client)
    assert "Visible Vera" not in html
    assert "Mediator in Leipzig schools." not in html


def test_visitors_still_see_listed_experts(client, experts):
    assert "Institute for Prevention" in _experts_page(client)


def test_visitors_cannot_page_or_filter_their_way_to_profiles(client, experts):
    for query in ("?page=1", "?country=DE", "?topic=schools"):
        assert "Visible Vera" not in client.get(f"/en/library/experts{query}").get_data(
            as_text=True)


def test_members_waiting_for_approval_see_no_member_profile(login, make_user, experts):
    client = login(make_user(status="pending"))
    assert "Visible Vera" not in _experts_page(client)


def test_approved_members_see_the_profiles(login, make_user, experts):
    html = _experts_page(login(make_user(country="PL")))
    assert "Visible Vera" in html
    assert "Institute for Prevention" in html
