"""Demo accounts for the development set-up: never in production (refused, and cannot log in)."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import User, utcnow
from app.accounts.services import DEMO_DOMAIN, demo_allowed, find_by_email
from app.extensions import db


@dataclass(frozen=True)
class DemoAccount:
    """One demo login, printed by `flask dev demo-accounts`."""

    email: str
    password: str
    name: str
    role: str
    country: str
    kind: str = "practitioner"
    expertise: tuple[str, ...] = ()


def _demo(local: str, name: str, role: str, country: str, **extra) -> DemoAccount:
    """A demo account with a known password derived from its address."""
    email = f"{local}@{DEMO_DOMAIN}"
    return DemoAccount(email, f"demo-{local}-password", name, role, country, **extra)


COUNTRY_LANGUAGES = {"DE": "de", "PL": "pl", "RO": "ro", "HU": "hu"}

DEMO_ACCOUNTS = (
    _demo("admin", "Demo Administrator", "admin", "EU"),
    *(
        _demo(f"coordinator-{c.lower()}", f"Demo Coordinator {c}", "coordinator", c)
        for c in ("DE", "PL", "RO", "HU")
    ),
    _demo(
        "expert-1",
        "Demo Expert One",
        "member",
        "DE",
        kind="expert",
        expertise=("online_radicalisation", "youth_at_risk", "media_literacy"),
    ),
    _demo(
        "expert-2",
        "Demo Expert Two",
        "member",
        "PL",
        kind="expert",
        expertise=("hate_speech", "antisemitism", "multi_agency"),
    ),
)


def create_demo_accounts() -> list[DemoAccount]:
    """Create or refresh every demo account (idempotent); refuses outside development mode."""
    if not demo_allowed():
        raise PermissionError("demo accounts exist only in development mode")
    for demo in DEMO_ACCOUNTS:
        _upsert(demo)
    db.session.commit()
    return list(DEMO_ACCOUNTS)


def _upsert(demo: DemoAccount) -> User:
    """Make the account match the demo definition, with its known password."""
    user = find_by_email(demo.email)
    if user is None:
        user = User(email=demo.email, name=demo.name, country=demo.country)
        db.session.add(user)
    user.name, user.role, user.country, user.kind = demo.name, demo.role, demo.country, demo.kind
    user.status, user.email_confirmed_at = "approved", user.email_confirmed_at or utcnow()
    user.expertise = list(demo.expertise)
    user.language = COUNTRY_LANGUAGES.get(demo.country, "en")  # mails as a real member's
    user.working_languages = list(dict.fromkeys([user.language, "en"]))
    user.public_profile = demo.kind == "expert"
    user.bio = "Demo account for trying out the portal." if demo.kind == "expert" else ""
    user.set_password(demo.password)
    return user
