"""Contact details in free text: the one place that knows what an e-mail or phone looks like."""

from __future__ import annotations

import re

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# "+49 170 1234567", "0048 22 123 45 67", "(030) 1234-5678": a digit run with separators.
PHONE_RE = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s()./-]{5,}\d(?!\w)")
DATE_RE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\.?")


def looks_like_phone(candidate: str) -> bool:
    """At least seven digits and not a date."""
    digits = sum(ch.isdigit() for ch in candidate)
    return digits >= 7 and not DATE_RE.fullmatch(candidate.strip())


def find_contact_details(text: str) -> list[str]:
    """E-mail addresses and phone numbers in a text, in order of kind, without repeats."""
    phones = [m.group().strip() for m in PHONE_RE.finditer(text or "")
              if looks_like_phone(m.group())]
    return list(dict.fromkeys(EMAIL_RE.findall(text or "") + phones))


def remove_emails(text: str, mark: str) -> str:
    """The text with every e-mail address replaced by `mark`."""
    return EMAIL_RE.sub(mark, text or "")


def remove_phones(text: str, mark: str, strict: bool = True) -> str:
    """Phone numbers replaced by `mark`; not strict: any phone-shaped digit run (dates too)."""
    return PHONE_RE.sub(
        lambda m: mark if not strict or looks_like_phone(m.group()) else m.group(), text or ""
    )


def remove_contact_details(text: str, mark: str) -> str:
    """The text with every e-mail address and phone number replaced by `mark`."""
    return remove_phones(remove_emails(text, mark), mark)
