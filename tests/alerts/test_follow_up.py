"""Receipt codes and the follow-up page: status, recommendations, messages, withdrawal."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from app.alerts import services
from app.alerts.models import Alert
from app.alerts.signals import followup_requested
from tests.fixtures.alerts import receipt_from


def _open(post_form, code: str):
    return post_form("/en/alert/follow-up", {"code": code})


def _sent_code(send_alert) -> str:
    return receipt_from(send_alert().get_data(as_text=True))


def test_receipt_code_is_long_grouped_and_stored_only_as_a_hash(send_alert, db):
    code = _sent_code(send_alert)
    assert re.fullmatch(r"([A-Z2-7]{4}-){7}[A-Z2-7]{4}", code)  # 32 base32 chars = 160 bits
    alert = db.session.scalars(select(Alert)).one()
    assert alert.receipt_hash == services.receipt_hash(code)
    assert code not in repr(vars(alert)) and code.replace("-", "") not in repr(vars(alert))


def test_the_page_with_the_receipt_code_is_never_cached(send_alert):
    assert send_alert().headers["Cache-Control"] == "no-store"


def test_receipt_codes_differ_every_time():
    assert len({services.new_receipt_code() for _ in range(50)}) == 50


def test_right_code_opens_the_follow_up_page_and_never_enters_a_url(client, send_alert, post_form):
    code = _sent_code(send_alert)
    response = _open(post_form, code.lower().replace("-", " "))
    assert response.status_code == 302
    assert code not in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Status:" in page and "Withdraw the alert" in page
    assert code not in page


def test_wrong_code_is_refused_without_opening_anything(send_alert, post_form):
    code = _sent_code(send_alert)
    wrong = ("A" if code[0] != "A" else "B") + code[1:]
    page = _open(post_form, wrong).get_data(as_text=True)
    assert "This receipt code does not open any alert." in page
    assert "Withdraw the alert" not in page


def test_receipt_attempts_are_rate_limited(app, send_alert, post_form):
    app.config["ALERT_RECEIPT_RATE_LIMIT"] = [3, 3600]
    code = _sent_code(send_alert)
    for _attempt in range(3):
        _open(post_form, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    blocked = _open(post_form, code)
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.get_data(as_text=True)


def _opened(client, send_alert, post_form, **fields) -> Alert:
    code = receipt_from(send_alert(**fields).get_data(as_text=True))
    _open(post_form, code)
    return client.application.extensions["sqlalchemy"].session.scalars(select(Alert)).one()


def test_messages_go_both_ways_without_names(client, send_alert, post_form, make_user):
    alert = _opened(client, send_alert, post_form)
    expert = make_user(name="Dr. Hidden Name")
    services.post_member_message(alert, expert, "Has the graffiti been photographed?")
    page = client.get("/en/alert/follow-up").get_data(as_text=True)
    assert "Has the graffiti been photographed?" in page and "Hidden Name" not in page
    post_form("/en/alert/follow-up", {"body": "Yes, on Monday."},
              action="/en/alert/follow-up/message")
    assert [(m.from_reporter, m.body) for m in alert.messages][-1] == (True, "Yes, on Monday.")


def test_released_recommendations_come_through_the_signal(client, send_alert, post_form):
    alert = _opened(client, send_alert, post_form)

    def released(sender, **_kwargs):
        if sender.id != alert.id:
            return []
        return [{"action": "Talk with the class before the weekend.", "reason": "Rumours spread.",
                 "actors": ["head teacher"], "released_at": datetime.now(UTC),
                 "resources": [{"title": "Doradztwo mobilne", "type": "practice",
                                "slug": "mobile-counselling", "language": "pl"}]}]

    with followup_requested.connected_to(released):
        page = client.get("/en/alert/follow-up").get_data(as_text=True)
    assert "Talk with the class before the weekend." in page and "head teacher" in page
    assert re.search(r'href="/pl/[^"]*mobile-counselling"[^>]*>Doradztwo mobilne<', page)


def test_withdrawal_deletes_the_text_and_closes_the_receipt(client, send_alert, post_form, db):
    code = receipt_from(send_alert(contact_email="me@example.org").get_data(as_text=True))
    _open(post_form, code)
    alert = db.session.scalars(select(Alert)).one()
    services.post_reporter_message(alert, "A detail only I know.")
    post_form("/en/alert/follow-up", {}, action="/en/alert/follow-up/withdraw")
    db.session.expire_all()
    alert = db.session.get(Alert, alert.id)
    assert alert.status == "withdrawn" and alert.description is None
    assert alert.contact_email is None and alert.messages == []
    page = _open(post_form, code).get_data(as_text=True)
    assert "This receipt code does not open any alert." in page


def test_follow_up_lists_the_library_recommendations_alert_gave(client, send_alert, post_form,
                                                                alert_library):
    alert = _opened(client, send_alert, post_form)
    assert alert.status == "answered" and alert.matches
    page = client.get("/en/alert/follow-up").get_data(as_text=True)
    assert "Recommendations for your situation" in page
    assert re.search(r'href="/en/[^"]*swastika-school-toilets"[^>]*>Swastika graffiti in school',
                     page)
    assert "Similar cases: what was done and how it ended" in page and "Strong match" in page
