"""The dashboard's figures equal counts made in Python from the fixture's own lists, for
admins (all countries or one) and coordinators (always their own); the access matrix; a
fixed number of statements whatever the data size."""

from __future__ import annotations

from collections import Counter
from statistics import median

import pytest

from app.insights.dashboard import Scope, build_dashboard
from tests.fixtures.app import counted_statements, csrf_token_from
from tests.fixtures.dashboard import PERIOD
from tests.fixtures.users import log_in

URL = "/en/dashboard"
QUERY = {"date_from": PERIOD[0].isoformat(), "date_to": PERIOD[1].isoformat()}


def in_period(moment) -> bool:
    """The moment falls on a day of PERIOD."""
    return moment is not None and PERIOD[0] <= moment.date() <= PERIOD[1]


def of(country, value: str) -> bool:
    """The value belongs to the country (None: every country)."""
    return country is None or value == country


def expected(planned, country: str | None) -> dict:
    """Every figure, counted from the fixture's objects."""
    alerts = [a for a in planned.alerts if of(country, a.country) and in_period(a.created_at)]
    cases = [c for c in planned.cases if of(country, c.country) and in_period(c.created_at)]
    released = [r for r in planned.recommendations if in_period(r.released_at)
                and of(country, _case(planned, r.case_id).country)]  # fmt: skip
    return {
        "alerts_total": len(alerts),
        "alerts_by_status": dict(Counter(a.status for a in alerts)),
        "alerts_by_category": dict(Counter(c for a in alerts for c in a.categories)),
        "alerts_by_setting": dict(Counter(a.setting for a in alerts)),
        "alerts_by_topic": dict(Counter(t for a in alerts for t in a.topics)),
        "alerts_by_language": dict(Counter(a.language for a in alerts)),
        "months": Counter(f"{a.created_at:%Y-%m}" for a in alerts),
        "cases_by_status": dict(Counter(c.status for c in cases)),
        "response": _median([_first_response(planned, c) for c in cases]),
        "release": _median([_first_release(planned, c) for c in cases]),
        "released": len(released),
        "recommended": Counter(i for r in released for i in r.resource_ids),
        "unhelpful": _unhelpful(planned, country),
        "new_members": sum(
            1
            for m in planned.members
            if m.status == "approved" and of(country, m.country) and in_period(m.created_at)
        ),  # fmt: skip
        "pending": sum(
            1 for m in planned.members if m.status == "pending" and of(country, m.country)
        ),  # fmt: skip
        "waiting": _waiting(planned, country),
    }


def _case(planned, case_id):
    return next(c for c in planned.cases if c.id == case_id)


def _hours(case, moment):
    return None if moment is None else (moment - case.created_at).total_seconds() / 3600


def _first_response(planned, case):
    moments = [m.created_at for m in planned.comments if m.case_id == case.id and m.author_id]
    moments += [r.created_at for r in planned.recommendations if r.case_id == case.id]
    return _hours(case, min(moments, default=None))


def _first_release(planned, case):
    moments = [r.released_at for r in planned.recommendations
               if r.case_id == case.id and r.released_at]  # fmt: skip
    return _hours(case, min(moments, default=None))


def _median(values):
    known = [v for v in values if v is not None]
    return median(known) if known else None


def _unhelpful(planned, country) -> dict[str, int]:
    alerts = {a.id: a for a in planned.alerts}
    return dict(Counter(f.doc_id for f in planned.feedback if not f.helped
                        and in_period(f.created_at)
                        and of(country, alerts[f.alert_id].country)))  # fmt: skip


def _waiting(planned, country) -> list[int]:
    released = {r.case_id for r in planned.recommendations if r.released_at}
    open_cases = [c for c in planned.cases if c.status != "closed" and c.id not in released
                  and of(country, c.country)]  # fmt: skip
    return [c.id for c in sorted(open_cases, key=lambda c: (c.created_at, c.id))]


@pytest.mark.parametrize("country", [None, "DE", "PL", "HU"])
def test_figures_equal_the_fixtures_counts(app, dashboard_data, country):
    """Every figure of the service equals the count made from the fixture's list."""
    want = expected(dashboard_data, country)
    got = build_dashboard(Scope(country, *PERIOD), "en")
    assert got.alerts_total == want["alerts_total"]
    assert got.alerts_by_status == want["alerts_by_status"]
    assert got.alerts_by_category == want["alerts_by_category"]
    assert got.alerts_by_setting == want["alerts_by_setting"]
    assert got.alerts_by_topic == want["alerts_by_topic"]
    assert got.alerts_by_language == want["alerts_by_language"]
    assert got.alerts_by_month == {m: want["months"][m] for m in got.scope.months()}
    assert got.cases_by_status == want["cases_by_status"]
    assert got.median_hours_to_first_response == want["response"]
    assert got.median_hours_to_first_release == want["release"]
    assert got.recommendations_released == want["released"]
    assert {int(i.key): i.count for i in got.most_recommended} == dict(want["recommended"])
    assert {i.key: i.count for i in got.unhelpful} == want["unhelpful"]
    assert got.new_members == want["new_members"]
    assert got.pending_vettings == want["pending"]
    assert [c.id for c in got.waiting_longest] == want["waiting"]


