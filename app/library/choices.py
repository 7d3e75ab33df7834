"""Translated labels for library keys (types, evidence, formats); topics come from the taxonomy."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.content import taxonomy

TYPE_LABELS = {
    "handbook": _l("Handbook"),
    "video": _l("Video"),
    "training": _l("Training material"),
    "lesson": _l("Lesson learned"),
    "practice": _l("Best practice"),
    "case": _l("Prior case"),
    "trainer": _l("Trainer"),
    "donor": _l("Donor"),
    "organisation": _l("Organisation"),
    "expert": _l("Expert"),
}

EVIDENCE_LABELS = {
    "inspiring": _l("Inspiring"),
    "evaluated": _l("Evaluated"),
    "peer_reviewed": _l("Peer-reviewed"),
}

# A new practice starts with the label that claims the least (see ItemForm.evidence).
DEFAULT_EVIDENCE = "inspiring"

EVIDENCE_HINTS = {
    "inspiring": _l("Promising experience from practice, not yet evaluated."),
    "evaluated": _l("An evaluation of its effects exists."),
    "peer_reviewed": _l("Its effects were studied and published after peer review."),
}

TRAINING_FORMATS = {
    "course": _l("Course"),
    "workshop": _l("Workshop format"),
    "simulation": _l("Simulation exercise"),
    "handout": _l("Handout"),
}

STATUS_LABELS = {
    "draft": _l("Draft"),
    "in_review": _l("In review"),
    "returned": _l("Returned for changes"),
    "published": _l("Published"),
    "unpublished": _l("Unpublished"),
}

SORT_LABELS = {
    "relevance": _l("Relevance"),
    "newest": _l("Newest"),
    "title": _l("Title"),
}

FACET_LABELS = {
    "type": _l("Type"),
    "topic": _l("Topic"),
    "country": _l("Country"),
    "language": _l("Language"),
    "audience": _l("For whom"),
    "evidence": _l("Evidence"),
}


def topic_label(key: str, language: str) -> str:
    """A taxonomy topic's label in `language` (the key itself when unknown)."""
    return taxonomy.label(key, language) or key


def topic_choices(language: str) -> list[tuple[str, str]]:
    """Every taxonomy topic as (key, label), sorted by label."""
    pairs = [(key, topic_label(key, language)) for key in taxonomy.topic_keys()]
    return sorted(pairs, key=lambda pair: pair[1].casefold())
