"""ALERT pages: the report form, its result, forwarding, and the reporter's follow-up."""

from __future__ import annotations

import logging
import math

from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import InternalServerError

from app.alerts import bp, services
from app.alerts.access import (
    SENT_WITH_KEY,
    follow,
    followed_alert,
    forget_reporter,
    remember_sent,
    reporter_may_act_on,
)
from app.alerts.choices import (
    ALERT_COUNTRIES,
    CASE_STATUS_LABELS,
    CATEGORY_LABELS,
    JOINED_LABEL,
    LANGUAGE_COUNTRIES,
    SETTING_LABELS,
    STATUS_LABELS,
    emergency_numbers,
)
from app.alerts.forms import AlertForm, ConfirmForm, ReceiptForm, ReporterMessageForm
from app.alerts.matching import (
    concept_pair,
    grouped,
    match_alert,
    match_snippet,
    recommendation_url,
    stored_recommendations,
    topic_label,
)
from app.alerts.models import Alert
from app.alerts.words import has_words
from app.core.logs import request_id
from app.core.ratelimit import client_key, give_back, hit, retry_after
from app.core.templating import format_duration
from app.extensions import csrf, db

log = logging.getLogger(__name__)



@bp.context_processor
def alert_template_helpers() -> dict:
    """Helpers for ALERT templates: country names, result links, topic and concept labels,
    snippets."""
    return {"ALERT_COUNTRY_LABELS": ALERT_COUNTRIES, "recommendation_url": recommendation_url,
            "topic_label": topic_label, "concept_pair": concept_pair,
            "match_snippet": match_snippet}


def _page_language() -> str:
    """The language of the current page."""
    return g.get("lang_code") or "en"


