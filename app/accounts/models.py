"""Members of the portal: practitioners and experts, coordinators and admins."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db


def utcnow() -> datetime:
    """Timezone-aware now, stored as UTC."""
    return datetime.now(UTC)


class User(db.Model):
    """A registered person. Pending or suspended members may log in but see only their status."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20), default="practitioner")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    profession: Mapped[str] = mapped_column(String(40), default="other")
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    working_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    bio: Mapped[str] = mapped_column(Text, default="")
    public_profile: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str] = mapped_column(String(5), default="en")
    role: Mapped[str] = mapped_column(String(20), default="member")
    status: Mapped[str] = mapped_column(String(20), default="unconfirmed", index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    email_confirmed_at: Mapped[datetime | None]
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Two-factor authentication (TOTP). The secret is as sensitive as a password in clear:
    # never logged, never shown again after enrolment, left out of __repr__.
    totp_secret: Mapped[str | None] = mapped_column(String(64), default=None)
    two_factor_enabled_at: Mapped[datetime | None] = mapped_column(default=None)
    # The last accepted 30-second time step: a code is accepted once, never replayed.
    totp_last_step: Mapped[int | None] = mapped_column(default=None)

    # Flask-Login protocol ------------------------------------------------------------
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        """Every loaded user is authenticated; status decides what they may see."""
        return True

    @property
    def is_active(self) -> bool:
        """Rejected and deleted people cannot log in; pending and suspended can (status page)."""
        return self.status != "rejected"

    def get_id(self) -> str:
        """Session identity carries the session version, so old cookies stop working."""
        return f"{self.id}:{self.session_version}"

    # Roles and status ------------------------------------------------------------------
    @property
    def is_approved(self) -> bool:
        """Approved members use ARENA and publish; others see only their status."""
        return self.status == "approved"

    @property
    def is_admin(self) -> bool:
        """Admins may do everything."""
        return self.role == "admin" and self.is_approved

    @property
    def is_coordinator(self) -> bool:
        """Coordinators (and admins) vet members and publish for their country."""
        return self.role in {"coordinator", "admin"} and self.is_approved

    def coordinates(self, country: str) -> bool:
        """True when this person may act as coordinator for `country`."""
        return self.is_admin or (self.is_coordinator and self.country == country)

    def set_password(self, password: str) -> None:
        """Store a slow scrypt hash of the password."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Compare a password with the stored hash in constant time."""
        return check_password_hash(self.password_hash, password)

    @property
    def two_factor_enabled(self) -> bool:
        """True once the member confirmed an authenticator app."""
        return self.two_factor_enabled_at is not None and bool(self.totp_secret)

    def invalidate_sessions(self) -> None:
        """Make every existing session of this user stop working."""
        self.session_version = (self.session_version or 1) + 1

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}/{self.status}>"


class RecoveryCode(db.Model):
    """A one-time code to log in without the authenticator app; only its keyed hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
