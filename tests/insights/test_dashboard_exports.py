"""Dashboard exports: no personal data in any file (a unique marker planted in every personal
text is grepped for, XLSX unzipped), the case list and figures are right, cells cannot run as
formulas, and every export is logged and shown to admins."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from app.alerts.models import Alert
from app.core.access_log import AccessLogEntry
from app.insights.exports import EXPORTS, safe_cell
from tests.fixtures.app import csrf_token_from
from tests.fixtures.dashboard import MARKER, PERIOD
from tests.fixtures.users import log_in

URL = "/en/dashboard"
PERIOD_DATA = {"date_from": PERIOD[0].isoformat(), "date_to": PERIOD[1].isoformat()}


def download(client, name: str, country: str = "") -> bytes:
    """Post the export button of the dashboard page, as a browser does; the file's bytes."""
    page = client.get(URL, query_string=PERIOD_DATA).get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "export": name, "country": country,
            **PERIOD_DATA}  # fmt: skip
    response = client.post(f"{URL}/export", data=data)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response.get_data()


def texts_of(name: str, content: bytes) -> list[str]:
    """Every text inside an export: the CSV, or each XML part of the XLSX."""
    if name.endswith("csv"):
        return [content.decode("utf-8")]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [archive.read(part).decode("utf-8") for part in archive.namelist()]


def csv_rows(content: bytes) -> list[dict]:
    """The rows of a CSV export (after its byte order mark)."""
    assert content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.fixture
def admin_client(client, make_user):
    """The client logged in as an admin."""
    log_in(client, make_user(role="admin"))
    return client


def test_the_marker_is_really_planted(app, dashboard_data):
    """The marker sits in the personal texts (else the grep below proves nothing)."""
    alert = dashboard_data.alerts[0]
    assert MARKER in alert.description
    assert MARKER.lower() in alert.contact_email
    assert MARKER in alert.messages[0].body
    assert MARKER in dashboard_data.comments[0].body


@pytest.mark.parametrize("name", EXPORTS)
def test_no_export_contains_personal_data(admin_client, dashboard_data, name):
    """Alert text, place, contact, messages, comments, names: none reaches an export."""
    for text in texts_of(name, download(admin_client, name)):
        assert MARKER.lower() not in text.lower()


def test_case_list_has_the_cases_of_the_period(admin_client, dashboard_data):
    """One row per case opened in the period (oldest first), with its counts."""
    rows = csv_rows(download(admin_client, "cases-csv"))
    wanted = sorted(
        (c for c in dashboard_data.cases if PERIOD[0] <= c.created_at.date() <= PERIOD[1]),
        key=lambda c: (c.created_at, c.id),
    )
    assert [int(row["case_id"]) for row in rows] == [c.id for c in wanted]
    comments = [sum(1 for m in dashboard_data.comments if m.case_id == c.id) for c in wanted]
    assert [int(row["comments"]) for row in rows] == comments
    recommendations = [
        sum(1 for r in dashboard_data.recommendations if r.case_id == c.id) for c in wanted
    ]
    assert [int(row["recommendations"]) for row in rows] == recommendations
    assert rows[0]["categories"] == ";".join(wanted[0].categories)


def test_coordinator_exports_only_their_country(client, make_user, dashboard_data):
    """A coordinator asking for another country's cases gets their own country's."""
    log_in(client, make_user(role="coordinator", country="PL"))
    rows = csv_rows(download(client, "cases-csv", country="DE"))
    assert {row["country"] for row in rows} == {"PL"}


def test_figures_export_holds_the_totals(admin_client, dashboard_data):
    """The figures file has the period's alert total of the fixture."""
    rows = csv_rows(download(admin_client, "figures-csv"))
    figures = {(row["section"], row["key"]): row["value"] for row in rows}
    total = sum(1 for a in dashboard_data.alerts if PERIOD[0] <= a.created_at.date() <= PERIOD[1])
    assert figures[("alerts", "total")] == str(total)
    assert figures[("scope", "country")] == "all"


def test_xlsx_is_a_workbook_with_the_cases(admin_client, dashboard_data):
    """The Excel case list is a real workbook whose sheet names the cases."""
    content = download(admin_client, "cases-xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert "hours_to_first_response" in strings


def test_formula_like_keys_are_defused(admin_client, db, dashboard_data):
    """A key starting like a formula is written with a leading apostrophe, in CSV and XLSX."""
    alert = db.session.scalars(select(Alert).order_by(Alert.id)).first()
    alert.categories = ["=HYPERLINK(1)"]
    db.session.commit()
    assert "'=HYPERLINK(1)" in download(admin_client, "figures-csv").decode("utf-8")
    xlsx = "".join(texts_of("figures-xlsx", download(admin_client, "figures-xlsx")))
    assert "'=HYPERLINK(1)" in xlsx
    assert "<f>" not in xlsx


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)"])
def test_safe_cell_prefixes_formula_starts(value):
    """Every formula start is defused."""
    assert safe_cell(value) == "'" + value


def test_every_export_is_logged(admin_client, db, dashboard_data):
    """Who, when and which file (and country) is logged for each export."""
    for name in EXPORTS:
        download(admin_client, name)
    entries = db.session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.action == "report_exported")
    ).all()
    assert sorted(entry.object_type for entry in entries) == sorted(f"{n}:all" for n in EXPORTS)
    assert all(entry.actor_id is not None for entry in entries)


def test_admins_see_exports_in_the_access_log(admin_client, dashboard_data):
    """The admin's access log lists the export with its label and file."""
    download(admin_client, "cases-csv")
    html = admin_client.get("/en/admin/access-log").get_data(as_text=True)
    assert "Exported dashboard figures" in html
    assert "cases-csv:all" in html


def test_viewing_the_dashboard_logs_nothing(admin_client, db, dashboard_data):
    """Only exports are logged, never a visit."""
    admin_client.get(URL, query_string=PERIOD_DATA)
    assert db.session.scalars(select(AccessLogEntry)).all() == []