@bp.route("/", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one re-renders instead of failing
def new_alert():
    """The report form; a valid report is matched, stored and answered on the spot."""
    form = AlertForm()
    if form.website.data:  # the honeypot: bots get a polite answer and nothing is stored
        flash(_("Thank you."), "success")
        return redirect(url_for("alerts.new_alert"))
    key = form.fill_submission_key()
    if request.method == "GET":
        return _form_page(form)
    earlier = _earlier_submission(key, form)
    if earlier:  # a resend (reload, back and send, retry): never stored or counted twice
        return _result_page(earlier, danger=form.danger.data)
    if not form.validate():
        return _form_page(form, notice=_expired_notice(form), status=400 if form.errors else 200)
    words_missing = not has_words(form.description.data)
    if words_missing and not _sent_as_it_is(form):
        return _form_page(form, ask_words=True)
    found = services.find_contact_details(form.description.data)
    choice = request.form.get("contacts")
    if found and choice not in ("remove", "keep"):
        return _form_page(form, contacts=found)
    if found and choice == "remove":
        form.description.data = services.remove_contact_details(form.description.data)
    scope, limit = _report_limit(form)
    if hit(scope, client_key(), *limit):
        return _limited_page(form, scope, limit)
    try:
        submission = services.submit_alert(_alert_input(form, words_missing), key)
    except Exception as error:  # noqa: BLE001 - the reporter keeps their text and the numbers
        db.session.rollback()
        give_back(scope, client_key(), limit[1])  # a failure on our side uses up nothing
        return _not_stored_page(form, error)
    remember_sent(submission.alert, submission.submission_key)
    return _result_page(submission, danger=form.danger.data)


def _report_limit(form: AlertForm) -> tuple[str, tuple[int, int]]:
    """The counter and limit for this report: a report saying someone is in danger has its
    own, higher one, so it still goes through when ordinary reports are limited."""
    if form.danger.data:
        return "alert-danger", services.configured_limit("ALERT_DANGER_RATE_LIMIT")
    return "alert", services.configured_limit("ALERT_RATE_LIMIT")


def _limited_page(form: AlertForm, scope: str, limit: tuple[int, int]):
    """Too many reports from this address: the refused one is not counted (only reports we
    store count), and the form comes back with everything typed, when it can be sent, and
    the emergency numbers of the reporter's country first."""
    give_back(scope, client_key(), limit[1])
    return _form_page(form, limited_minutes=_minutes_to_wait(scope, limit), status=429)


def _minutes_to_wait(scope: str, limit: tuple[int, int]) -> int:
    """Whole minutes (at least one) before this address may try `scope` again."""
    return max(1, math.ceil(retry_after(scope, client_key(), *limit) / 60))


def _sent_as_it_is(form: AlertForm) -> bool:
    """True when the reporter, asked to describe it in words, chose to send the text as it is
    (remembered in the form for the contact-details step)."""
    if request.form.get("words") == "keep" or form.words_confirmed.data == "keep":
        form.words_confirmed.data = "keep"
        return True
    return False


def _earlier_submission(key: str, form: AlertForm) -> services.Submission | None:
    """The alert this form already stored: by its key, or, when the browser fetched a fresh
    form on "back" (ALERT pages are never cached), the alert this browser sent last if the
    report is the same."""
    same = services.report_fields(
        form.description.data, form.categories.data, form.country.data, form.setting.data,
        form.urgency.data, form.city.data, form.affected.data)
    return services.resent_submission(key) or services.resent_submission(
        session.get(SENT_WITH_KEY, ""), same_as=same)


def _not_stored_page(form: AlertForm, error: Exception):
    """The report could not be stored: the form again with everything typed, the emergency
    numbers and a way to send again (the same key, so a resend never stores it twice)."""
    db.session.rollback()
    log.warning("alerts: a report could not be stored (%s, request %s)",  # never its text
                type(error).__name__, request_id())
    return _form_page(form, not_stored=True, status=503)


@bp.errorhandler(InternalServerError)
def report_error_page(error: InternalServerError):
    """Any failure on an ALERT page shows the emergency numbers; while a report is being sent,
    with the form and everything typed."""
    if request.endpoint == "alerts.new_alert" and request.method == "POST":
        form = AlertForm()
        form.fill_submission_key()
        return _not_stored_page(form, error.original_exception or error)
    db.session.rollback()
    country = LANGUAGE_COUNTRIES.get(_page_language())
    return render_template("errors/500.html", emergency=emergency_numbers(country)), 500


def _expired_notice(form: AlertForm) -> str | None:
    """The notice shown when only the form token failed (nothing typed is lost)."""
    if "csrf_token" not in form.errors:
        return None
    form.errors.pop("csrf_token", None)
    form.csrf_token.errors = []
    return _("Your form had expired. Everything you typed is still here: check it and send again.")


def _form_page(form: AlertForm, notice=None, contacts=None, status=200, not_stored=False,
               ask_words=False, limited_minutes=None):
    """Render the form with the static emergency box, keeping everything typed (with
    `not_stored`, first of all the notice that sending failed on our side; with `ask_words`,
    the request to describe what happened in words; with `limited_minutes`, that the report
    can be sent only after that wait)."""
    first = form.country.data or LANGUAGE_COUNTRIES.get(_page_language())
    return render_template(
        "alerts/new.html", form=form, notice=notice, contacts=contacts or [],
        emergency=emergency_numbers(first), not_stored=not_stored, ask_words=ask_words,
        limited_minutes=limited_minutes,
    ), status


def _alert_input(form: AlertForm, words_missing: bool = False) -> services.AlertInput:
    """The validated form as service input."""
    return services.AlertInput(
        description=form.description.data.strip(), categories=list(form.categories.data),
        country=form.country.data, setting=form.setting.data, urgency=form.urgency.data,
        reporter_role=form.reporter_role.data, page_language=_page_language(),
        city=form.city.data or "", occurred_on=form.occurred_on.data,
        affected=form.affected.data or "", contact_email=form.contact_email.data or None,
        danger=bool(form.danger.data), words_missing=words_missing,
    )


def _result_page(submission: services.Submission, danger: bool):
    """What happened: emergency numbers first when needed, the receipt, the matches."""
    alert = submission.alert
    return render_template(
        "alerts/result.html", alert=alert, receipt_code=submission.receipt_code,
        repeated=submission.repeated, groups=grouped(submission.recommendations), danger=danger,
        emergency=emergency_numbers(alert.country) if danger else [],
        forward_form=ConfirmForm(),
    )


@bp.route("/<int:alert_id>/forward", methods=["POST"])
def forward_alert(alert_id: int):
    """The reporter says the matches do not answer their situation: forward to ARENA."""
    alert = db.get_or_404(Alert, alert_id)
    if not reporter_may_act_on(alert):
        abort(403)
    if not ConfirmForm().validate():
        abort(400)
    already = not services.forward_to_arena(alert, "reporter")
    return render_template("alerts/forwarded.html", alert=alert, already=already)


@bp.route("/preview", methods=["POST"])
def preview_matches():
    """Live "similar cases" while typing (HTML fragment for app/static/js/alerts.js)."""
    if hit("alert-preview", client_key(), *services.configured_limit("ALERT_PREVIEW_RATE_LIMIT")):
        return "", 429
    text = (request.form.get("description") or "").strip()[:10000]
    if len(text) < 30:
        return render_template("alerts/_preview.html", groups=[], too_short=True)
    country, setting = request.form.get("country"), request.form.get("setting")
    recs = match_alert(
        text, _page_language(),
        [c for c in request.form.getlist("categories") if c in CATEGORY_LABELS],
        country if country in ALERT_COUNTRIES else None,
        setting if setting in SETTING_LABELS else None,
        limit=5,
    )
    return render_template("alerts/_preview.html", groups=grouped(recs), too_short=False)


# Follow-up ------------------------------------------------------------------------------
@bp.route("/follow-up", methods=["GET", "POST"])
def follow_up():
    """Type the receipt code to open the follow-up page (the code is never in a URL)."""
    alert = followed_alert()
    if alert is not None and request.method == "GET":
        return _follow_up_page(alert, ReporterMessageForm())
    form = ReceiptForm()
    status = 200
    if request.method == "POST":
        status = _check_receipt(form)
        if status == 302:
            return redirect(url_for("alerts.follow_up"))
    form.code.data = ""  # never echo a code back into the page
    return render_template("alerts/receipt.html", form=form), status


def _check_receipt(form: ReceiptForm) -> int:
    """Open the alert a typed code belongs to (302), or set the form's error (200, 429)."""
    if not form.validate():
        return 200
    limit = services.configured_limit("ALERT_RECEIPT_RATE_LIMIT")
    # Every code is counted before it is looked up, in one statement, so a burst of guesses
    # from several processes checks at most `limit` codes; a right code is given back, so
    # only wrong ones use up the limit.
    if hit("receipt", client_key(), *limit):
        form.code.errors = [_("Too many attempts. Please try again in %(duration)s.",
                              duration=format_duration(_minutes_to_wait("receipt", limit)))]
        return 429
    found = services.find_alert_by_receipt(form.code.data)
    if found is not None and found.opens_for_reporter:
        give_back("receipt", client_key(), limit[1])
        follow(found)
        return 302
    form.code.errors = [_("This receipt code does not open any alert. Check it and try again.")]
    return 200


def _follow_up_page(alert: Alert, message_form: ReporterMessageForm, status: int = 200):
    """Status, experts' released recommendations, ALERT's own matches, messages, withdraw; a
    report joined with another shows the status and the experts' answers of that case."""
    joined = services.joined_alert(alert)
    case_status = (joined or alert).case_status
    return render_template(
        "alerts/follow_up.html", alert=alert, case_status=case_status,
        status_label=JOINED_LABEL if joined else STATUS_LABELS.get(alert.status, ""),
        case_status_label=CASE_STATUS_LABELS.get(case_status or "", case_status),
        released=services.released_recommendations(alert), message_form=message_form,
        messages=services.follow_up_messages(alert, joined),
        groups=grouped(stored_recommendations(alert.matches)), confirm_form=ConfirmForm(),
    ), status


@bp.route("/follow-up/message", methods=["POST"])
def post_message():
    """The reporter writes to the experts."""
    alert = followed_alert()
    if alert is None or alert.purged_at is not None:  # deleted under the retention policy
        return redirect(url_for("alerts.follow_up"))
    form = ReporterMessageForm()
    if not form.validate():
        return _follow_up_page(alert, form, status=400)
    opens_case = not alert.is_forwarded
    services.post_reporter_message(alert, form.body.data)
    if opens_case:
        flash(_("Your message was sent to the experts of %(country)s; they now see your report "
                "as a case.", country=ALERT_COUNTRIES.get(alert.country, alert.country)),
              "success")
    else:
        flash(_("Your message was sent."), "success")
    return redirect(url_for("alerts.follow_up"))


@bp.route("/follow-up/withdraw", methods=["POST"])
def withdraw_alert():
    """The reporter withdraws the alert: its text, contact and messages are deleted."""
    alert = followed_alert()
    if alert is None or alert.status == "withdrawn" or not ConfirmForm().validate():
        return redirect(url_for("alerts.follow_up"))
    services.withdraw_alert(alert)
    forget_reporter()
    flash(_("Your alert was withdrawn and its text deleted."), "success")
    return redirect(url_for("alerts.follow_up"))


@bp.route("/follow-up/close", methods=["POST"])
def close_follow_up():
    """Leave the follow-up page on this browser (a shared computer stays private)."""
    if ConfirmForm().validate():
        forget_reporter()
        flash(_("This device no longer opens your alert. Your receipt code opens it again."),
              "success")
    return redirect(url_for("alerts.follow_up"))
