"""Two-factor authentication: TOTP (RFC 6238, pyotp) with one-time recovery codes.

Typed services that never touch request or session. A TOTP code is accepted once: the time
step it belongs to is stored, and codes of that step or earlier are refused. Recovery codes
are kept only as keyed hashes and each works once.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
from datetime import UTC, datetime

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from app.accounts import services
from app.accounts.models import RecoveryCode, User, utcnow
from app.accounts.services import demo_allowed, is_demo_account
from app.core import ratelimit
from app.core.security import keyed_hash
from app.extensions import db

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand
RECOVERY_HALF = 5  # two groups of five: about 49 bits, and only a keyed hash is stored
# Wrong second-factor codes per account in a sliding window, whatever the address: a correct
# password never resets this, so knowing the password does not buy endless guesses.
CODE_SCOPE = "two-factor"
CODE_ATTEMPTS = 5
CODE_PERIOD = 15 * 60


def new_setup_nonce() -> str:
    """A random value for the session during enrolment, from which `setup_secret` derives
    the secret: the cookie never carries the secret itself."""
    return secrets.token_urlsafe(16)


def setup_secret(user: User, nonce: str) -> str:
    """The TOTP secret offered to `user` while enrolling with this session nonce (a keyed
    hash, so only the server can compute it, and the same on every reload of the page)."""
    digest = bytes.fromhex(keyed_hash(f"{user.id}:{nonce}", "totp-setup"))
    return base64.b32encode(digest[:20]).decode()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    issuer = current_app.config["TWO_FACTOR_ISSUER"]
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code_data_uri(uri: str) -> str:
    """The URI as a QR code in an SVG data: URI, made here (no request leaves the server)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _now() -> float:
    """Seconds since the epoch (one place for tests to move the clock)."""
    return time.time()


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step (now, or one before/after for clock drift) whose code equals `code`,
    if that step is later than `after`; else None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(datetime.fromtimestamp(_now(), UTC))
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and (after is None or step > after):
            return step
    return None


def code_is_valid(secret: str, code: str) -> bool:
    """True when `code` is a current code for `secret` (used while enrolling)."""
    return _matching_step(secret, code, None) is not None


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn on two-factor authentication when `code` proves the app has `secret`; returns
    the new recovery codes (shown once), or None for a wrong code."""
    step = _matching_step(secret, code, None)
    if step is None:
        return None
    user.totp_secret, user.totp_last_step = secret, step
    user.two_factor_enabled_at = utcnow()
    user.invalidate_sessions()  # sessions opened with the password alone end
    codes = _replace_recovery_codes(user)
    db.session.commit()
    return codes


def verify_totp(user: User, code: str) -> bool:
    """Accept a current, not yet used TOTP code of the user (and remember its time step)."""
    if not user.two_factor_enabled:
        return False
    step = _matching_step(user.totp_secret or "", code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.commit()
    return True


def use_recovery_code(user: User, code: str) -> bool:
    """Accept an unused recovery code of the user once; it is spent from then on."""
    if not user.two_factor_enabled:
        return False
    found = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(user, code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if found is None:
        return False
    found.used_at = utcnow()
    db.session.commit()
    return True


def remaining_recovery_codes(user: User) -> int:
    """How many recovery codes the user can still use."""
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ) or 0


def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code of the user with ten new ones (shown once)."""
    codes = _replace_recovery_codes(user)
    db.session.commit()
    return codes


def disable(user: User, password: str, code: str) -> bool:
    """Turn two-factor authentication off, with the password and a current code."""
    if not user.check_password(password) or not verify_totp(user, code):
        return False
    reset(user)
    return True


def reset(user: User) -> None:
    """Forget the secret and the recovery codes (an admin's reset, or the member's own)."""
    user.totp_secret = user.two_factor_enabled_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.commit()


def is_required(user: User) -> bool:
    """True when the user's role must use a second factor (TWO_FACTOR_REQUIRED_ROLES).

    Demo accounts are exempt in development mode: their passwords are printed for anyone
    trying the portal, they refuse to log in outside development, and an authenticator app
    would make `manage.py run` more than one command."""
    if user.role not in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]:
        return False
    return not (is_demo_account(user) and demo_allowed())


def needs_enrolment(user: User) -> bool:
    """True when the role requires a second factor the user has not set up yet (members not
    approved see only their status page, so they are not sent round in circles)."""
    return user.is_approved and is_required(user) and not user.two_factor_enabled


def claim_code_attempt(user: User) -> bool:
    """Count a second-factor attempt for the account; False once it had too many lately."""
    return not ratelimit.hit(CODE_SCOPE, str(user.id), CODE_ATTEMPTS, CODE_PERIOD)


def forget_code_attempt(user: User) -> None:
    """Un-count an attempt that succeeded: only wrong codes use up the allowance."""
    ratelimit.give_back(CODE_SCOPE, str(user.id), CODE_PERIOD)


def record_wrong_code(user: User, address: str) -> None:
    """A wrong code also counts as a failed login of the account from this address."""
    services.count_failed_second_factor(user.email, address)


def _replace_recovery_codes(user: User) -> list[str]:
    """Delete the user's recovery codes and add fresh ones; returns them in clear (once)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, code)) for code in codes
    )
    return codes


def _new_recovery_code() -> str:
    """A random code like "k7mq2-x9trp"."""
    chars = [secrets.choice(RECOVERY_ALPHABET) for _ in range(2 * RECOVERY_HALF)]
    return "".join(chars[:RECOVERY_HALF]) + "-" + "".join(chars[RECOVERY_HALF:])


def _recovery_hash(user: User, code: str) -> str:
    """Keyed hash of a recovery code as typed (case, blanks and dashes do not matter)."""
    folded = "".join(ch for ch in code.lower() if ch.isalnum())
    return keyed_hash(f"{user.id}:{folded}", "recovery-code")
