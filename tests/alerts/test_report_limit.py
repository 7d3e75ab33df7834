"""ALERT rate limits (issue 11): a limited reporter keeps everything typed and sees the
emergency numbers of their country first; a report of danger has its own, higher limit;
only stored reports and wrong receipt codes count, exactly, also for requests at once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.alerts import services
from app.alerts.models import Alert
from tests.fixtures.alerts import receipt_from
from tests.fixtures.app import csrf_token_from
from tests.fixtures.threads import at_once

TYPED = {"description": "Two men shouted insults at a Roma family in front of the school "
                       "gate and followed them to the bus stop; the children are scared.",
         "country": "PL", "city": "Nowa Huta", "contact_email": "parent@example.org"}
THREADS = 8


def stored(db) -> int:
    return db.session.scalar(select(func.count(Alert.id)))


def test_the_limit_page_keeps_everything_typed(app, send_alert):
    app.config["ALERT_RATE_LIMIT"] = [1, 3600]
    send_alert()
    limited = send_alert(**TYPED)
    page = limited.get_data(as_text=True)
    assert limited.status_code == 429
    for value in TYPED.values():
        assert value in page
    assert "Your report was not sent yet" in page


def test_the_limit_page_shows_the_emergency_numbers_of_the_country_first(app, send_alert):
    app.config["ALERT_RATE_LIMIT"] = [1, 3600]
    send_alert()
    page = send_alert(**TYPED).get_data(as_text=True)
    notice = page.index("Your report was not sent yet")
    numbers = page.index('id="emergency-title"')
    assert notice < numbers < page.index('name="description"')
    assert page.index('href="tel:997"') < page.index('href="tel:110"')  # Poland's police first
    assert page.count('id="emergency-title"') == 1


def test_the_limit_page_says_when_the_report_can_be_sent(app, send_alert, limiter_clock):
    app.config["ALERT_RATE_LIMIT"] = [2, 3600]
    send_alert(city="Leipzig")
    send_alert(city="Dresden")
    limiter_clock.advance(1800)  # from the next hour, once this one's two weigh one
    assert "you can send it in 1 hour" in send_alert(**TYPED).get_data(as_text=True)


def test_a_report_of_danger_goes_through_when_the_limit_is_reached(app, send_alert, db):
    app.config["ALERT_RATE_LIMIT"] = [1, 3600]
    send_alert()
    assert send_alert(city="Dresden").status_code == 429
    assert send_alert(danger="y", city="Dresden").status_code == 200
    assert stored(db) == 2


def test_reports_of_danger_have_their_own_limit(app, send_alert, db):
    app.config["ALERT_DANGER_RATE_LIMIT"] = [1, 3600]
    send_alert(danger="y")
    limited = send_alert(danger="y", **TYPED)
    assert limited.status_code == 429
    assert TYPED["description"] in limited.get_data(as_text=True)
    assert stored(db) == 1


def test_refused_reports_do_not_make_the_wait_longer(app, send_alert, db, limiter_clock):
    app.config["ALERT_RATE_LIMIT"] = [2, 3600]
    send_alert(city="Leipzig")
    send_alert(city="Dresden")
    for _ in range(3):
        assert send_alert(city="Chemnitz").status_code == 429
    limiter_clock.advance(3600 + 2700)  # the first hour's two reports weigh a quarter
    assert send_alert(city="Chemnitz").status_code == 200


def test_reports_sent_at_once_store_exactly_the_limit(app, db):
    app.config["ALERT_RATE_LIMIT"] = [3, 3600]
    browsers = [app.test_client() for _ in range(THREADS)]
    tokens = [csrf_token_from(b.get("/en/alert/").get_data(as_text=True)) for b in browsers]
    statuses: list[int] = []

    def send(number: int) -> None:
        data = {**_report(number), "csrf_token": tokens[number]}
        statuses.append(browsers[number].post("/en/alert/", data=data).status_code)

    assert at_once(app, THREADS, send) == []
    assert sorted(statuses) == [200] * 3 + [429] * (THREADS - 3)
    assert stored(db) == 3


def test_a_limited_receipt_code_says_when_to_try_again(app, post_form, limiter_clock):
    app.config["ALERT_RECEIPT_RATE_LIMIT"] = [1, 600]
    post_form("/en/alert/follow-up", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"})
    limited = post_form("/en/alert/follow-up", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHH2"})
    assert limited.status_code == 429
    assert "Please try again in 20 minutes." in limited.get_data(as_text=True)


def test_a_right_receipt_code_does_not_use_up_the_limit(app, send_alert, post_form):
    app.config["ALERT_RECEIPT_RATE_LIMIT"] = [2, 3600]
    code = receipt_from(send_alert().get_data(as_text=True))
    for _ in range(3):
        assert post_form("/en/alert/follow-up", {"code": code}).status_code == 302
    wrong = post_form("/en/alert/follow-up", {"code": "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH"})
    assert wrong.status_code == 200


def test_receipt_codes_guessed_at_once_check_at_most_the_limit(app, monkeypatch):
    app.config["ALERT_RECEIPT_RATE_LIMIT"] = [3, 3600]
    looked_up: list[str] = []
    monkeypatch.setattr(services, "find_alert_by_receipt", lambda code: looked_up.append(code))
    browsers = [app.test_client() for _ in range(THREADS)]
    tokens = [csrf_token_from(b.get("/en/alert/follow-up").get_data(as_text=True))
              for b in browsers]
    statuses: list[int] = []

    def guess(number: int) -> None:
        data = {"code": f"AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHH{'234567AB'[number]}",
                "csrf_token": tokens[number]}
        statuses.append(browsers[number].post("/en/alert/follow-up", data=data).status_code)

    assert at_once(app, THREADS, guess) == []
    assert len(looked_up) == 3
    assert statuses.count(429) == THREADS - 3


def _report(number: int) -> dict:
    """A valid report, different for each number (so none is taken for a resend)."""
    from tests.fixtures.alerts import valid_alert

    return valid_alert(city=f"Leipzig {number}")
