"""Translated labels for roundtable keys (stored as keys, shown translated)."""

from flask_babel import lazy_gettext as _l

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
ACTION_STATUS_LABELS = {
    "open": _l("Open"),
    "done": _l("Done"),
    "dropped": _l("Dropped"),
}
# Time zones offered for meetings: the four countries' own, then UTC and other European ones.
COUNTRY_TIMEZONES = {
    "DE": "Europe/Berlin",
    "PL": "Europe/Warsaw",
    "RO": "Europe/Bucharest",
    "HU": "Europe/Budapest",
}