def test_the_fixture_exercises_every_figure(app, dashboard_data):
    """The network's expectations are not trivially empty (else the test above proves little)."""
    want = expected(dashboard_data, None)
    assert want["alerts_total"] == 7
    assert want["response"] is not None
    assert want["release"] is not None
    assert want["recommended"]
    assert want["unhelpful"]
    assert want["waiting"]
    assert want["new_members"] == 2


def test_months_cover_the_period_with_zeros(app, dashboard_data):
    """Every month of the period has its bar, empty months at zero."""
    got = build_dashboard(Scope("DE", *PERIOD), "en")
    assert list(got.alerts_by_month) == [f"2026-0{m}" for m in range(1, 7)]
    assert got.alerts_by_month["2026-05"] == 0


def test_admin_page_shows_the_chosen_country(client, make_user, dashboard_data):
    """An admin chooses a country; the page shows its figures and its title."""
    log_in(client, make_user(role="admin", country="DE"))
    html = client.get(URL, query_string={**QUERY, "country": "PL"}).get_data(as_text=True)
    assert "Dashboard for Poland" in html
    assert f"<dd>{expected(dashboard_data, 'PL')['alerts_total']}</dd>" in html


def test_coordinator_sees_only_their_country(client, make_user, dashboard_data):
    """A coordinator asking for another country still gets their own."""
    log_in(client, make_user(role="coordinator", country="DE"))
    html = client.get(URL, query_string={**QUERY, "country": "PL"}).get_data(as_text=True)
    assert "Dashboard for Germany" in html
    assert f"<dd>{expected(dashboard_data, 'DE')['alerts_total']}</dd>" in html
    assert 'name="country"' not in html.split('<form method="post"')[0]


def test_waiting_cases_link_to_their_page(client, make_user, dashboard_data):
    """The longest-waiting cases link to their page, library items to theirs."""
    log_in(client, make_user(role="admin"))
    html = client.get(URL, query_string=QUERY).get_data(as_text=True)
    for case_id in expected(dashboard_data, None)["waiting"]:
        assert f'href="/en/arena/cases/{case_id}"' in html
    assert 'href="/en/library/practice/dash-0"' in html


@pytest.mark.parametrize(
    "query",
    [
        {"date_from": "2026-13-40"},
        {"date_from": "2026-06-01", "date_to": "2026-01-01"},
        {"date_from": "2019-01-01", "date_to": "2026-01-01"},
    ],
)
def test_invalid_period_shows_an_error_and_the_default(client, make_user, query):
    """An unreadable, backwards or too long period: an error, and the last twelve months."""
    log_in(client, make_user(role="admin"))
    response = client.get(URL, query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The last twelve months are shown instead." in html


def test_german_page(client, make_user):
    """The page speaks the visitor's language."""
    log_in(client, make_user(role="admin"))
    response = client.get("/de/dashboard")
    assert response.status_code == 200
    assert 'lang="de"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ("member", "approved", 404),
        ("coordinator", "pending", 302),
        ("coordinator", "approved", 200),
        ("admin", "approved", 200),
    ],
)
def test_access_to_the_page(client, make_user, role, status, code):
    """Coordinators and admins only; other members find nothing (404)."""
    log_in(client, make_user(role=role, status=status))
    assert client.get(URL).status_code == code


def token(client, page: str = "/en/login") -> str:
    """A valid CSRF token of the client's session (from a page with a form)."""
    return csrf_token_from(client.get(page).get_data(as_text=True))


def test_anonymous_visitors_go_to_login(client):
    """Anonymous visitors are sent to the login page, for the page and the export."""
    assert "/login" in client.get(URL).headers["Location"]
    data = {"csrf_token": token(client), "export": "cases-csv"}
    assert "/login" in client.post(f"{URL}/export", data=data).headers["Location"]


def test_member_cannot_export(client, make_user):
    """The export answers 404 to a member, even with a valid token."""
    log_in(client, make_user(role="member"))
    data = {"csrf_token": token(client, "/en/"), "export": "cases-csv"}
    assert client.post(f"{URL}/export", data=data).status_code == 404


def test_export_without_token_is_refused(client, make_user):
    """No CSRF token, no file."""
    log_in(client, make_user(role="admin"))
    assert client.post(f"{URL}/export", data={"export": "cases-csv"}).status_code == 400


def test_statements_stay_constant_as_data_grows(client, make_user, dashboard_data, make_case):
    """Ten more cases and alerts: the page runs the same number of statements."""
    log_in(client, make_user(role="admin"))
    client.get(URL, query_string=QUERY)
    with counted_statements() as before:
        client.get(URL, query_string=QUERY)
    for _ in range(10):
        make_case(country="DE")
    client.get(URL, query_string=QUERY)  # the session reloads the user after the commits
    with counted_statements() as after:
        client.get(URL, query_string=QUERY)
    assert len(after) == len(before)


def test_empty_dashboard_says_so(client, make_user):
    """Without data every table has its empty state and every chart its text."""
    log_in(client, make_user(role="admin"))
    html = client.get(URL).get_data(as_text=True)
    assert "No case is waiting." in html
    assert "No recommendation named a library item in this period." in html
    assert "No item was rated unhelpful in this period." in html
    assert "No alert was received in this period." in html
    assert html.count('role="img"') == 7
