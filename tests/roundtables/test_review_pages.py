"""Review fixes for pages: past meetings and the meetings list, adopted cases with their
details and a choice of cases to adopt, and the public calendar found from every page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import utcnow
from app.extensions import db
from app.roundtables.models import AdoptedCase
from app.roundtables.services import cases
from tests.fixtures.app import counted_statements, csrf_token_from


@pytest.fixture
def world(roundtable_world):
    """The people and the Berlin roundtable of roundtable_world."""
    return roundtable_world["people"], roundtable_world["roundtable"]


def _section(html: str, heading_id: str) -> str:
    """The HTML of the <section> labelled by `heading_id`."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


# Past meetings ----------------------------------------------------------------------------


def test_roundtable_page_lists_past_meetings_newest_first(world, make_meeting, act_as, client):
    people, roundtable = world
    make_meeting(roundtable, days=-30, title="Autumn meeting")
    make_meeting(roundtable, days=-3, title="Winter meeting")
    act_as(people["member"])
    past = _section(client.get(f"/en/roundtables/{roundtable.id}").text, "past-meetings-heading")
    assert past.index("Winter meeting") < past.index("Autumn meeting")


def test_past_meetings_show_at_most_five(world, make_meeting, act_as, client):
    people, roundtable = world
    for days in range(1, 8):
        make_meeting(roundtable, days=-days, title=f"Meeting {days} days ago")
    act_as(people["member"])
    past = _section(client.get(f"/en/roundtables/{roundtable.id}").text, "past-meetings-heading")
    assert past.count("/roundtables/meetings/") == 5


def test_past_meetings_say_when_in_the_meetings_zone(world, make_meeting, act_as, client):
    people, roundtable = world
    make_meeting(roundtable, days=-3, timezone="Europe/Bucharest")
    act_as(people["member"])
    past = _section(client.get(f"/en/roundtables/{roundtable.id}").text, "past-meetings-heading")
    assert "(Europe/Bucharest)" in past


def test_past_meetings_mark_the_ones_with_minutes(world, make_meeting, act_as, client):
    people, roundtable = world
    make_meeting(roundtable, days=-3, minutes="We met.", minutes_html="<p>We met.</p>")
    act_as(people["member"])
    past = _section(client.get(f"/en/roundtables/{roundtable.id}").text, "past-meetings-heading")
    assert '<span class="tag">Minutes</span>' in past


def test_roundtable_page_links_to_all_meetings(world, act_as, client):
    people, roundtable = world
    act_as(people["member"])
    html = client.get(f"/en/roundtables/{roundtable.id}").text
    assert f'href="/en/roundtables/{roundtable.id}/meetings"' in html


def test_meetings_page_lists_upcoming_and_past(world, make_meeting, act_as, client):
    people, roundtable = world
    make_meeting(roundtable, days=-3, title="Winter meeting")
    make_meeting(roundtable, days=3, title="Spring meeting")
    act_as(people["member"])
    html = client.get(f"/en/roundtables/{roundtable.id}/meetings").text
    assert html.index("Spring meeting") < html.index("Winter meeting")


def test_meetings_page_marks_cancelled_meetings(world, make_meeting, act_as, client):
    people, roundtable = world
    make_meeting(roundtable, days=3, cancelled_at=utcnow())
    act_as(people["member"])
    html = client.get(f"/en/roundtables/{roundtable.id}/meetings").text
    assert '<span class="status status-cancelled">Cancelled</span>' in html


def test_meetings_page_is_paginated(app, world, make_meeting, act_as, client):
    people, roundtable = world
    app.config["PAGE_SIZE"] = 2
    for days in range(1, 4):
        make_meeting(roundtable, days=-days)
    act_as(people["member"])
    html = client.get(f"/en/roundtables/{roundtable.id}/meetings?page=2").text
    assert html.count("/roundtables/meetings/") == 1


def test_meetings_page_never_loads_the_minutes(world, make_meeting, act_as, client):
    people, roundtable = world
    make_meeting(roundtable, days=-3, minutes="Secretive " * 50, minutes_html="<p>x</p>")
    act_as(people["member"])
    with counted_statements() as statements:
        client.get(f"/en/roundtables/{roundtable.id}/meetings")
    meeting_reads = [s for s in statements if "FROM roundtable_meetings" in s]
    assert not any("roundtable_meetings.minutes" in s.split("FROM")[0] for s in meeting_reads)


# Adopted cases ----------------------------------------------------------------------------


def test_adopted_case_shows_status_categories_and_city(world, make_case, act_as, client):
    people, roundtable = world
    case = make_case(country="DE", city="Neukölln", categories=["hate_speech"])
    cases.adopt_case(roundtable, people["secretariat"], case.id)
    db.session.commit()
    act_as(people["member"])
    section = _section(client.get(f"/en/roundtables/{roundtable.id}").text, "cases-heading")
    assert "Hate speech" in section
    assert "Neukölln" in section
    assert "New" in section


def test_adopt_form_offers_open_cases_of_the_country_not_yet_adopted(world, make_case,
                                                                      act_as, client):
    people, roundtable = world
    adopted, open_case = make_case(country="DE"), make_case(country="DE")
    abroad = make_case(country="PL")
    cases.adopt_case(roundtable, people["secretariat"], adopted.id)
    db.session.commit()
    act_as(people["secretariat"])
    section = _section(client.get(f"/en/roundtables/{roundtable.id}").text, "cases-heading")
    offered = set(re.findall(r'<option[^>]*value="(\d+)"', section))
    assert offered == {str(open_case.id)}
    assert str(abroad.id) not in offered


def test_adopt_choice_labels_say_status_categories_and_city(world, make_case, act_as,
                                                            client):
    people, roundtable = world
    case = make_case(country="DE", city="Spandau", categories=["hate_speech"])
    act_as(people["secretariat"])
    html = client.get(f"/en/roundtables/{roundtable.id}").text
    assert f"Case #{case.id} – New – Hate speech – Spandau" in html


def test_closed_cases_are_refused_on_the_server(world, make_case, act_as, client):
    people, roundtable = world
    case = make_case(country="DE")
    case.status = "closed"
    db.session.commit()
    act_as(people["secretariat"])
    token = csrf_token_from(client.get("/en/roundtables/actions").text)
    response = client.post(f"/en/roundtables/{roundtable.id}/cases",
                           data={"csrf_token": token, "case": str(case.id)})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(AdoptedCase.id))) == 0


# The public calendar ----------------------------------------------------------------------


def test_footer_links_to_the_public_calendar(client):
    html = client.get("/en/").text
    footer = html[html.index('<footer'):]
    assert 'href="/en/roundtables/calendar"' in footer


def test_home_page_links_to_the_public_calendar(client):
    html = client.get("/en/").text
    main = html[:html.index('<footer')]
    assert 'href="/en/roundtables/calendar"' in main


def test_calendar_filters_come_first_on_phones(app, client):
    assert 'class="layout-sidebar calendar-layout"' in client.get("/en/roundtables/calendar").text
    css = (app.static_folder + "/css/app.css")
    with open(css, encoding="utf-8") as handle:
        text = handle.read()
    assert ".calendar-layout > .facets { order: 0; }" in text
