"""Account services: registration, confirmation, login, passwords, profile, deletion.

Typed functions that never touch request or session, so views, the CLI and tests share them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache

from flask import current_app
from sqlalchemy import Table, delete, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.accounts import mails, tokens
from app.accounts.models import User, utcnow
from app.core import ratelimit
from app.core.signals import member_deleted
from app.extensions import db

# Login failures are counted per account + address (the owner elsewhere is never slowed
# down) and logins per address; LOGIN_* in app/config.py set the wait and the limit.
LOGIN_SCOPE = "login"
LOGIN_ADDRESS_SCOPE = "login-address"
# Mails to one address (resets, confirmations) per hour: stops mail bombing.
MAILS_PER_ADDRESS_HOUR = 3
DEMO_DOMAIN = "demo.example.org"  # reserved example domain: never a real mailbox


@dataclass
class ProfileDetails:
    """What a member may edit about themselves."""

    name: str
    organisation: str = ""
    profession: str = "other"
    city: str = ""
    working_languages: list[str] = field(default_factory=list)
    expertise: list[str] = field(default_factory=list)
    bio: str = ""
    public_profile: bool = False


@dataclass
class Registration(ProfileDetails):
    """A new member's details, fixed at registration."""

    email: str = ""
    kind: str = "practitioner"
    country: str = "DE"
    language: str = "en"


def normalise_email(email: str) -> str:
    """Addresses compare case-insensitively and without surrounding blanks."""
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    """The user with this address, if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _apply_profile(user: User, details: ProfileDetails) -> None:
    """Copy the editable fields onto the user, trimmed."""
    for name, value in asdict(ProfileDetails(**_profile_fields(details))).items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)


def _profile_fields(details: ProfileDetails) -> dict:
    """Only the ProfileDetails part of a (possibly larger) details object."""
    names = ProfileDetails.__dataclass_fields__
    return {name: getattr(details, name) for name in names}


def register_member(registration: Registration, password: str) -> User | None:
    """Create an unconfirmed member and mail the link; None (owner told) if the address exists."""
    existing = find_by_email(registration.email)
    if existing is not None:
        generate_password_hash(password, method="scrypt")  # same work, same timing
        if _may_mail(existing.email):
            mails.send_already_registered(existing)
        return None
    user = User(
        email=normalise_email(registration.email),
        kind=registration.kind,
        country=registration.country,
        language=registration.language,
        status="unconfirmed",
    )
    _apply_profile(user, registration)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    send_confirmation_link(user)
    return user


def _may_mail(email: str) -> bool:
    """False once an address had its hourly share of account mails."""
    return not ratelimit.hit("account-mail", email, MAILS_PER_ADDRESS_HOUR, 3600)


def send_confirmation_link(user: User) -> bool:
    """Queue a fresh confirmation link to an unconfirmed user; False if limited."""
    if user.status != "unconfirmed" or not _may_mail(user.email):
        return False
    mails.send_confirmation(user, tokens.make_token(user, tokens.CONFIRM))
    return True


def user_for_confirmation(token: str) -> User | None:
    """The user a valid confirmation link belongs to (nothing is changed)."""
    return tokens.read_token(token, tokens.CONFIRM)


def confirm_email(token: str) -> User | None:
    """Mark the address confirmed and the member pending; None for a bad or expired link."""
    user = tokens.read_token(token, tokens.CONFIRM)
    if user is None:
        return None
    if user.status == "unconfirmed":
        user.status = "pending"
        user.email_confirmed_at = utcnow()
        db.session.commit()
    return user


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against when the address is unknown, so timing reveals nothing."""
    return generate_password_hash("not a real password", method="scrypt")


def login_throttled(email: str, address: str) -> bool:
    """True when this account must still wait after failures from this address, or this
    address tried too many logins lately. Read only, for the message: authenticate()
    enforces both in the same atomic steps."""
    return login_retry_after(email, address) > 0


def login_retry_after(email: str, address: str) -> int:
    """Seconds before this account may be tried from this address (0: at once), for a
    message such as "Please wait 2 minutes"."""
    return max(login_wait_seconds(email, address),
               ratelimit.retry_after(LOGIN_ADDRESS_SCOPE, address, *_address_limit()))


def login_wait_seconds(email: str, address: str) -> int:
    """Seconds this account must still wait after failures from this address (0: none)."""
    return ratelimit.wait_seconds(LOGIN_SCOPE, _login_key(email, address))


def authenticate(email: str, password: str, address: str) -> User | None:
    """The user for a correct e-mail and password. None for a wrong one, and, without even
    checking the password, while this account must wait after failures from this address or
    the address made too many attempts; a success forgets the failures."""
    if not _claim_login_attempt(email, address):
        return None
    user = _user_for_credentials(email, password)
    if user is not None:
        ratelimit.clear_failures(LOGIN_SCOPE, _login_key(email, address))
        ratelimit.give_back(LOGIN_ADDRESS_SCOPE, address, _address_limit()[1])
    return user


