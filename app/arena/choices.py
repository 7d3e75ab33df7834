"""Translated labels for ARENA's keys (stored as keys, shown translated)."""

from flask_babel import lazy_gettext as _l

CASE_STATUS_LABELS = {
    "new": _l("New"),
    "in_discussion": _l("In discussion"),
    "recommendation_given": _l("Recommendation given"),
    "closed": _l("Closed"),
}
CLOSED_REASON_LABELS = {
    "resolved": _l("Resolved"),
    "duplicate": _l("Duplicate of another case"),
    "withdrawn": _l("Withdrawn by the reporter"),
    "erased": _l("Erased by an administrator"),
}
ACTOR_LABELS = {
    "school": _l("School"),
    "police": _l("Police"),
    "social_services": _l("Social services"),
    "health": _l("Health services"),
    "community": _l("Community"),
    "family": _l("Family"),
}
URGENCY_LABELS = {
    "low": _l("Low: within weeks"),
    "medium": _l("Medium: within days"),
    "high": _l("High: today"),
}
NOTIFICATION_KIND_LABELS = {
    "new_case": _l("A new case in my country or expertise"),
    "reply": _l("A reply in a case I follow"),
    "mention": _l("Someone mentions me"),
    "recommendation": _l("A recommendation is released in a case I follow"),
    "message": _l("A personal message"),
    "roundtable": _l("Roundtable invitations, requests and meetings"),
    "action_due": _l("A roundtable action of mine is overdue"),
}
DELIVERY_LABELS = {
    "immediate": _l("E-mail immediately"),
    "digest": _l("Daily e-mail digest"),
    "off": _l("Off"),
}
# What a lesson's de-identification removed (app.core.deidentify), shown to its reviewers.
REMOVAL_KIND_LABELS = {
    "name": _l("name"),
    "place": _l("place"),
    "address": _l("address"),
    "contact": _l("e-mail address"),
    "phone": _l("phone or ID number"),
    "link": _l("link"),
    "handle": _l("user name"),
    "class": _l("class"),
    "date": _l("date"),
    "number": _l("number"),
}
