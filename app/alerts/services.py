"""ALERT services: submit, forward, receipts, follow-up messages, withdrawal, contact access."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User, utcnow
from app.alerts.matching import (
    AlertQuery,
    Recommendation,
    alert_topics,
    build_query,
    needs_forwarding,
    recommend,
    stored_recommendations,
)
from app.alerts.models import Alert, AlertMessage, FollowUpGrant
from app.alerts.signals import followup_joined, followup_requested, followup_shared
from app.core import personal_data
from app.core.jobs import enqueue
from app.core.signals import alert_withdrawn, reporter_wrote
from app.extensions import db

log = logging.getLogger(__name__)
RECEIPT_BYTES = 20  # 160 bits: 32 base32 characters, shown as 8 groups of 4
REMOVED = "[…]"
FORWARD_JOB = "alerts.forwarded"
GRANT_DAYS = 30  # a browser's follow-up grant lasts this long, then the code is typed again


@dataclass
class AlertInput:
    """What a reporter typed, already validated by the form."""

    description: str
    categories: list[str]
    country: str
    setting: str
    urgency: str
    reporter_role: str
    page_language: str
    city: str = ""
    occurred_on: date | None = None
    affected: str = ""
    contact_email: str | None = None
    danger: bool = False  # "someone is in immediate danger": decides forwarding, not stored
    words_missing: bool = False  # no words of a supported language: no matches, a coordinator


@dataclass
class Submission:
    """The stored alert, its receipt code (shown once, never stored) and its matches;
    `repeated` when a resend found the alert its first send had stored."""

    alert: Alert
    receipt_code: str
    recommendations: list[Recommendation] = field(default_factory=list)
    repeated: bool = False
    submission_key: str = ""


def submit_alert(data: AlertInput, submission_key: str = "") -> Submission:
    """Match an alert and store it with its matches and forwarding decision in one
    transaction (forwarding itself is a queued job of that transaction); a resend with the
    same submission key returns the stored alert instead of a second one."""
    earlier = resent_submission(submission_key)
    if earlier:
        return earlier
    if _key_spent(submission_key):  # its alert was withdrawn: this is a new report
        submission_key = secrets.token_urlsafe(24)
    query = _analysed(data)
    recommendations = [] if data.words_missing else _matches_or_none(query)
    code = receipt_code_for(submission_key) if submission_key else new_receipt_code()
    alert = Alert(**_alert_fields(data, query), receipt_hash=receipt_hash(code),
                  submission_hash=_submission_hash(submission_key), decided_at=utcnow())
    alert.matches = [rec.as_dict() for rec in recommendations]
    db.session.add(alert)
    reason = automatic_forward_reason(data, recommendations)
    if reason:
        _mark_forwarded(alert, reason)
    try:
        db.session.commit()
    except IntegrityError:  # the same key sent twice at once: the other request stored it
        db.session.rollback()
        earlier = resent_submission(submission_key)
        if earlier is None:
            raise
        return earlier
    return Submission(alert=alert, receipt_code=code, recommendations=recommendations,
                      submission_key=submission_key)


def resent_submission(submission_key: str, same_as: dict | None = None) -> Submission | None:
    """The alert stored under this submission key (and, if given, whose stored fields equal
    `same_as`), with its receipt code, or None (withdrawn alerts are never shown again)."""
    alert = _stored_under(submission_key)
    if alert is None or alert.status == "withdrawn":
        return None
    if same_as is not None and _report_fields(alert) != same_as:
        return None
    code = receipt_code_for(submission_key)
    if not hmac.compare_digest(alert.receipt_hash, receipt_hash(code)):
        code = ""  # the secret key changed since: the code cannot be shown again
    return Submission(alert=alert, receipt_code=code, repeated=True,
                      recommendations=stored_recommendations(alert.matches),
                      submission_key=submission_key)


def report_fields(description: str, categories: list[str], country: str, setting: str,
                  urgency: str, city: str, affected: str) -> dict:
    """What makes two sends the same report (a browser's "back" then "send")."""
    return {"description": (description or "").strip(), "categories": sorted(categories or []),
            "country": country, "setting": setting, "urgency": urgency,
            "city": city or "", "affected": affected or ""}


def _report_fields(alert: Alert) -> dict:
    """report_fields of a stored alert."""
    return report_fields(alert.description, alert.categories, alert.country, alert.setting,
                         alert.urgency, alert.city, alert.affected)


def _stored_under(submission_key: str) -> Alert | None:
    """The alert a submission key stored, whatever its state."""
    if not submission_key:
        return None
    return db.session.scalar(
        select(Alert).where(Alert.submission_hash == _submission_hash(submission_key)))


def _key_spent(submission_key: str) -> bool:
    """True when the key already stored an alert (one since withdrawn)."""
    return _stored_under(submission_key) is not None


def _submission_hash(submission_key: str) -> str | None:
    """What the database keeps of a submission key (None without one)."""
    return hashlib.sha256(submission_key.encode()).hexdigest() if submission_key else None


def automatic_forward_reason(data: AlertInput, recommendations: list[Recommendation]) -> str:
    """Why ARENA's experts must see an alert at once ("urgent", "no_words", "no_match"), or
    ""."""
    if data.danger or data.urgency == "high":
        return "urgent"  # experts see it even when the library has answers
    if data.words_missing:
        return "no_words"  # nothing to match: a coordinator reads it
    return "no_match" if needs_forwarding(recommendations) else ""


def _analysed(data: AlertInput) -> AlertQuery | None:
    """The alert's language, concepts, topics and key terms; None when the analysis fails
    (the alert is stored all the same, and experts take over)."""
    try:
        return build_query(data.description, data.page_language, data.categories,
                           data.country, data.setting)
    except Exception as error:  # noqa: BLE001 - the report matters more than the analysis
        log.warning("alerts: analysis failed, the alert goes to ARENA (%s)", type(error).__name__)
        return None


def _matches_or_none(query: AlertQuery | None) -> list[Recommendation]:
    """The matches; none (so experts take over) if matching fails: a report is never lost."""
    if query is None:
        return []
    try:
        return recommend(query)
    except Exception as error:  # noqa: BLE001 - the report matters more than the matches
        log.warning("alerts: matching failed, the alert goes to ARENA (%s)", type(error).__name__)
        return []


def _alert_fields(data: AlertInput, query: AlertQuery | None) -> dict:
    """Model fields from the input: language and topics from the analysis (else the page's
    language and the topics of the categories and setting)."""
    fields = dict(vars(data))
    fields.pop("danger")
    fields["contact_email"] = (data.contact_email or "").strip() or None
    fields["language"] = query.language if query else data.page_language
    fields["topics"] = query.topics if query else alert_topics(data.categories, data.setting, [])
    return fields


def forward_to_arena(alert: Alert, reason: str) -> bool:
    """Make the alert an ARENA case ("no_match", "urgent" or "reporter"); False if already
    forwarded."""
    if alert.is_forwarded or alert.status == "withdrawn":
        return False
    _mark_forwarded(alert, reason)
    db.session.commit()
    return True


def _mark_forwarded(alert: Alert, reason: str) -> None:
    """Set the forwarded state and queue the job that opens the case and tells the members,
    both in the caller's unit of work."""
    alert.status = "forwarded"
    alert.forward_reason = reason
    alert.forwarded_at = utcnow()
    db.session.flush()
    enqueue(FORWARD_JOB, {"alert_id": alert.id})


def configured_limit(key: str) -> tuple[int, int]:
    """A rate limit from the configuration: (attempts, seconds), e.g. ALERT_RATE_LIMIT."""
    attempts, seconds = current_app.config[key]
    return int(attempts), int(seconds)


# Receipts -------------------------------------------------------------------------------
def new_receipt_code() -> str:
    """A fresh receipt code from the OS's secure random source, in readable groups of four."""
    return _readable(secrets.token_bytes(RECEIPT_BYTES))


def receipt_code_for(submission_key: str) -> str:
    """The receipt code of a form's submission key: an HMAC under the secret key, so a resend
    shows the same code while only its hash, and the key's hash, are stored."""
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"receipt:{submission_key}".encode(), hashlib.sha256).digest()
    return _readable(digest[:RECEIPT_BYTES])


