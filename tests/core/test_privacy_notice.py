"""The privacy notice is filled from the configuration: controller, contacts, legal basis,
retention periods and what the rate limiter keeps instead of an IP address."""

from __future__ import annotations


def _notice(client) -> str:
    """The English privacy notice as HTML."""
    return client.get("/en/privacy").get_data(as_text=True)


def test_the_notice_names_the_configured_controller_and_contacts(app, client):
    app.config.update(PRIVACY_CONTROLLER="Prevention Network e.V., Leipzig",
                      PRIVACY_CONTACT="privacy@prevention.example",
                      PRIVACY_DPO_CONTACT="dpo@prevention.example")
    html = _notice(client)
    assert "The data controller for this portal is Prevention Network e.V., Leipzig." in html
    assert "privacy@prevention.example" in html
    assert "dpo@prevention.example" in html
    assert "has not yet named a data controller" not in html


def test_without_a_controller_the_notice_says_none_is_named(app, client):
    app.config["PRIVACY_CONTROLLER"] = ""
    assert "has not yet named a data controller" in _notice(client)


def test_the_notice_gives_the_legal_basis(app, client):
    app.config["PRIVACY_LEGAL_BASIS"] = "consent"
    assert "your consent (GDPR Art. 6(1)(a))" in _notice(client)


def test_the_notice_gives_the_configured_retention_periods(app, client):
    app.config.update(RETENTION_ALERT_DAYS=90, RETENTION_WARNING_DAYS=7,
                      RETENTION_ACCESS_LOG_DAYS=400)
    html = _notice(client)
    assert "deleted 90 days after the experts closed your case" in html
    assert "told 7 days before" in html
    assert "kept for 400 days" in html


def test_the_notice_says_what_the_rate_limiter_keeps(app, client):
    """A window counts until the end of the next one; the hourly prune then deletes it."""
    app.config["ALERT_RATE_LIMIT"] = [5, 3600]
    app.config["ALERT_DANGER_RATE_LIMIT"] = [20, 3600]
    html = _notice(client)
    assert "keyed hash" in html
    assert "at most 3 hours for reports" in html
    app.config["ALERT_DANGER_RATE_LIMIT"] = [20, 4 * 3600]
    assert "at most 9 hours for reports" in _notice(client)


def test_the_notice_is_translated_for_each_language(app, client):
    for language in app.config["LANGUAGES"]:
        assert client.get(f"/{language}/privacy").status_code == 200
