"""Directories kept on the portal: trainers, experts, donors and organisations edited by
coordinators and linked members, funding list order, outdated calls, "who is where", retiring,
and the loader that never overwrites a portal edit."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.library import directory_access
from app.library.models import ContentItem

pytestmark = pytest.mark.usefixtures("library_index")

TODAY = date(2027, 3, 10)
DONOR = {
    "title": "Civic Courage Fund",
    "summary": "Grants for prevention projects.",
    "body": "Apply with a short concept.",
    "language": "en",
    "countries": ["DE"],
    "topics": ["schools"],
    "deadline": "2027-05-01",
    "amount_from": "5000",
    "amount_to": "20000",
    "website": "https://example.org/fund",
}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    """Deadlines are judged against a fixed day."""
    monkeypatch.setattr(directory_access, "today", lambda: TODAY)


@pytest.fixture
def people(make_user):
    """One of each: member, linked member, coordinators of DE and PL, admin."""
    return {
        "member": make_user(),
        "linked": make_user(email="linked@example.org"),
        "coordinator": make_user(role="coordinator", country="DE"),
        "other_coordinator": make_user(role="coordinator", country="PL"),
        "second_coordinator": make_user(role="coordinator", country="DE"),
        "admin": make_user(role="admin", country="HU"),
    }


@pytest.fixture
def trainer(make_item, people):
    """A published German trainer entry linked to the "linked" member."""
    return make_item(
        type="trainer",
        slug="bridge-trainers",
        title="Bridge Trainers",
        countries=["DE"],
        extra={"member_id": people["linked"].id, "city": "Leipzig", "agency": "youth_work"},
    )


def _status(client, url: str) -> int:
    return client.get(url).status_code


def _as(client, login, user):
    if user is None:
        client.post("/en/logout")
        with client.session_transaction() as session:
            session.clear()
        return client
    return login(user)


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 302), ("member", 404), ("linked", 404), ("coordinator", 200), ("admin", 200)],
)
def test_new_directory_entries_are_written_by_coordinators(client, login, people, who, expected):
    _as(client, login, people.get(who))
    assert _status(client, "/en/library/new/donor") == expected


@pytest.mark.parametrize("page", ["edit", "retire"])
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (None, 302),
        ("member", 404),
        ("linked", 200),
        ("coordinator", 200),
        ("other_coordinator", 404),
        ("admin", 200),
    ],
)
def test_who_may_edit_or_retire_a_trainer_entry(client, login, people, trainer, who, expected,
                                                page):
    _as(client, login, people.get(who))
    assert _status(client, f"/en/library/items/{trainer.id}/{page}") == expected


@pytest.mark.parametrize("who", [None, "member", "coordinator"])
def test_who_is_where_is_public(client, login, people, who):
    _as(client, login, people.get(who))
    assert _status(client, "/en/library/who-is-where") == 200


def test_only_coordinators_see_the_member_link_field(client, login, people, trainer):
    login(people["linked"])
    assert 'name="member_email"' not in client.get(f"/en/library/items/{trainer.id}/edit").get_data(
        as_text=True
    )
    login(people["coordinator"])
    html = client.get(f"/en/library/items/{trainer.id}/edit").get_data(as_text=True)
    assert 'value="linked@example.org"' in html


def test_an_entry_with_no_national_country_is_kept_by_every_coordinator(
    client, login, people, make_item
):
    item = make_item(type="donor", slug="eu-fund", countries=["EU"])
    login(people["other_coordinator"])
    assert _status(client, f"/en/library/items/{item.id}/edit") == 200


# Validation --------------------------------------------------------------------------------


def _new_donor(post_form, **changes):
    return post_form("/en/library/new/donor", {**DONOR, **changes, "save": "1"})


def test_a_new_call_cannot_close_in_the_past(login, people, post_form, db):
    login(people["coordinator"])
    html = _new_donor(post_form, deadline="2027-03-09").get_data(as_text=True)
    assert "The deadline of a new call cannot be in the past." in html
    assert "Apply with a short concept." in html
    assert db.session.scalars(select(ContentItem)).first() is None


def test_the_amount_range_runs_upwards(login, people, post_form):
    login(people["coordinator"])
    html = _new_donor(post_form, amount_from="30000").get_data(as_text=True)
    assert "The amount up to must not be smaller than the amount from." in html
    assert 'value="30000"' in html


def test_the_website_must_be_a_web_address(login, people, post_form):
    login(people["coordinator"])
    html = _new_donor(post_form, website="example.org").get_data(as_text=True)
    assert "Please give an address starting with https://." in html


def test_the_link_must_name_an_approved_member(login, people, post_form):
    login(people["coordinator"])
    data = {**DONOR, "title": "Trainers", "member_email": "nobody@example.org", "save": "1"}
    del data["deadline"]
    html = post_form("/en/library/new/trainer", data).get_data(as_text=True)
    assert "No approved member has this e-mail address." in html


def test_a_coordinator_links_a_member_who_then_edits(client, login, people, post_form, db):
    login(people["coordinator"])
    data = {
        "title": "Youth Trainers",
        "body": "We train.",
        "language": "en",
        "countries": ["DE"],
        "city": "Halle",
        "agency": "youth_work",
        "member_email": "LINKED@example.org",
        "save": "1",
    }
    post_form("/en/library/new/trainer", data)
    item = db.session.scalars(select(ContentItem)).one()
    assert item.extra["member_id"] == people["linked"].id
    assert item.extra["city"] == "Halle"
    login(people["linked"])
    assert _status(client, f"/en/library/items/{item.id}/edit") == 200


# The review workflow, end to end -------------------------------------------------------------


def test_a_donor_goes_through_review_to_the_funding_list(client, login, people, post_form, db):
    login(people["coordinator"])
    assert _new_donor(post_form).status_code == 302
    item = db.session.scalars(select(ContentItem)).one()
    assert item.deadline == date(2027, 5, 1)
    assert item.extra["amount_to"] == 20000
    post_form(f"/en/library/items/{item.id}/edit", {}, action=f"/en/library/items/{item.id}/submit")
    assert _status(client, f"/en/library/review/{item.id}") == 404  # not one's own edit
    login(people["second_coordinator"])
    assert "Civic Courage Fund" in client.get("/en/library/review").get_data(as_text=True)
    post_form(f"/en/library/review/{item.id}", {"action": "publish"})
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).status == "published"
    html = client.get("/en/library/donors").get_data(as_text=True)
    assert "Civic Courage Fund" in html
    assert "5,000 to 20,000 EUR" in html


def test_a_linked_members_edit_goes_back_to_review(client, login, people, trainer, post_form, db):
    login(people["linked"])
    data = {
        "title": "Bridge Trainers Leipzig",
        "body": "New text.",
        "language": "en",
        "countries": ["DE"],
        "city": "Leipzig",
        "agency": "youth_work",
        "save": "1",
    }
    post_form(f"/en/library/items/{trainer.id}/edit", data)
    db.session.expire_all()
    item = db.session.get(ContentItem, trainer.id)
    assert item.status == "in_review"
    assert item.extra["member_id"] == people["linked"].id  # the link survives the edit
    login(people["coordinator"])
    assert _status(client, f"/en/library/review/{trainer.id}") == 200


def test_the_last_editor_does_not_review_their_own_edit(
    client, login, people, make_item, post_form
):
    item = make_item(
        type="donor",
        slug="fund",
        title="Fund",
        countries=["DE"],
        author_id=people["coordinator"].id,
        extra={"rolling": True},
    )
    login(people["second_coordinator"])
    post_form(
        f"/en/library/items/{item.id}/edit",
        {
            "title": "Fund",
            "body": "New.",
            "language": "en",
            "countries": ["DE"],
            "rolling": "y",
            "save": "1",
        },
    )
    assert _status(client, f"/en/library/review/{item.id}") == 404
    login(people["coordinator"])
    assert _status(client, f"/en/library/review/{item.id}") == 200


def test_a_donor_is_translated_with_its_deadline(client, login, people, make_item, post_form, db):
    original = make_item(
        type="donor",
        slug="fund",
        countries=["DE"],
        deadline=date(2027, 2, 1),
        extra={"amount_to": 9000},
    )
    login(people["member"])
    url = f"/en/library/items/{original.id}/translate/de"
    post_form(
        url,
        {
            "title": "Fonds",
            "body": "Text.",
            "language": "de",
            "countries": ["DE"],
            "deadline": "2027-02-01",
            "amount_to": "9000",
            "save": "1",
        },
    )
    german = db.session.scalars(select(ContentItem).where(ContentItem.language == "de")).one()
    assert german.slug == "fund"
    assert german.deadline == date(2027, 2, 1)


# The funding list ------------------------------------------------------------------------------


def test_open_calls_come_first_then_rolling_then_passed(client, make_item):
    make_item(type="donor", slug="passed", title="Passed Fund", deadline=date(2027, 3, 9))
    make_item(type="donor", slug="rolling", title="Rolling Fund", extra={"rolling": True})
    make_item(type="donor", slug="later", title="Later Fund", deadline=date(2027, 6, 1))
    make_item(type="donor", slug="today", title="Today Fund", deadline=TODAY)
    html = client.get("/en/library/donors").get_data(as_text=True)
    order = [
        html.index(name) for name in ("Today Fund", "Later Fund", "Rolling Fund", "Passed Fund")
    ]
    assert order == sorted(order)
    assert (
        html.index("Rolling Fund") < html.index('id="closed-heading"') < html.index("Passed Fund")
    )


def test_the_funding_list_filters_by_theme(client, make_item):
    make_item(
        type="donor", slug="a", title="School Fund", topics=["schools"], extra={"rolling": True}
    )
    make_item(
        type="donor",
        slug="b",
        title="Online Fund",
        topics=["online_radicalisation"],
        extra={"rolling": True},
    )
    html = client.get("/en/library/donors?topic=schools").get_data(as_text=True)
    assert "School Fund" in html
    assert "Online Fund" not in html


def test_coordinators_see_the_programmes_whose_deadline_passed(client, login, people, make_item):
    passed = date(2026, 1, 1)
    mine = make_item(type="donor", slug="mine", countries=["DE"], deadline=passed)
    for slug, title, country, extra in (
        ("polish", "Old Polish Fund", "PL", {}),
        ("ok", "Rolling German Fund", "DE", {"rolling": True}),
    ):
        make_item(
            type="donor", slug=slug, title=title, countries=[country], deadline=passed, extra=extra
        )
    login(people["coordinator"])
    html = client.get("/en/library/donors").get_data(as_text=True)
    section = html[html.index('id="outdated-heading"') : html.index('id="open-heading"')]
    assert f"/en/library/items/{mine.id}/edit" in section
    assert "Old Polish Fund" not in section
    assert "Rolling German Fund" not in section


def test_members_do_not_see_the_outdated_section(client, login, people, make_item):
    make_item(type="donor", slug="old", countries=["DE"], deadline=date(2026, 1, 1))
    login(people["member"])
    assert 'id="outdated-heading"' not in client.get("/en/library/donors").get_data(as_text=True)


# Retiring ----------------------------------------------------------------------------------


def test_a_retired_entry_leaves_the_list(client, login, people, trainer, post_form, db):
    assert "Bridge Trainers" in client.get("/en/library/trainers").get_data(as_text=True)
    login(people["coordinator"])
    url = f"/en/library/items/{trainer.id}/retire"
    refused = post_form(url, {"reason": ""})
    assert refused.status_code == 400
    assert "Please give a reason." in refused.get_data(as_text=True)
    post_form(url, {"reason": "The organisation closed."})
    db.session.expire_all()
    item = db.session.get(ContentItem, trainer.id)
    assert item.status == "unpublished"
    assert item.review_comment == "The organisation closed."
    assert "Bridge Trainers" not in client.get("/en/library/trainers").get_data(as_text=True)
    assert "Bridge Trainers" not in client.get("/en/library/who-is-where").get_data(as_text=True)


# Who is where --------------------------------------------------------------------------------

ENTRIES = [  # type, country list, city, agency
    ("organisation", ["DE"], "Leipzig", "school"),
    ("organisation", ["DE"], "Berlin", "police"),
    ("trainer", ["DE", "PL"], "Berlin", "school"),
    ("organisation", ["PL"], "", "civil_society"),
    ("trainer", ["RO"], "Cluj", ""),
]


@pytest.fixture
def directory(make_item):
    """The ENTRIES, published, plus a draft and a donor that must not be counted."""
    for number, (kind, countries, city, agency) in enumerate(ENTRIES):
        make_item(
            type=kind,
            slug=f"entry-{number}",
            title=f"Entry {number}",
            countries=countries,
            extra={"city": city, "agency": agency},
        )
    make_item(
        type="organisation",
        slug="draft",
        title="Draft Org",
        status="draft",
        countries=["DE"],
        extra={"agency": "school"},
    )
    make_item(type="donor", slug="donor", title="A Donor", countries=["DE"])


def _expected_counts() -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for _kind, countries, _city, agency in ENTRIES:
        for country in countries:
            key = (country, agency or "other")
            counts[key] = counts.get(key, 0) + 1
    return counts


def _table_counts(html: str) -> dict[tuple[str, str], int]:
    counts = {}
    for country, row in re.findall(r'<tr data-country="(\w+)">(.*?)</tr>', html, re.S):
        for agency, number in re.findall(r'data-agency="(\w+)">(\d+)<', row):
            if agency != "total" and number != "0":
                counts[(country, agency)] = int(number)
    return counts


def test_who_is_where_counts_per_agency_and_country(client, directory):
    html = client.get("/en/library/who-is-where").get_data(as_text=True)
    assert _table_counts(html) == _expected_counts()
    assert "Draft Org" not in html
    assert "A Donor" not in html


def test_who_is_where_groups_by_city(client, directory):
    html = client.get("/en/library/who-is-where?country=DE").get_data(as_text=True)
    assert (
        html.index("<h3>Berlin</h3>")
        < html.index("Entry 1")
        < html.index("<h3>Leipzig</h3>")
        < html.index("Entry 0")
    )
    assert 'id="country-PL"' not in html


def test_who_is_where_filters_by_agency(client, directory):
    html = client.get("/en/library/who-is-where?agency=school").get_data(as_text=True)
    assert _table_counts(html) == {("DE", "school"): 2, ("PL", "school"): 1}


def test_who_is_where_asks_the_same_statements_for_more_entries(client, make_item, directory):
    from tests.fixtures.app import counted_statements

    client.get("/en/library/who-is-where")
    with counted_statements() as few:
        client.get("/en/library/who-is-where")
    for number in range(10):
        make_item(
            type="organisation",
            slug=f"more-{number}",
            countries=["HU"],
            extra={"city": "Pécs", "agency": "health"},
        )
    with counted_statements() as many:
        client.get("/en/library/who-is-where")
    assert len(many) == len(few)


# The loader keeps portal edits -----------------------------------------------------------------


def test_the_loader_keeps_an_entry_edited_on_the_portal(
    login, people, post_form, db, content_copy, load_content
):
    load_content(content_copy)
    item = db.session.scalars(select(ContentItem).where(ContentItem.type == "trainer")).one()
    login(people["admin"])
    post_form(
        f"/en/library/items/{item.id}/edit",
        {
            "title": "Edited on the portal",
            "body": "New.",
            "language": "en",
            "countries": ["RO"],
            "save": "1",
        },
    )
    (content_copy / "trainer" / "training-collective.en.md").write_text(
        "---\ntitle: Changed in the file\ncountries: [RO]\n---\nFile text.\n", encoding="utf-8"
    )
    report = load_content(content_copy)[0]
    assert report.kept_edited == ["trainer/training-collective.en.md"]
    assert report.updated == []
    db.session.expire_all()
    assert db.session.get(ContentItem, item.id).title == "Edited on the portal"


def test_the_load_command_says_an_entry_was_edited_on_the_portal(
    login, people, post_form, db, content_copy, load_content, runner
):
    load_content(content_copy)
    item = db.session.scalars(
        select(ContentItem).where(ContentItem.type == "donor", ContentItem.slug == "open-fund")
    ).one()
    login(people["admin"])
    post_form(
        f"/en/library/items/{item.id}/edit",
        {
            "title": "Open Fund",
            "body": "New.",
            "language": "en",
            "countries": ["PL"],
            "rolling": "y",
            "save": "1",
        },
    )
    result = runner.invoke(args=["content", "load", str(content_copy)])
    assert (
        "donor/open-fund.en.md: not loaded: edited on the portal, the portal version is kept"
    ) in result.output


def test_the_loader_still_updates_entries_not_edited_on_the_portal(db, content_copy, load_content):
    load_content(content_copy)
    (content_copy / "trainer" / "training-collective.en.md").write_text(
        "---\ntitle: Changed in the file\ncountries: [RO]\nagency: school\n---\nText.\n",
        encoding="utf-8",
    )
    report = load_content(content_copy)[0]
    assert report.updated == ["trainer/training-collective.en.md"]
    assert report.kept_edited == []


def test_the_loader_refuses_an_unknown_agency(content_copy, load_content):
    from app.content.loader import ContentError

    (content_copy / "trainer" / "training-collective.en.md").write_text(
        "---\ntitle: Trainers\nagency: spies\n---\nText.\n", encoding="utf-8"
    )
    with pytest.raises(ContentError, match="agency type"):
        load_content(content_copy)


def test_a_roundtables_stakeholder_mapping_links_who_is_where(
    client, login, people, make_roundtable
):
    roundtable = make_roundtable(country="DE")
    login(people["coordinator"])
    html = client.get(f"/en/roundtables/{roundtable.id}").get_data(as_text=True)
    assert 'href="/en/library/who-is-where?country=DE"' in html
    assert "Who is where in Germany" in html


def test_the_entry_page_shows_amounts_city_and_agency(client, make_item):
    make_item(type="donor", slug="fund", extra={"amount_from": 1000, "amount_to": 5000})
    make_item(type="organisation", slug="org", extra={"city": "Pécs", "agency": "health"})
    assert "1,000 to 5,000 EUR" in client.get("/en/library/donor/fund").get_data(as_text=True)
    html = client.get("/en/library/organisation/org").get_data(as_text=True)
    assert "Pécs" in html
    assert "Health" in html
