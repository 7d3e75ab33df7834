"""No message into the void: a reporter's message on a library-answered alert opens a case;
a report merged as a duplicate follows the case that lives on, without the other report."""

from __future__ import annotations

from sqlalchemy import select

from app.alerts.models import Alert
from app.arena.models import Notification
from app.arena.services import cases, discussion
from app.extensions import db as _db
from tests.fixtures.alerts import receipt_from, valid_alert
from tests.fixtures.app import csrf_token_from

FIRST = ("Someone sprayed hateful slogans against refugees on the fence of our sports club in "
         "the night; the youth team saw it first.")
SECOND = ("On Sunday morning the fence around the sports club was covered with slogans against "
          "refugees; parents from the football team are worried.")


def _reporter(app, description: str):
    """A browser that sends a report and opens its follow-up page with the receipt code."""
    browser = app.test_client()
    form = browser.get("/en/alert/").get_data(as_text=True)
    sent = browser.post("/en/alert/", data={"csrf_token": csrf_token_from(form),
                                            **valid_alert(description=description)})
    code = receipt_from(sent.get_data(as_text=True))
    page = browser.get("/en/alert/follow-up").get_data(as_text=True)
    browser.post("/en/alert/follow-up", data={"csrf_token": csrf_token_from(page), "code": code})
    return browser


def _write(browser, body: str):
    """The reporter writes to the experts on the follow-up page."""
    page = browser.get("/en/alert/follow-up").get_data(as_text=True)
    return browser.post("/en/alert/follow-up/message", follow_redirects=True,
                        data={"csrf_token": csrf_token_from(page), "body": body})


def _alert_with(description: str) -> Alert:
    return _db.session.scalar(select(Alert).where(Alert.description == description))


def _page(browser) -> str:
    return browser.get("/en/alert/follow-up").get_data(as_text=True)


# A message on an alert the library answered -----------------------------------------------
def test_a_message_on_an_answered_alert_opens_a_case_for_the_countrys_members(
        app, alert_library, make_user, db):
    member = make_user(country="DE")
    elsewhere = make_user(country="PL")
    reporter = _reporter(app, valid_alert()["description"])
    alert = db.session.scalars(select(Alert)).one()
    assert alert.forwarded_at is None  # the library answered it
    page = _write(reporter, "The graffiti is back, and now with names.").get_data(as_text=True)
    db.session.expire_all()
    case = cases.case_for_alert(alert)
    assert case is not None
    assert alert.forward_reason == "reporter_wrote"
    notified = set(db.session.scalars(select(Notification.user_id).where(
        Notification.kind == "new_case", Notification.endpoint_args["case_id"].as_integer()
        == case.id)))
    assert member.id in notified
    assert elsewhere.id not in notified
    assert "they now see your report as a case" in page


def test_the_member_sees_the_reporters_message_on_the_new_case(app, alert_library, make_user,
                                                               act_as, client):
    member = make_user(country="DE")
    reporter = _reporter(app, valid_alert()["description"])
    _write(reporter, "The graffiti is back, and now with names.")
    case = cases.case_for_alert(_db.session.scalars(select(Alert)).one())
    act_as(member)
    page = client.get(f"/en/arena/cases/{case.id}").get_data(as_text=True)
    assert "The graffiti is back, and now with names." in page
    assert "The reporter wrote a message after the library" in page


def test_the_follow_up_page_of_an_answered_alert_says_where_a_message_goes(app, alert_library):
    reporter = _reporter(app, valid_alert()["description"])
    assert "your report then becomes a case for them" in _page(reporter)


# A report merged into another ------------------------------------------------------------
def _merged(app, make_user):
    """Two reporters of one incident; the first report's case is merged into the second's,
    where an expert released a recommendation and wrote to the reporter."""
    first, second = _reporter(app, FIRST), _reporter(app, SECOND)
    duplicate = cases.case_for_alert(_alert_with(FIRST))
    survivor = cases.case_for_alert(_alert_with(SECOND))
    coordinator = make_user(role="coordinator", country="DE")
    cases.merge_duplicate(duplicate, survivor, coordinator)
    rec = discussion.add_recommendation(survivor, coordinator, action="Report the slogans to "
                                        "the police and ask the club to document them.",
                                        reason="It is a criminal offence.", actors=["police"])
    discussion.release_recommendation(rec, coordinator)
    discussion.message_reporter(survivor, coordinator, "Did anyone take photos of the fence?")
    _db.session.commit()
    return first, second, duplicate, survivor, coordinator


def test_a_merged_report_shows_the_surviving_cases_status_and_recommendation(app, make_user):
    first, _second, _dup, _survivor, _coordinator = _merged(app, make_user)
    page = _page(first)
    assert "Report the slogans to the police" in page
    assert "The experts have recommended what to do" in page
    assert "Your report was joined with another report of the same incident" in page
    assert "come back in a few days" not in page


def test_both_reporters_see_the_experts_message_and_neither_the_other_report(app, make_user):
    first, second, _dup, _survivor, _coordinator = _merged(app, make_user)
    _write(second, "Only the second reporter wrote this.")
    first_page, second_page = _page(first), _page(second)
    assert "Did anyone take photos of the fence?" in first_page
    assert "Did anyone take photos of the fence?" in second_page
    assert SECOND not in first_page
    assert "Only the second reporter wrote this." not in first_page
    assert FIRST not in second_page


def test_the_surviving_report_keeps_its_own_status(app, make_user):
    _first, second, _dup, _survivor, _coordinator = _merged(app, make_user)
    page = _page(second)
    assert "Report the slogans to the police" in page
    assert "joined with another report" not in page


def test_a_message_on_a_merged_report_reaches_the_surviving_cases_followers(app, make_user,
                                                                            db):
    first, _second, _duplicate, survivor, _coordinator = _merged(app, make_user)
    follower = make_user(country="DE")
    cases.follow(survivor, follower)
    db.session.commit()
    _write(first, "We found a second fence with the same slogans.")
    replies = db.session.scalars(select(Notification).where(
        Notification.user_id == follower.id, Notification.kind == "reply")).all()
    assert [note.params["case_id"] for note in replies] == [survivor.id]  # where work happens


def test_reopening_a_merged_case_gives_the_report_its_own_status_again(app, make_user, db):
    first, _second, duplicate, _survivor, coordinator = _merged(app, make_user)
    cases.reopen(duplicate, coordinator)
    db.session.commit()
    page = _page(first)
    assert "joined with another report" not in page
    assert "Report the slogans to the police" not in page
    assert "Did anyone take photos of the fence?" not in page


def test_the_surviving_case_page_tells_members_their_messages_reach_both_reporters(
        app, make_user, act_as, client):
    _first, _second, _dup, survivor, coordinator = _merged(app, make_user)
    act_as(coordinator)
    page = client.get(f"/en/arena/cases/{survivor.id}").get_data(as_text=True)
    assert "their reporters also see the messages you send here" in page
