"""Fixed, translated choice lists for profiles (stored as keys, shown translated)."""

from flask_babel import lazy_gettext as _l

PROFESSIONS = {
    "teacher": _l("Teacher"),
    "social_worker": _l("Social worker"),
    "youth_worker": _l("Youth worker"),
    "police": _l("Police"),
    "local_government": _l("Local government"),
    "ngo": _l("NGO"),
    "researcher": _l("Researcher"),
    "health": _l("Health"),
    "religious_community": _l("Religious community"),
    "other": _l("Other"),
}

COUNTRIES = {
    "DE": _l("Germany"),
    "PL": _l("Poland"),
    "RO": _l("Romania"),
    "HU": _l("Hungary"),
    "EU": _l("Other EU country"),
}

EXPERTISE = {
    "hate_speech": _l("Hate speech"),
    "extremist_propaganda": _l("Extremist propaganda"),
    "online_radicalisation": _l("Online radicalisation"),
    "antisemitism": _l("Antisemitism"),
    "antigypsyism": _l("Antigypsyism"),
    "anti_muslim_hatred": _l("Anti-Muslim hatred"),
    "racism": _l("Racism"),
    "gender_based_violence": _l("Sexism and gender-based violence"),
    "lgbtiq_hostility": _l("LGBTIQ hostility"),
    "conspiracy_narratives": _l("Conspiracy narratives"),
    "polarisation": _l("Polarisation and community tension"),
    "youth_at_risk": _l("Youth at risk"),
    "schools": _l("Schools"),
    "media_literacy": _l("Media literacy"),
    "disengagement_exit": _l("Disengagement and exit"),
    "multi_agency": _l("Multi-agency cooperation"),
    "mental_health": _l("Mental health"),
    "families": _l("Families"),
    "prisons_probation": _l("Prisons and probation"),
}

ROLES = {
    "member": _l("Member"),
    "coordinator": _l("Coordinator"),
    "admin": _l("Administrator"),
}

STATUSES = {
    "unconfirmed": _l("E-mail not yet confirmed"),
    "pending": _l("Waiting for approval"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "suspended": _l("Suspended"),
}

MEMBER_KINDS = {
    "practitioner": _l("First-line practitioner"),
    "expert": _l("Expert"),
}
