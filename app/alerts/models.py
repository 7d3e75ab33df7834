"""Incident alerts from reporters without an account, and the reporter's message channel."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db

CATEGORIES = (
    "extremist_propaganda", "hate_speech", "gender_based_violence", "racist_violence",
    "religious_hatred", "antisemitism", "conspiracy_narratives", "polarisation",
    "online_radicalisation", "other",
)
SETTINGS = (
    "school", "online", "neighbourhood", "workplace", "sports", "religious_site",
    "public_space", "family", "other",
)
URGENCIES = ("low", "medium", "high")
# Reporter-visible life of an alert. "forwarded" alerts are ARENA cases, whose own status
# (new, in discussion, recommendation given, closed) ARENA mirrors into case_status.
ALERT_STATUSES = ("answered", "forwarded", "withdrawn")


class Alert(db.Model):
    """One reported incident. The description is personal data: deleted on withdrawal."""

    __tablename__ = "alerts"
    # Covers the dashboard's and the trends' grouped counts over a period: they read the
    # index instead of the wide rows (the JSON category lists still need the rows).
    __table_args__ = (
        Index("ix_alerts_period_breakdown", "created_at", "country", "status", "setting",
              "language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    description: Mapped[str | None] = mapped_column(Text)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # derived via the taxonomy
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    occurred_on: Mapped[date | None]
    setting: Mapped[str] = mapped_column(String(30), default="other")
    affected: Mapped[str] = mapped_column(String(300), default="")
    urgency: Mapped[str] = mapped_column(String(10), default="medium")
    reporter_role: Mapped[str] = mapped_column(String(40), default="other")
    # Visible only to coordinators of the alert's country; never logged, listed or indexed.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="en")  # language of the text
    page_language: Mapped[str] = mapped_column(String(5), default="en")
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the form's one-time submission key: a resend after a crash finds this alert
    # instead of storing a second one (None for alerts from the API or older versions).
    submission_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # When the forwarding decision was stored (with the alert, in one transaction); None only
    # for alerts of older versions, which the scheduled reconciliation decides.
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(20), default="answered", index=True)
    case_status: Mapped[str | None] = mapped_column(String(30))  # mirrored from ARENA
    # "no_match", "urgent" (danger or high urgency), "reporter" (the reporter asked),
    # "reporter_wrote" (a message on an answered alert), "no_words" (see words_missing) or
    # "member" (an ARENA member opened a case on an answered alert)
    forward_reason: Mapped[str | None] = mapped_column(String(20))
    # The text has no words of any supported language (keyboard mash, only links or
    # numbers): no matches are shown, and a coordinator looks at it instead of the experts.
    words_missing: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Snapshot of what ALERT recommended: [{"doc_id", "type", "title", "score", "level", ...}]
    matches: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    forwarded_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    # Retention (issue 11): when the country's coordinators were warned of the purge, and when
    # the text, place, contact and messages were deleted: "retention" (the scheduled purge) or
    # "erased" (by the admin in purged_by_id, at once).
    purge_warned_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None] = mapped_column(index=True)
    purge_reason: Mapped[str | None] = mapped_column(String(20))
    purged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    messages: Mapped[list[AlertMessage]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", order_by="AlertMessage.id"
    )

    @property
    def is_forwarded(self) -> bool:
        """True once the alert is an ARENA case."""
        return self.forwarded_at is not None

    @property
    def opens_for_reporter(self) -> bool:
        """A receipt code opens the alert unless the reporter withdrew it; an alert an admin
        erased still opens, to say so (the reporter must not think the code was mistyped)."""
        return self.status != "withdrawn" or self.purge_reason == "erased"

    def __repr__(self) -> str:
        return f"<Alert {self.id} {self.country} {self.status}>"


class AlertMessage(db.Model):
    """A message between the reporter and ARENA members; neither side's identity is shown."""

    __tablename__ = "alert_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    alert: Mapped[Alert] = relationship(back_populates="messages")
    from_reporter: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[User | None] = relationship()
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FollowUpGrant(db.Model):
    """One browser's right to the follow-up page of an alert (after typing the receipt code,
    or after sending): the session cookie holds only the token, the database its hash, so
    "Close on this device" revokes it for every copy of the cookie."""

    __tablename__ = "alert_follow_up_grants"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecommendationFeedback(db.Model):
    """"Helped" or "did not help" for one recommended library item on one alert: from its
    reporter (voter "reporter", anonymous) or an ARENA member on the alert's case (voter
    "member:<id>"); once per alert, item and voter. `doc_id` is the item's translation group
    ("type:slug"), so feedback on one language counts for all; `topics` are the alert's, so
    the matcher can weigh feedback given for the same topics."""

    __tablename__ = "recommendation_feedback"
    __table_args__ = (
        UniqueConstraint("alert_id", "doc_id", "voter", name="uq_recommendation_feedback"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    doc_id: Mapped[str] = mapped_column(String(240), index=True)
    voter: Mapped[str] = mapped_column(String(40))
    helped: Mapped[bool]
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
