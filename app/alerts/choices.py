"""Translated choice lists of the alert form and the emergency numbers shown to reporters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.choices import COUNTRIES, PROFESSIONS

CATEGORY_LABELS = {
    "extremist_propaganda": _l("Extremist propaganda"),
    "hate_speech": _l("Hate speech"),
    "gender_based_violence": _l("Gender-based violence"),
    "racist_violence": _l("Racist or ethnic violence"),
    "religious_hatred": _l("Religious hatred"),
    "antisemitism": _l("Antisemitism"),
    "conspiracy_narratives": _l("Conspiracy narratives"),
    "polarisation": _l("Polarisation or community tension"),
    "online_radicalisation": _l("Online radicalisation"),
    "other": _l("Other"),
}

SETTING_LABELS = {
    "school": _l("School"),
    "online": _l("Online or social media"),
    "neighbourhood": _l("Neighbourhood"),
    "workplace": _l("Workplace"),
    "sports": _l("Sports"),
    "religious_site": _l("Religious site"),
    "public_space": _l("Public space"),
    "family": _l("Family"),
    "other": _l("Other"),
}

URGENCY_LABELS = {
    "low": _l("Low: no one is at risk now"),
    "medium": _l("Medium: it may get worse"),
    "high": _l("High: it needs attention within days"),
}

# The reporter's role: the professions of the portal plus people without one.
REPORTER_ROLES = {**{k: v for k, v in PROFESSIONS.items() if k != "other"},
                  "community_member": _l("Community member"), "other": _l("Other")}

ALERT_COUNTRIES = COUNTRIES

STATUS_LABELS = {
    "answered": _l("Answered with recommendations from the library"),
    "forwarded": _l("Forwarded to ARENA experts"),
    "withdrawn": _l("Withdrawn"),
}

# The status of a report ARENA merged into another report of the same incident.
JOINED_LABEL = _l("Your report was joined with another report of the same incident; experts "
                  "work on it there.")

# Why an alert became an ARENA case (Alert.forward_reason), as members read it.
FORWARD_REASON_LABELS = {
    "no_match": _l("Nothing in the library answered it"),
    "urgent": _l("Urgent, or someone is in danger"),
    "reporter": _l("The reporter asked the experts"),
    "reporter_wrote": _l("The reporter wrote a message after the library's answer"),
    "no_words": _l("The text has no words we could read"),
    "member": _l("A member asked the experts after the library's answer"),
}

# ARENA's case status (mirrored into Alert.case_status), as the reporter reads it.
CASE_STATUS_LABELS = {
    "new": _l("Waiting for the experts"),
    "in_discussion": _l("The experts are discussing it"),
    "recommendation_given": _l("The experts have recommended what to do"),
    "closed": _l("Closed"),
}

# Emergency numbers: 112 works everywhere in the EU; national numbers as publicly listed.
EMERGENCY_NUMBERS = {
    "DE": [
        ("112", _l("Fire brigade and ambulance")),
        ("110", _l("Police")),
        ("0800 111 0 111", _l("Telefonseelsorge: crisis line, free, day and night")),
        ("116 111", _l("Nummer gegen Kummer: children and young people")),
    ],
    "PL": [
        ("112", _l("Emergency number")),
        ("997", _l("Police")),
        ("116 111", _l("Helpline for children and young people")),
        ("116 123", _l("Emotional support line for adults")),
    ],
    "RO": [
        ("112", _l("Emergency number: police, ambulance, fire brigade")),
        ("116 111", _l("Telefonul Copilului: children and young people")),
        ("0800 500 333", _l("Helpline for victims of domestic violence, free")),
    ],
    "HU": [
        ("112", _l("Emergency number")),
        ("107", _l("Police")),
        ("116 111", _l("Kék Vonal: children and young people")),
        ("116 123", _l("Emotional first aid line for adults")),
    ],
}


# The country whose numbers lead the form page, by page language (English keeps the order).
LANGUAGE_COUNTRIES = {"de": "DE", "pl": "PL", "ro": "RO", "hu": "HU"}


def emergency_numbers(country: str | None) -> list[tuple[str, list]]:
    """Every country's numbers, the given country first (112 leads each list)."""
    order = sorted(EMERGENCY_NUMBERS, key=lambda code: code != country)
    return [(code, EMERGENCY_NUMBERS[code]) for code in order]