def _readable(raw: bytes) -> str:
    """Base32 in groups of four."""
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def normalise_receipt(code: str) -> str:
    """The code without separators, upper-case, with look-alike digits read as letters."""
    cleaned = re.sub(r"[\s\-_.]", "", code or "").upper()
    return cleaned.translate(str.maketrans({"0": "O", "1": "I", "8": "B"}))


def receipt_hash(code: str) -> str:
    """SHA-256 of the normalised code: what the database keeps instead of the code."""
    return hashlib.sha256(normalise_receipt(code).encode()).hexdigest()


def find_alert_by_receipt(code: str) -> Alert | None:
    """The alert a receipt code opens, or None (withdrawn alerts open nothing new)."""
    if len(normalise_receipt(code)) != 32:
        return None
    digest = receipt_hash(code)
    alert = db.session.scalar(select(Alert).where(Alert.receipt_hash == digest))
    # The lookup is by a hash of a 160-bit code; the final check is constant-time anyway.
    return alert if alert and hmac.compare_digest(alert.receipt_hash, digest) else None


# Follow-up grants -----------------------------------------------------------------------
def grant_follow_up(alert: Alert) -> str:
    """A new random token that opens this alert's follow-up for one browser; only its hash is
    stored (a FollowUpGrant row), so deleting the row revokes every copy of the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(FollowUpGrant(alert_id=alert.id, token_hash=_token_hash(token)))
    db.session.commit()
    return token


def granted_alert(token: str) -> Alert | None:
    """The alert a grant token opens: none when revoked, expired, or the alert is withdrawn."""
    if not token:
        return None
    grant = db.session.scalar(select(FollowUpGrant).where(
        FollowUpGrant.token_hash == _token_hash(token),
        FollowUpGrant.created_at >= utcnow() - timedelta(days=GRANT_DAYS)))
    alert = db.session.get(Alert, grant.alert_id) if grant else None
    return alert if alert is not None and alert.opens_for_reporter else None


def revoke_grants(tokens: list[str]) -> None:
    """Delete the grants of these tokens (one browser leaves its follow-up page)."""
    hashes = [_token_hash(token) for token in tokens if token]
    if hashes:
        db.session.execute(delete(FollowUpGrant).where(FollowUpGrant.token_hash.in_(hashes)))
        db.session.commit()


def prune_grants() -> int:
    """Delete grants older than GRANT_DAYS; returns how many."""
    result = db.session.execute(delete(FollowUpGrant).where(
        FollowUpGrant.created_at < utcnow() - timedelta(days=GRANT_DAYS)))
    return result.rowcount or 0


def _token_hash(token: str) -> str:
    """SHA-256 of a grant token: what the database keeps."""
    return hashlib.sha256(token.encode()).hexdigest()


# Follow-up ------------------------------------------------------------------------------
def released_recommendations(alert: Alert) -> list:
    """What ARENA's experts released for this alert, and for the report it was joined with,
    gathered through followup_requested."""
    released: list = []
    for source in filter(None, (alert, joined_alert(alert))):
        for _receiver, result in followup_requested.send(source):
            released.extend(result or [])
    return sorted(released, key=_released_at)


def joined_alert(alert: Alert) -> Alert | None:
    """The other report this one was joined with (ARENA merged its case as a duplicate), if
    any; withdrawn or not, its case goes on serving this report."""
    for _receiver, result in followup_joined.send(alert):
        if result is not None and result.id != alert.id:
            return result
    return None


def follow_up_messages(alert: Alert, joined: Alert | None) -> list[AlertMessage]:
    """The reporter's conversation with the experts: this alert's messages, plus the experts'
    messages on the report it was joined with (never the other reporter's own)."""
    messages = list(alert.messages)
    if joined is not None:
        messages.extend(message for message in joined.messages if not message.from_reporter)
    return sorted(messages, key=lambda message: (message.created_at, message.id))


def _released_at(item) -> str:
    """Sort key for released recommendations (objects or dicts)."""
    if isinstance(item, dict):
        value = item.get("released_at")
    else:
        value = getattr(item, "released_at", None)
    return value.isoformat() if value else ""


def post_reporter_message(alert: Alert, body: str) -> AlertMessage:
    """The reporter writes to the experts (through the follow-up page); ARENA is told. An
    alert the library answered becomes a case with the message (forward reason
    "reporter_wrote"), so a message never goes where nobody reads it."""
    if alert.status != "withdrawn" and not alert.is_forwarded:
        _mark_forwarded(alert, "reporter_wrote")  # committed with the message
    message = _post_message(alert, body, from_reporter=True, author=None)
    reporter_wrote.send(alert)
    return message


def post_member_message(alert: Alert, author: User, body: str) -> AlertMessage:
    """An ARENA member writes to the reporter; the reporter never sees who."""
    return _post_message(alert, body, from_reporter=False, author=author)


def _post_message(alert: Alert, body: str, from_reporter: bool, author: User | None):
    """Store one message; a withdrawn alert takes no more."""
    if alert.status == "withdrawn":
        raise ValueError("alert withdrawn")
    message = AlertMessage(alert=alert, body=body.strip(), from_reporter=from_reporter,
                           author=author)
    db.session.add(message)
    db.session.commit()
    return message


def withdraw_alert(alert: Alert) -> None:
    """Delete the description, contact, messages and follow-up grants; keep only a withdrawn
    shell (live reports joined with it keep copies of the experts' messages). Receivers of
    alert_withdrawn (ARENA redacts what quotes the text) act in the same transaction."""
    _hand_over_experts_messages(alert)
    text = delete_reporter_data(alert)
    alert.matches = []
    alert.status = "withdrawn"
    alert.withdrawn_at = utcnow()
    db.session.flush()  # receivers query by status
    alert_withdrawn.send(alert, text=text)
    db.session.commit()


def delete_reporter_data(alert: Alert) -> str:
    """Delete the alert's text, place, contact, messages and follow-up grants (withdrawal,
    retention purge, erasure), in the caller's unit of work; what the reporter had written,
    for redacting quotes of it."""
    text = reporter_text(alert)
    db.session.execute(delete(AlertMessage).where(AlertMessage.alert_id == alert.id))
    db.session.execute(delete(FollowUpGrant).where(FollowUpGrant.alert_id == alert.id))
    alert.description, alert.contact_email, alert.affected, alert.city = None, None, "", ""
    db.session.flush()
    db.session.expire(alert, ["messages"])
    return text


def _hand_over_experts_messages(alert: Alert) -> None:
    """The experts' messages on an alert being withdrawn stay with the live reports that read
    them (gathered through followup_shared): each gets its own copy; the reporter's go."""
    sharing = [other for _receiver, result in followup_shared.send(alert)
               for other in result or [] if other.id != alert.id]
    for message in alert.messages:
        if not message.from_reporter:
            db.session.add_all(AlertMessage(
                alert=other, body=message.body, from_reporter=False,
                author_id=message.author_id, created_at=message.created_at)
                for other in sharing)


def reporter_text(alert: Alert) -> str:
    """Everything the reporter wrote: description, who is affected, their messages."""
    messages = [message.body for message in alert.messages if message.from_reporter]
    return "\n".join([alert.description or "", alert.affected or "", *messages])


def visible_contact(alert: Alert, user) -> str | None:
    """The contact e-mail, only for a coordinator of the alert's country (or an admin)."""
    if not getattr(user, "is_authenticated", False) or alert.status == "withdrawn":
        return None
    return alert.contact_email if user.coordinates(alert.country) else None


# Contact details in the description -----------------------------------------------------
def find_contact_details(text: str) -> list[str]:
    """E-mail addresses and phone numbers in a description, to point out before sending."""
    return personal_data.find_contact_details(text)


def remove_contact_details(text: str) -> str:
    """The description with every e-mail address and phone number replaced by an ellipsis."""
    return personal_data.remove_contact_details(text, REMOVED)
