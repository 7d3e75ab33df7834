"""Translated labels for roundtable keys (stored as keys, shown translated)."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

# The agencies a member can sit for; the roundtable page lists those still missing.
AGENCY_LABELS = {
    "school": _l("School"),
    "police": _l("Police"),
    "social_services": _l("Social services"),
    "youth_work": _l("Youth work"),
    "health": _l("Health"),
    "local_government": _l("Local government"),
    "religious_community": _l("Religious community"),
    "civil_society": _l("Civil society"),
    "other": _l("Other"),
}
# "other" is never "missing": stakeholder mapping is about the named agencies.
MAPPED_AGENCIES = tuple(key for key in AGENCY_LABELS if key != "other")

MEMBERSHIP_STATUS_LABELS = {
    "invited": _l("Invited"),
    "requested": _l("Asked to join"),
    "active": _l("Member"),
}
MEETING_KIND_LABELS = {
    "meeting": _l("Meeting"),
    "training": _l("Training"),
}
ATTENDANCE_LABELS = {
    "invited": _l("Invited"),
    "confirmed": _l("Confirmed"),
    "attended": _l("Attended"),
    "excused": _l("Excused"),
}
# With a context: "Open" alone is also a button ("open the case"), translated as a verb.
ACTION_STATUS_LABELS = {
    "open": _lp("action status", "Open"),
    "done": _lp("action status", "Done"),
    "dropped": _lp("action status", "Dropped"),
}
# Time zones offered for meetings: the four countries' own, then UTC and other European ones.
COUNTRY_TIMEZONES = {
    "DE": "Europe/Berlin",
    "PL": "Europe/Warsaw",
    "RO": "Europe/Bucharest",
    "HU": "Europe/Budapest",
}
# Time zones offered for meetings: current canonical names only (no deprecated links such as
# Europe/Kiev or Europe/Belfast; tzdata gives Python no link table, hence a curated list).
MEETING_TIMEZONES = (
    "Europe/Amsterdam", "Europe/Andorra", "Europe/Athens", "Europe/Belgrade", "Europe/Berlin",
    "Europe/Bratislava", "Europe/Brussels", "Europe/Bucharest", "Europe/Budapest",
    "Europe/Chisinau", "Europe/Copenhagen", "Europe/Dublin", "Europe/Helsinki",
    "Europe/Istanbul", "Europe/Kyiv", "Europe/Lisbon", "Europe/Ljubljana", "Europe/London",
    "Europe/Luxembourg", "Europe/Madrid", "Europe/Malta", "Europe/Monaco", "Europe/Oslo",
    "Europe/Paris", "Europe/Podgorica", "Europe/Prague", "Europe/Riga", "Europe/Rome",
    "Europe/Sarajevo", "Europe/Skopje", "Europe/Sofia", "Europe/Stockholm", "Europe/Tallinn",
    "Europe/Tirane", "Europe/Vienna", "Europe/Vilnius", "Europe/Warsaw", "Europe/Zagreb",
    "Europe/Zurich", "UTC",
)
