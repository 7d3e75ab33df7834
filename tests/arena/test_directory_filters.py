"""People page filters: no false "Not a valid choice.", unknown values dropped quietly."""

from __future__ import annotations

import re

ERROR = "Not a valid choice."


def _people(client, query: str = "") -> str:
    response = client.get(f"/en/arena/people{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _selected(html: str, name: str) -> str:
    """The value of the option selected in the <select name=...>."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                     r'<option[^>]*value="([^"]*)"[^>]*selected', select).group(1, 2)


def test_an_unfiltered_visit_shows_no_error(client, act_as, make_user):
    act_as(make_user(country="DE"))
    make_user(name="Ada Public", public_profile=True, country="PL")
    html = _people(client)
    assert ERROR not in html
    assert 'aria-invalid="true"' not in html
    assert "Ada Public" in html


def test_an_unknown_filter_value_is_dropped_quietly(client, act_as, make_user):
    act_as(make_user(country="DE"))
    make_user(name="Ada Public", public_profile=True, country="PL")
    html = _people(client, "?country=XX&expertise=knitting")
    assert ERROR not in html
    assert "Ada Public" in html  # the unknown filter does not hide everybody
    assert "" in _selected(html, "country")  # the select shows "Any" again


def test_a_valid_filter_still_filters(client, act_as, make_user):
    act_as(make_user(country="DE"))
    make_user(name="Ada Public", public_profile=True, country="PL")
    make_user(name="Dan Other", public_profile=True, country="DE")
    html = _people(client, "?country=PL&language=nonsense")
    assert "Ada Public" in html
    assert "Dan Other" not in html
