"""The case board: filters, counts, newest first, pagination."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.arena.services import discussion
from app.extensions import db
from tests.fixtures.app import csrf_token_from


def _case_ids(html: str) -> list[str]:
    import re

    return re.findall(r'/en/arena/cases/(\d+)">Case #', html)


def test_filters_and_counts(client, act_as, make_user, make_case):
    member = make_user(country="DE")
    hate = make_case(country="DE", categories=["hate_speech"], city="Dresden")
    propaganda = make_case(country="DE", city="Leipzig")
    discussion.add_comment(propaganda, member, "On it.")
    old = make_case(country="DE", city="Leipzig")
    old.created_at = datetime.now(UTC) - timedelta(days=40)
    db.session.commit()
    act_as(member)
    board = lambda query="": _case_ids(client.get(f"/en/arena/?{query}").get_data(True))  # noqa: E731
    assert board() == [str(propaganda.id), str(hate.id), str(old.id)]  # newest first
    assert board("category=hate_speech") == [str(hate.id)]
    assert board("city=Leipzig") == [str(propaganda.id), str(old.id)]
    assert board("no_response=y") == [str(hate.id), str(old.id)]
    assert board("status=in_discussion") == [str(propaganda.id)]
    since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()
    assert str(old.id) not in board(f"date_from={since}")
    html = client.get("/en/arena/?status=new").get_data(as_text=True)
    assert "In discussion</a> <span class=\"count\">(1)" in html
    assert "New</a> <span class=\"count\">(2)" in html


def test_board_is_paginated(app, client, act_as, make_user, make_case):
    app.config["PAGE_SIZE"] = 2
    act_as(make_user(country="DE"))
    for _ in range(3):
        make_case(country="DE")
    first = client.get("/en/arena/").get_data(as_text=True)
    assert len(_case_ids(first)) == 2 and 'rel="next"' in first
    assert len(_case_ids(client.get("/en/arena/?page=2").get_data(True))) == 1


def test_admin_sees_every_country(client, act_as, make_user, make_case):
    de, pl = make_case(country="DE"), make_case(country="PL")
    act_as(make_user(role="admin", country="EU"))
    assert set(_case_ids(client.get("/en/arena/").get_data(True))) == {str(de.id), str(pl.id)}


def test_case_page_hides_reporter_contact_from_members(client, act_as, make_user, make_case):
    case = make_case(country="DE", contact_email="reporter@example.net")
    act_as(make_user(country="DE"))
    assert "reporter@example.net" not in client.get(f"/en/arena/cases/{case.id}").get_data(True)
    act_as(make_user(role="coordinator", country="DE"))
    page = client.get(f"/en/arena/cases/{case.id}").get_data(True)
    assert "reporter@example.net" not in page  # coordinators reveal it, and that is logged
    revealed = client.post(f"/en/arena/cases/{case.id}/contact",
                           data={"csrf_token": csrf_token_from(page)})
    assert "reporter@example.net" in revealed.get_data(True)


def test_first_visit_shows_no_filter_errors_but_a_bad_filter_is_flagged(
    client, act_as, make_user, make_case
):
    make_case(country="DE")
    act_as(make_user(country="DE"))
    assert "Not a valid choice" not in client.get("/en/arena/").get_data(as_text=True)
    assert "Not a valid choice" in client.get("/en/arena/?category=nonsense").get_data(True)


def test_board_shows_a_one_line_summary_of_each_alert(client, act_as, make_user, make_case):
    words = "Swastikas were sprayed on the school gym overnight and pupils photographed them " * 4
    make_case(country="DE", description=words + "SECRET-TAIL")
    act_as(make_user(country="DE"))
    html = client.get("/en/arena/").get_data(as_text=True)
    assert "Swastikas were sprayed on the school gym overnight" in html
    assert "SECRET-TAIL" not in html and "…" in html
