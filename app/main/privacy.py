"""The privacy notice's facts, taken from the configuration (controller, contacts, legal
basis, retention periods, what the rate limiter keeps)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core.ratelimit import seconds_kept

# GDPR Art. 6(1) bases an operator may name in PRIVACY_LEGAL_BASIS.
LEGAL_BASES = {
    "consent": _l("your consent (GDPR Art. 6(1)(a)), which you can withdraw at any time"),
    "legal_obligation": _l("a legal obligation of the controller (GDPR Art. 6(1)(c))"),
    "public_interest": _l("a task carried out in the public interest (GDPR Art. 6(1)(e))"),
    "legitimate_interests": _l("the legitimate interests of the controller "
                               "(GDPR Art. 6(1)(f))"),
}


@dataclass(frozen=True)
class PrivacyFacts:
    """What the notice says about this deployment."""

    controller: str
    contact: str
    dpo_contact: str
    legal_basis: str
    alert_days: int
    warning_days: int
    access_log_days: int
    report_limit_hours: int


def privacy_facts(config) -> PrivacyFacts:
    """The notice's facts from the application's configuration."""
    basis = config.get("PRIVACY_LEGAL_BASIS") or ""
    window = max(int(config[key][1]) for key in ("ALERT_RATE_LIMIT", "ALERT_DANGER_RATE_LIMIT"))
    return PrivacyFacts(
        controller=(config.get("PRIVACY_CONTROLLER") or "").strip(),
        contact=(config.get("PRIVACY_CONTACT") or "").strip(),
        dpo_contact=(config.get("PRIVACY_DPO_CONTACT") or "").strip(),
        legal_basis=str(LEGAL_BASES.get(basis, basis)),
        alert_days=int(config["RETENTION_ALERT_DAYS"]),
        warning_days=int(config["RETENTION_WARNING_DAYS"]),
        access_log_days=int(config["RETENTION_ACCESS_LOG_DAYS"]),
        report_limit_hours=max(1, math.ceil(seconds_kept(window) / 3600)),
    )
