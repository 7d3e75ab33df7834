"""Roundtables in a real browser: the whole journey from a new roundtable to a done action and
the meeting's .ics file, the pages on a 390 px phone, and the coordinator's one-row header."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from app.extensions import db
from app.roundtables.models import ActionItem, Meeting, Roundtable, RoundtableMember, as_utc
from tests.fixtures.browser import PHONE, fits_the_viewport

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
BERLIN = ZoneInfo("Europe/Berlin")


def _stored(model, **filters):
    """The row as the live server committed it (the test's session may hold a stale copy)."""
    db.session.rollback()
    return db.session.execute(db.select(model).filter_by(**filters)).scalar_one()


def _second_person(browser_page, chromium_browser, live_server):
    """Another audited page in a fresh context (no cookies), at desktop width."""
    context = chromium_browser.new_context(locale="en-GB", viewport=DESKTOP)
    return type(browser_page)(context.new_page(), live_server), context


def _create_roundtable(browser_page, coordinator) -> Roundtable:
    """The coordinator creates a roundtable through the form, with themself as secretariat."""
    page = browser_page.visit("/en/roundtables/")
    browser_page.follow(page.get_by_role("link", name="New roundtable"))
    main = page.get_by_role("main")
    main.get_by_label("Name", exact=True).fill("Runder Tisch Berlin-Mitte")
    main.get_by_label("City or area").fill("Berlin-Mitte")
    main.get_by_label("German").check()
    main.get_by_label("English").check()
    main.get_by_label("Secretariat").select_option(str(coordinator.id))
    browser_page.follow(main.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Runder Tisch Berlin-Mitte")
    return _stored(Roundtable, name="Runder Tisch Berlin-Mitte")


def _invite(browser_page, member) -> None:
    """The secretariat invites the member, who sits for the police."""
    page = browser_page.page
    browser_page.follow(page.get_by_role("main").get_by_role("link", name="Members", exact=True))
    main = page.get_by_role("main")
    main.get_by_label("Member to invite").select_option(str(member.id))
    main.get_by_label("Agency they represent").select_option("police")
    browser_page.follow(main.get_by_role("button", name="Send the invitation"))
    expect(page.get_by_text(f"{member.name} was invited.")).to_be_visible()


def _accept(invitee_page, roundtable: Roundtable, member) -> None:
    """The member logs in, finds the invitation on the roundtables page and accepts it."""
    page = invitee_page.log_in(member.email)
    invitee_page.audit()
    invitee_page.visit("/en/roundtables/")
    invitations = page.get_by_role("region", name="Your invitations")
    invitee_page.follow(invitations.get_by_role("link", name=roundtable.name))
    expect(page.get_by_role("main").get_by_label("Agency you represent")).to_have_value("police")
    invitee_page.follow(page.get_by_role("button", name="Accept the invitation"))


def _plan_meeting(browser_page, roundtable: Roundtable, day: date) -> Meeting:
    """The secretariat plans a meeting at 18:00-20:00 Berlin time on the given day."""
    page = browser_page.visit(f"/en/roundtables/{roundtable.id}")
    browser_page.follow(page.get_by_role("link", name="Plan a meeting"))
    main = page.get_by_role("main")
    main.get_by_label("Title").fill("Fallkonferenz Mai")
    main.get_by_label("Date").fill(day.isoformat())
    main.get_by_label("Starts at").fill("18:00")
    main.get_by_label("Ends at").fill("20:00")
    main.get_by_label("Time zone").select_option("Europe/Berlin")
    main.get_by_label("Place").fill("Rathaus Mitte, Raum 4")
    browser_page.follow(main.get_by_role("button", name="Plan the meeting"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fallkonferenz Mai")
    return _stored(Meeting, title="Fallkonferenz Mai")


def _add_agenda_point(browser_page, case) -> None:
    """A point on the agenda about the ARENA case (a joint case conference)."""
    page = browser_page.page
    agenda = page.locator("#agenda")
    agenda.get_by_text("Add an agenda point").click()
    agenda.get_by_label("Agenda point").fill("Joint case conference")
    agenda.get_by_label("Linked ARENA case").select_option(str(case.id))
    browser_page.follow(agenda.get_by_role("button", name="Add the point"))
    expect(page.locator("#agenda").get_by_role("link", name=f"Case #{case.id}")).to_be_visible()


def _record_minutes_and_action(browser_page, member) -> None:
    """Minutes in Markdown, then an action owned by the member, due in two weeks."""
    page = browser_page.page
    browser_page.follow(page.get_by_role("link", name="Write the minutes"))
    page.get_by_role("main").get_by_label("Minutes").fill(
        "The school and the police **agree** on a joint talk.\n\n- Next step: parents")
    browser_page.follow(page.get_by_role("button", name="Save the minutes"))
    minutes = page.locator("#minutes")
    expect(minutes.locator("strong")).to_have_text("agree")
    actions = page.locator("#actions")
    actions.get_by_text("Add an action").click()
    actions.get_by_label("What is to be done").fill("Invite the parents to a joint talk")
    actions.get_by_label("Who does it").select_option(str(member.id))
    actions.get_by_label("Due date").fill((date.today() + timedelta(days=14)).isoformat())
    browser_page.follow(actions.get_by_role("button", name="Add the action"))
    added = page.locator("#actions .action-item")
    expect(added.locator(".action-title strong")).to_have_text("Invite the parents to a joint talk")
    expect(added.locator(".meta")).to_contain_text(member.name)


def _mark_done(member_page) -> None:
    """The member finds the action on "My actions" and marks it done."""
    page = member_page.visit("/en/roundtables/actions")
    row = page.get_by_role("row").filter(has_text="Invite the parents to a joint talk")
    member_page.follow(row.get_by_role("button", name="Mark done"))
    expect(page.get_by_role("heading", name="0 open actions")).to_be_visible()


def test_coordinator_runs_a_roundtable_and_the_member_follows_up(
    browser_page, chromium_browser, live_server, make_user, make_case
):
    case = make_case(country="DE")
    coordinator = make_user(role="coordinator", country="DE", name="Cora Koordinatorin")
    member = make_user(country="DE", name="Paul Polizist", organisation="Polizei Berlin")
    page = browser_page.page
    page.set_viewport_size(DESKTOP)
    browser_page.log_in(coordinator.email)
    browser_page.audit()
    roundtable = _create_roundtable(browser_page, coordinator)
    _invite(browser_page, member)
    invitee, context = _second_person(browser_page, chromium_browser, live_server)
    _accept(invitee, roundtable, member)
    seat = _stored(RoundtableMember, roundtable_id=roundtable.id, user_id=member.id)
    assert seat.status == "active"
    assert seat.agency == "police"
    day = date.today() + timedelta(days=30)
    meeting = _plan_meeting(browser_page, roundtable, day)
    assert as_utc(meeting.starts_at) == datetime.combine(day, time(18), BERLIN).astimezone(UTC)
    _add_agenda_point(browser_page, case)
    _record_minutes_and_action(browser_page, member)
    _mark_done(invitee)
    context.close()
    assert _stored(ActionItem, roundtable_id=roundtable.id).status == "done"

    browser_page.visit(f"/en/roundtables/meetings/{meeting.id}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    calendar = Calendar.from_ical(download.value.path().read_bytes())
    event = next(iter(calendar.walk("VEVENT")))
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.decoded("DTSTART").astimezone(UTC) == as_utc(meeting.starts_at)


@pytest.fixture
def busy_secretariat(make_user, make_roundtable, make_meeting):
    """A DE coordinator who runs a roundtable with long German names, a public meeting with an
    agenda, minutes and actions; the coordinator owns an open action."""
    from app.roundtables.models import AgendaItem

    coordinator = make_user(role="coordinator", country="DE",
                            name="Katharina Müller-Lüdenscheidt-Oberhausen",
                            organisation="Landesdemokratiezentrum Sachsen-Anhalt e.V.")
    member = make_user(country="DE", name="Zsófia Kovácsné Szabó-Nagy",
                       organisation="Jugendamt Friedrichshain-Kreuzberg")
    roundtable = make_roundtable(
        secretariat=[coordinator], members=[member], public_profile=True,
        name="Runder Tisch Radikalisierungsprävention Dąbrowa Górnicza",
        city="Friedrichshain-Kreuzberg", languages=["de", "hu", "en"],
        description="Wir treffen uns monatlich.",
        description_html="<p>Wir treffen uns monatlich.</p>")
    meeting = make_meeting(roundtable, public=True, title="Fallkonferenz Jugendhilfeplanung",
                           online_link="https://meet.example.org/" + "rundertisch" * 8,
                           minutes_html="<p>Gemeinsame Fallbesprechung</p>", minutes="x")
    db.session.add_all([
        AgendaItem(meeting_id=meeting.id, title="Gemeinsame Fallbesprechung Schulsozialarbeit",
                   position=0, owner_id=member.id),
        ActionItem(roundtable_id=roundtable.id, meeting_id=meeting.id, owner_id=coordinator.id,
                   title="Elternabend mit der Schulsozialarbeit vorbereiten",
                   due_on=date.today() - timedelta(days=3)),
    ])
    db.session.commit()
    return {"coordinator": coordinator, "roundtable": roundtable, "meeting": meeting}


@pytest.mark.parametrize("language", ["de", "hu"])
def test_roundtable_pages_fit_a_phone(browser_page, busy_secretariat, language):
    roundtable_id = busy_secretariat["roundtable"].id
    meeting_id = busy_secretariat["meeting"].id
    page = browser_page.log_in(busy_secretariat["coordinator"].email)
    page.set_viewport_size(PHONE)
    for path in (f"{roundtable_id}", f"{roundtable_id}/members", f"meetings/{meeting_id}",
                 "actions", "calendar", f"{roundtable_id}/meetings/new",
                 f"{roundtable_id}/edit", "new"):
        browser_page.visit(f"/{language}/roundtables/{path}")
        # Open every folded form (add an agenda point, an action...): they must fit too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        browser_page.audit()
        assert fits_the_viewport(page), path


def _header_boxes(page) -> list[dict]:
    """The bounding boxes of the header's brand and of every item of its three lists."""
    return page.evaluate("""[...document.querySelectorAll(
        '.site-header .brand, .site-header li')].map(e => {
            const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; })""")


@pytest.mark.parametrize("language", ["en", "de", "pl", "ro", "hu"])
def test_coordinator_header_stays_on_one_row(browser_page, make_user, make_roundtable,
                                             language):
    from app.arena.models import Notification

    coordinator = make_user(role="coordinator", country="DE",
                            name="Katharina Müller-Lüdenscheidt")
    make_roundtable(secretariat=[coordinator])
    # A two-digit unread badge widens the notifications link.
    db.session.add_all([Notification(user_id=coordinator.id, kind="roundtable",
                                     endpoint="roundtables.list_roundtables")
                        for _ in range(12)])
    db.session.commit()
    page = browser_page.log_in(coordinator.email)
    page.set_viewport_size(DESKTOP)
    browser_page.visit(f"/{language}/roundtables/")
    expect(page.locator(".site-header .badge")).to_have_text("12")
    boxes = _header_boxes(page)
    # One row: the lowest top lies above the highest bottom (a wrapped item starts below
    # the first row's bottom, a brand on two lines ends below the others' bottom).
    assert max(b["top"] for b in boxes) < min(b["bottom"] for b in boxes)
    assert fits_the_viewport(page)
