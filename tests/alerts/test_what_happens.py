"""The reporter's result page says honestly what happens to the report next, per situation."""

from __future__ import annotations

from flask import render_template

from app.accounts.models import utcnow
from app.alerts.models import Alert

NO_MATCH = "Nothing in the library resembles this at all: zqxv wplk trrm mmnb vvcx, bbnm qqwe."


def _next_steps(html: str) -> str:
    """The "What happens next" card of a result page."""
    start = html.index('id="next-title"')
    return html[start:html.index("</section>", start)]


def test_urgent_report_names_who_is_told_how_and_the_deadline(send_alert):
    page = _next_steps(send_alert(country="RO", danger="y").get_data(as_text=True))
    assert ("the coordinators of ARENA for Romania are being told about it now, by e-mail "
            "and in the portal") in page
    assert "confirm within 2 hours that they are dealing with it" in page
    assert "administrators are alerted" in page
    assert "call 112 now" in page


def test_urgent_report_follows_the_configured_channels_and_time(app, send_alert):
    app.config.update(URGENT_CHANNELS=["portal"], URGENT_ESCALATE_MINUTES=90)
    page = _next_steps(send_alert(urgency="high").get_data(as_text=True))
    assert "are being told about it now in the portal" in page
    assert "e-mail" not in page
    assert "within 1 h 30 min" in page


def test_forwarded_report_says_experts_of_the_country_see_it_and_answer_in_days(send_alert):
    page = _next_steps(send_alert(country="PL", description=NO_MATCH).get_data(as_text=True))
    assert "Experts of ARENA in Poland now see your report on their case board" in page
    assert "Expect a first answer in a few days, not minutes" in page
    assert "being told about it now" not in page


def test_answered_report_is_shared_but_reaches_experts_only_on_request(send_alert,
                                                                       alert_library):
    page = _next_steps(send_alert(urgency="low").get_data(as_text=True))
    assert "shared, without your contact address, with the vetted practitioners" in page
    assert "It goes to their experts only if one of them opens a case on it" in page
    assert "Expect a first answer" not in page


def test_report_without_words_goes_to_a_coordinator(app):
    alert = Alert(country="HU", words_missing=True, forward_reason="no_words",
                  status="forwarded", forwarded_at=utcnow())
    with app.test_request_context("/en/alert/"):
        app.preprocess_request()
        page = render_template("alerts/_what_happens.html", alert=alert)
    assert "It goes to the coordinators of ARENA for Hungary, who will look at it" in page
    assert "Experts of ARENA in" not in page