def _login_key(email: str, address: str) -> str:
    """What login failures are counted by: the account together with the address."""
    return f"{normalise_email(email)}\n{address}"


def _address_limit() -> tuple[int, int]:
    """Logins one address may try as (attempts, seconds)."""
    attempts, seconds = current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]
    return int(attempts), int(seconds)


def _login_backoff() -> ratelimit.Backoff:
    """The growing wait after failed logins, from the configuration."""
    config = current_app.config
    return ratelimit.Backoff(free=int(config["LOGIN_FREE_FAILURES"]),
                             base=int(config["LOGIN_DELAY_BASE"]),
                             longest=int(config["LOGIN_DELAY_MAX"]))


def _claim_login_attempt(email: str, address: str) -> bool:
    """Count the attempt for the address and claim it for the account + address (counted as
    a failure until it succeeds); False when either says no."""
    if ratelimit.hit(LOGIN_ADDRESS_SCOPE, address, *_address_limit()):
        return False
    return ratelimit.claim_attempt(LOGIN_SCOPE, _login_key(email, address), _login_backoff())


def _user_for_credentials(email: str, password: str) -> User | None:
    """The user when the e-mail and password match (same work and timing when they do not)."""
    user = find_by_email(email)
    if user is None or (is_demo_account(user) and not demo_allowed()):
        check_password_hash(_dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def is_demo_account(user: User) -> bool:
    """Demo accounts carry the demo domain."""
    return user.email.endswith("@" + DEMO_DOMAIN)


def demo_allowed() -> bool:
    """Demo accounts exist, and work, only in development mode."""
    return current_app.config.get("ENV_MODE") == "development"


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address belongs to someone; silent either way."""
    user = find_by_email(email)
    if user is None or user.status == "rejected" or not _may_mail(user.email):
        return
    mails.send_password_reset(user, tokens.make_token(user, tokens.RESET))


def user_for_reset(token: str) -> User | None:
    """The user a valid reset link belongs to."""
    return tokens.read_token(token, tokens.RESET)


def reset_password(user: User, password: str) -> None:
    """Set a new password from a reset link; every session ends, the link dies with it."""
    user.set_password(password)
    if user.status == "unconfirmed":
        # Following a link mailed to the address proves it, just like the confirmation link.
        user.status, user.email_confirmed_at = "pending", utcnow()
    user.invalidate_sessions()
    db.session.commit()


def change_password(user: User, current: str, new: str) -> bool:
    """Replace the password when `current` is right; other sessions stop working."""
    if not user.check_password(current):
        return False
    user.set_password(new)
    user.invalidate_sessions()
    db.session.commit()
    return True


def log_out_everywhere(user: User) -> None:
    """End every session of the user (the copied cookie too)."""
    user.invalidate_sessions()
    db.session.commit()


def update_profile(user: User, details: ProfileDetails) -> None:
    """Save the member's own profile."""
    _apply_profile(user, details)
    db.session.commit()


def delete_account(user: User, password: str) -> bool:
    """Delete the account and profile when the password is right; their content stays, unnamed."""
    if not user.check_password(password):
        return False
    member_deleted.send(user)
    _detach_references(user.id)
    db.session.delete(user)
    db.session.commit()
    return True


def _detach_references(user_id: int) -> None:
    """Unlink other tables' rows from the user (SQLite does not enforce ON DELETE itself)."""
    _detach_rows(User.__table__, [user_id])


def _detach_rows(parent: Table, ids: list) -> None:
    """Delete (CASCADE) or unlink (SET NULL) the rows pointing at these parent rows, deepest
    first, so e.g. a deleted conversation takes its messages with it."""
    for table in db.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not parent or table is parent:
                continue
            column = fk.parent
            if (fk.ondelete or "").upper() == "CASCADE" or not column.nullable:
                _detach_rows(table, _row_ids(table, column, ids))
                db.session.execute(delete(table).where(column.in_(ids)))
            else:
                db.session.execute(update(table).where(column.in_(ids)).values({column: None}))


def _row_ids(table: Table, column, ids: list) -> list:
    """Primary keys of the rows whose `column` is in `ids` (none for composite keys)."""
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not ids:
        return []
    return list(db.session.scalars(select(keys[0]).where(column.in_(ids))))


def create_admin(email: str, name: str, password: str, country: str = "EU") -> User:
    """Create an approved admin, or promote and re-password the account with that address."""
    user = find_by_email(email)
    if user is None:
        user = User(email=normalise_email(email), name=name, country=country)
        db.session.add(user)
    user.name, user.role, user.status = name, "admin", "approved"
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    user.set_password(password)
    db.session.commit()
    return user


def count_failed_second_factor(email: str, address: str) -> None:
    """A wrong second-factor code counts as a failed login of the account from this address
    (the right password just forgot that key's failures: this starts counting again)."""
    ratelimit.claim_attempt(LOGIN_SCOPE, _login_key(email, address), _login_backoff())
