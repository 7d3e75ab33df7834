"""The front door: every language, headers on every response."""

import pytest

LANGUAGES = ["en", "de", "pl", "ro", "hu"]


def test_root_redirects_to_accept_language(client):
    response = client.get("/", headers={"Accept-Language": "ro-RO,ro;q=0.9,en;q=0.5"})
    assert response.status_code == 302
    assert response.location.endswith("/ro/")


REPORT_BUTTON = {
    "en": "Report an incident",
    "de": "Einen Vorfall melden",
    "pl": "Zgłoś incydent",
    "ro": "Raportați un incident",
    "hu": "Incidens bejelentése",
}


@pytest.mark.parametrize("code", LANGUAGES)
def test_home_page_in_each_language(client, code):
    response = client.get(f"/{code}/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{code}">' in html
    assert REPORT_BUTTON[code] in html  # the compiled catalog is really used


def test_unknown_language_is_not_found(client):
    assert client.get("/xx/").status_code == 404


def test_security_headers_on_every_response(client):
    for url in ("/en/", "/en/privacy", "/en/does-not-exist"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_not_found_page_is_localised(client):
    response = client.get("/de/does-not-exist")
    assert response.status_code == 404
    assert '<html lang="de">' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "query", ["_method=POST", "_anchor=x", "_scheme=javascript", "lang_code=xx"]
)
def test_url_instructions_in_the_query_do_not_break_pages(client, query):
    response = client.get(f"/en/?{query}")
    assert response.status_code == 200
    assert 'href="/pl/' in response.get_data(as_text=True)
