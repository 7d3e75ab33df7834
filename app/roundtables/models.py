"""Roundtables, their members, meetings (agenda, attendance, minutes, decisions), actions,
adopted ARENA cases, joint evaluations and private calendar feeds.

Times are stored in UTC (SQLite hands them back naive: `as_utc` makes them aware again);
a meeting also keeps the IANA time zone it was planned in, for display and iCalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.extensions import db


def as_utc(moment: datetime | None) -> datetime | None:
    """The stored moment as an aware UTC datetime (SQLite drops the zone)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class Roundtable(db.Model):
    """A permanent local coalition of practitioners from many agencies."""

    __tablename__ = "roundtables"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), index=True)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    # The short public profile (name, city, agencies present, contact form) is opt-in.
    public_profile: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    memberships: Mapped[list[RoundtableMember]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan",
        order_by="RoundtableMember.id",
    )

    def __repr__(self) -> str:
        return f"<Roundtable {self.id} {self.country} {self.name!r}>"


class RoundtableMember(db.Model):
    """One approved member's seat: the agency they represent, invited, asking or active."""

    __tablename__ = "roundtable_members"
    __table_args__ = (UniqueConstraint("roundtable_id", "user_id", name="uq_roundtable_member"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), index=True
    )
    roundtable: Mapped[Roundtable] = relationship(back_populates="memberships")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    agency: Mapped[str] = mapped_column(String(30), default="other")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    # Participation mandated by the organisation's leadership (the project's success factor).
    mandated: Mapped[bool] = mapped_column(default=False, server_default=false())
    secretariat: Mapped[bool] = mapped_column(default=False, server_default=false())
    # "invited" (by the secretariat), "requested" (by the member), "active".
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    joined_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:
        """True once the invitation or request was accepted."""
        return self.status == "active"


class Meeting(db.Model):
    """A meeting or training of a roundtable, onsite, online or both."""

    __tablename__ = "roundtable_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), index=True
    )
    roundtable: Mapped[Roundtable] = relationship()
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="meeting")
    language: Mapped[str] = mapped_column(String(5), default="en")
    starts_at: Mapped[datetime] = mapped_column(index=True)  # UTC
    ends_at: Mapped[datetime]  # UTC
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    place: Mapped[str] = mapped_column(String(300), default="")
    online_link: Mapped[str] = mapped_column(String(500), default="")
    # Listed on the public calendar (title, time, city, language; never agenda or minutes).
    public: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    minutes: Mapped[str] = mapped_column(Text, default="")
    minutes_html: Mapped[str] = mapped_column(Text, default="")
    cancelled_at: Mapped[datetime | None]
    # iCalendar SEQUENCE: raised on every change calendar applications should pick up.
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan",
        order_by="(AgendaItem.position, AgendaItem.id)",
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Decision.id"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.user_id"
    )

    @property
    def is_cancelled(self) -> bool:
        """True once the secretariat cancelled it."""
        return self.cancelled_at is not None


class AgendaItem(db.Model):
    """One point on a meeting's agenda, with an owner and, for a joint case conference, a case."""

    __tablename__ = "roundtable_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable_meetings.id", ondelete="CASCADE"), index=True
    )
    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    owner: Mapped[User | None] = relationship()
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("arena_cases.id", ondelete="SET NULL"), index=True
    )


class Attendance(db.Model):
    """A member's attendance at one meeting: invited, confirmed, attended or excused."""

    __tablename__ = "roundtable_attendance"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable_meetings.id", ondelete="CASCADE"), primary_key=True
    )
    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    user: Mapped[User] = relationship()
    status: Mapped[str] = mapped_column(String(20), default="invited")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Decision(db.Model):
    """A decision recorded with a meeting's minutes."""

    __tablename__ = "roundtable_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable_meetings.id", ondelete="CASCADE"), index=True
    )
    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActionItem(db.Model):
    """Something a member agreed to do by a date: open, done or dropped."""

    __tablename__ = "roundtable_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), index=True
    )
    roundtable: Mapped[Roundtable] = relationship()
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtable_meetings.id", ondelete="SET NULL"), index=True
    )
    meeting: Mapped[Meeting | None] = relationship()
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("arena_cases.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    # The last day an overdue reminder went out (one reminder per action and day at most).
    reminded_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]


class AdoptedCase(db.Model):
    """An ARENA case a roundtable took up for joint response."""

    __tablename__ = "roundtable_cases"
    __table_args__ = (UniqueConstraint("roundtable_id", "case_id", name="uq_roundtable_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), index=True
    )
    roundtable: Mapped[Roundtable] = relationship()
    case_id: Mapped[int] = mapped_column(ForeignKey("arena_cases.id", ondelete="CASCADE"),
                                         index=True)
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Evaluation(db.Model):
    """A joint evaluation after a meeting cycle or a closed case; may become a lesson draft."""

    __tablename__ = "roundtable_evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), index=True
    )
    roundtable: Mapped[Roundtable] = relationship()
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtable_meetings.id", ondelete="SET NULL")
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("arena_cases.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    worked: Mapped[str] = mapped_column(Text, default="")
    did_not_work: Mapped[str] = mapped_column(Text, default="")
    to_change: Mapped[str] = mapped_column(Text, default="")
    who_should_know: Mapped[str] = mapped_column(Text, default="")
    lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("content_items.id", ondelete="SET NULL")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[User | None] = relationship()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CalendarFeed(db.Model):
    """A member's private calendar feed: only a hash of its secret token is kept, so the URL
    is shown once; resetting makes a new one and the old URL stops working."""

    __tablename__ = "roundtable_calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
