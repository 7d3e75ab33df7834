"""New passwords: refuse the ones attackers try first (offline breached list, own name/address).

The list is zxcvbn's 30,000 most common passwords from public breaches, shipped with the
package: no network request, loaded once per process. No strength score is computed.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from flask_babel import lazy_gettext as _l

BREACHED = _l("This password appears in lists of breached passwords. Please choose another.")
PERSONAL = _l("This password is too close to your name or e-mail address. Please choose another.")
# Characters people add around a common word ("Password2024!"); stripped before a second look.
DECORATION = "0123456789!@#$%^&*()-_=+.,;:?~ "
SIMILARITY = 0.75  # difflib ratio from which a password counts as a variant of a name
MIN_PERSONAL = 4  # shorter name parts ("Li", "de") would refuse too much
MIN_REST = 6  # characters a password needs besides an embedded name or address part


@lru_cache(maxsize=1)
def breached_passwords() -> frozenset[str]:
    """The offline list of breached passwords, lower case (loaded on first use)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_breached(password: str) -> bool:
    """True for a listed password, also in other case or with digits/symbols around it."""
    folded = password.casefold()
    core = folded.strip(DECORATION)
    listed = breached_passwords()
    return folded in listed or (len(core) >= MIN_PERSONAL and core in listed)


def _fold(text: str) -> str:
    """Lower case letters and digits only, for comparing a password with personal words."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def personal_words(email: str, name: str) -> list[str]:
    """The e-mail address, its local part, the name and its parts, folded."""
    local = email.split("@", 1)[0]
    words = [email, local, name, *name.split(), *local.replace(".", " ").replace("_", " ").split()]
    return [w for w in dict.fromkeys(_fold(word) for word in words) if len(w) >= MIN_PERSONAL]


def is_personal(password: str, email: str, name: str) -> bool:
    """True when the password is the name or address, a near variant, or one of them plus
    a few characters."""
    folded = _fold(password)
    for word in personal_words(email, name):
        if word in folded and len(folded) - len(word) < MIN_REST:
            return True
        if SequenceMatcher(None, folded, word).ratio() >= SIMILARITY:
            return True
    return False


def password_problem(
    password: str, email: str = "", name: str = "", check_breached: bool = True
) -> str | None:
    """Why a new password is refused (translated), or None when it may be used."""
    if check_breached and is_breached(password):
        return str(BREACHED)
    if is_personal(password, email, name):
        return str(PERSONAL)
    return None
