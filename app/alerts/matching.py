"""Match an alert to the library: key terms, thesaurus concepts and topics, explained scores.

The alert's concepts ("Hakenkreuz" -> swastika) meet the same concepts in items of any
language; every item the engine finds is weighed (no cut before ALERT's own score), and a text
that names nothing of the domain is shown no case as if it answered it.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields

import bleach
import numpy as np
from flask import current_app
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.alerts.feedback import feedback_priors
from app.alerts.stopwords import is_stop_word
from app.content import taxonomy
from app.content.thesaurus import Mention, concept_label, find_mentions, load_thesaurus
from app.core.language_detection import guess_languages
from app.core.text import words as text_words
from app.extensions import db
from app.library.links import library_url
from app.library.models import ContentItem
from app.search.backend import MatchHit, MatchPool, MatchRequest
from app.search.services import match_documents

WORD_RE = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
LEADING_ELLIPSIS_RE = re.compile(r"^\s*(…|\.\.\.)(?=\S)")
# Result groups in the order the reporter sees them; types not listed are not recommended.
GROUPS = {
    "case": "cases",
    "practice": "practices",
    "handbook": "chapters",
    "training": "training", "lesson": "training", "video": "training",
    "trainer": "people", "expert": "people", "organisation": "people",
}
GROUP_ORDER = ("cases", "practices", "chapters", "training", "people")
ANSWERING_TYPES = ("case", "practice")  # without one of these above threshold: forward
PEOPLE_TYPES = tuple(kind for kind, group in GROUPS.items() if group == "people")
WEIGHTS = {"terms": 0.25, "concepts": 0.20, "topics": 0.20, "rank": 0.20, "country": 0.10,
           "setting": 0.05}
# Without a shared subject (topic or concept of what happened), a result must share this
# much of the weighted key terms; with a shared concept, this much.
SPECIFIC_WORDING = 0.8
CONCEPT_WORDING = 0.3
CONTEXT_WEIGHT = 0.6  # a place, person or agency (no subject topic) counts this much
ENGINE_TOP = 0.9  # "ranked first by the engine": within 90% of its best score
CONCEPTS_FOR_FULL = 3.0  # sharing three (weighted) concepts of the alert counts as all
# Topics that say where or with whom something happened, not what happened: they count less.
CONTEXT_TOPICS = frozenset({
    "schools", "families", "youth_at_risk", "local_government", "community_policing",
    "media_literacy", "multi_agency", "roundtables", "mental_health", "victim_support",
    "sports_and_fans",
})


@dataclass
class AlertQuery:
    """What the matcher derived from an alert: weighted key terms, concepts, topics."""

    page_language: str
    language: str  # the text's language (the page's when detection is unsure)
    terms: dict[str, float]
    topics: list[str]
    concepts: dict[str, float] = field(default_factory=dict)  # concept id -> weight
    country: str | None = None
    setting: str | None = None
    # What happened (from the text and the categories), as opposed to where (the setting).
    subject_topics: frozenset[str] = frozenset()
    subject_concepts: frozenset[str] = frozenset()
    languages: tuple[str, ...] = ()  # the languages the text was read in
    # concept -> [the reporter's words naming it, the language of the label they matched]
    words: dict[str, list[str]] = field(default_factory=dict)

    @property
    def names_the_domain(self) -> bool:
        """True when the text names concepts of the domain and the text or the categories
        say what happened (a subject topic): keyboard mash with a category ticked is not."""
        return bool(self.words) and bool(self.subject_topics)


@dataclass
class Recommendation:
    """One recommended resource, with its score, level and the reasons it matched."""

    doc_id: str
    item_id: int | None
    type: str
    slug: str
    language: str
    title: str
    score: float
    level: str  # "strong" | "partial"
    matched_terms: list[str]
    shared_topics: list[str]
    snippet: str
    shared_concepts: list[str] = field(default_factory=list)
    # shared concept -> [the reporter's words, their language] (see AlertQuery.words)
    reporter_words: dict[str, list[str]] = field(default_factory=dict)
    handbook_slug: str | None = None
    response: str = ""
    outcome: str = ""
    countries: list[str] = field(default_factory=list)
    # Feedback (app/alerts/feedback.py): the score change it made (bounded by
    # FEEDBACK_MAX_SHARE of the score), the votes it rests on, whether they came from alerts
    # sharing a topic, and the places it moved the item within its group (+ up, - down).
    feedback_shift: float = 0.0
    feedback_helped: int = 0
    feedback_unhelpful: int = 0
    feedback_same_topics: bool = False
    feedback_moved: int = 0

    @property
    def group(self) -> str:
        """The result group (cases, practices, chapters, training, people)."""
        return GROUPS[self.type]

    def as_dict(self) -> dict:
        """A JSON-ready copy (the snapshot stored on the alert and the API's raw material)."""
        return asdict(self)


def match_alert(
    text: str,
    lang: str,
    categories: list[str] | tuple[str, ...] = (),
    country: str | None = None,
    setting: str | None = None,
    *,
    limit: int = 20,
) -> list[Recommendation]:
    """The best `limit` library resources for an alert, of all that pass the thresholds."""
    return recommend(build_query(text, lang, categories, country, setting), limit)


def recommend(query: AlertQuery, limit: int = 20) -> list[Recommendation]:
    """The best `limit` library resources for an analysed alert."""
    if not query.names_the_domain or not (query.terms or query.concepts):
        return []  # nothing of what the network knows about: the experts read it
    request = MatchRequest(
        terms=list(query.terms), topics=query.topics, concepts=list(query.concepts),
        language=query.language, page_language=query.page_language,
        countries=[query.country] if query.country else [], setting=query.setting,
        limit=limit, ranking=alert_ranking(query),
    )
    hits = match_documents(request)  # the index, or the database while it is unusable
    # Feedback counts fully from alerts about the same thing (a subject topic, not just
    # "schools"); alerts without a subject topic compare all their topics.
    topics = [t for t in query.topics if t in query.subject_topics] or query.topics
    return with_feedback(_recommendations(hits, query), topics)


def build_query(
    text: str, lang: str, categories, country: str | None, setting: str | None
) -> AlertQuery:
    """Read the text in its language(s), find its concepts, topics and key terms."""
    guess = guess_languages(text)
    mentions = find_mentions(text, guess.languages, phrases_of_all=True)
    derived = taxonomy.ranked_topics(mentions, len(text_words(text)))
    topics = alert_topics(categories, setting, derived)
    concepts = mention_weights(mentions)
    return AlertQuery(
        page_language=lang, language=guess.language or lang, languages=guess.languages,
        terms=extract_key_terms(text, mentions), topics=topics, concepts=concepts,
        country=country, setting=setting,
        subject_topics=subject_topics(derived, categories),
        subject_concepts=frozenset(c for c in concepts if is_subject_concept(c)),
        words=reporter_words(mentions),
    )


def reporter_words(mentions: list[Mention]) -> dict[str, list[str]]:
    """Each concept named, in text order, with the words that first named it and their
    language (to show the reporter's own word beside the item's)."""
    found: dict[str, list[str]] = {}
    for mention in mentions:
        found.setdefault(mention.concept, [mention.text, mention.language])
    return found


def mention_weights(mentions: list[Mention]) -> dict[str, float]:
    """Each concept named: 1 when it signals what happened, CONTEXT_WEIGHT for a place,
    person or agency. (Broader concepts give topics, not matches: their postings are long
    and matching on them doubled the engine's time without better rankings.)"""
    return {mention.concept: 1.0 if is_subject_concept(mention.concept) else CONTEXT_WEIGHT
            for mention in mentions}


def is_subject_concept(concept: str) -> bool:
    """True when a concept signals what happened (a topic that is not only context)."""
    return bool(set(load_thesaurus().topics_of(concept)) - CONTEXT_TOPICS)


def subject_topics(derived: list[str], categories) -> frozenset[str]:
    """The topics of what happened: from the text and the categories, not from the setting,
    and not the context topics (schools, families ...) that say where or with whom."""
    found = set(derived)
    found.update(taxonomy.topics_for_categories(list(categories)))
    return frozenset(found - CONTEXT_TOPICS)


def alert_topics(categories, setting: str | None, derived: list[str]) -> list[str]:
    """Topics the text itself is about, then those of the categories and setting; no repeats."""
    topics = list(derived)
    topics.extend(taxonomy.topics_for_categories(list(categories)))
    topics.extend(taxonomy.topics_for_settings([setting] if setting else []))
    return list(dict.fromkeys(topics))


def extract_key_terms(text: str, mentions: Sequence[Mention] = (), limit: int | None = None
                      ) -> dict[str, float]:
    """At most `limit` (MATCH_MAX_TERMS) words, weighted by the concepts they name,
    repetition and rarity."""
    found = [w for w in WORD_RE.findall(text.lower()) if not is_stop_word(w)]
    if not found:
        return {}
    bonus = _concept_bonus(mentions)
    weights = {word: _term_weight(word, n, bonus.get(word, 1.0))
               for word, n in Counter(found).items()}
    best = sorted(weights.items(), key=lambda kv: (-kv[1], found.index(kv[0])))
    return dict(best[: limit or current_app.config["MATCH_MAX_TERMS"]])


def _concept_bonus(mentions: Sequence[Mention]) -> dict[str, float]:
    """2.5 for a word naming a concept of what happened, 1.3 for a context concept's word
    (school, parents)."""
    bonus: dict[str, float] = {}
    for mention in mentions:
        weight = 2.5 if is_subject_concept(mention.concept) else 1.3
        for word in mention.text.split():
            bonus[word] = max(bonus.get(word, 1.0), weight)
    return bonus


def _term_weight(word: str, count: int, bonus: float) -> float:
    """Concept words count most; longer (rarer) words and repeated words count more."""
    rarity = min(1.6, 0.6 + len(word) / 10)
    return round((1 + math.log(count)) * rarity * bonus, 3)


def alert_ranking(query: AlertQuery):
    """The ALERT score of every candidate (0..1; -inf when it does not answer the alert):
    key-term coverage, shared concepts and topics, engine rank, country and setting."""
    minimum = current_app.config["MATCH_MIN_THRESHOLD"]

    def rank(pool: MatchPool) -> np.ndarray:
        coverage = _coverage(pool, query)
        rank = pool.engine / pool.engine.max()
        parts = {
            "terms": coverage, "concepts": _concept_share(pool, query),
            "topics": _topic_share(pool, query), "rank": rank,
            "country": _country_fit(pool, query.country), "setting": _setting_fit(pool),
        }
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        # The engine's best hit stays when its concepts and words match, whatever its topics.
        engine_best = ((rank >= ENGINE_TOP) & _any(pool.concepts.values(), len(pool))
                       & (coverage >= CONCEPT_WORDING))
        answers = _shares_subject(pool, query) | (coverage >= SPECIFIC_WORDING) | engine_best
        kept = answers & _recommendable(pool) & (score >= minimum)
        return np.where(kept, score, -np.inf)

    return rank


def _any(columns, size: int) -> np.ndarray:
    """Row-wise OR of boolean columns (all False without columns)."""
    result = np.zeros(size, dtype=bool)
    for column in columns:
        result |= column
    return result


def _coverage(pool: MatchPool, query: AlertQuery) -> np.ndarray:
    """0..1: the weighted share of the key terms a candidate holds (60% counts as all)."""
    return _held(pool.terms, query.terms, 0.6 * sum(query.terms.values()), len(pool))


def _concept_share(pool: MatchPool, query: AlertQuery) -> np.ndarray:
    """0..1: the weighted concepts of the alert a candidate names (three count as all)."""
    full = min(CONCEPTS_FOR_FULL, sum(query.concepts.values()))
    return _held(pool.concepts, query.concepts, full, len(pool))


def _topic_share(pool: MatchPool, query: AlertQuery) -> np.ndarray:
    """0..1: shared subject topics count three times as much as shared context topics; of
    each kind, two count as all."""
    subject = {t: 1.0 for t in query.topics if t in query.subject_topics}
    context = {t: 1.0 for t in query.topics if t not in query.subject_topics}
    context_part = _held(pool.topics, context, min(2, len(context)), len(pool))
    if not subject:
        return context_part
    subject_part = _held(pool.topics, subject, min(2, len(subject)), len(pool))
    return 0.75 * subject_part + 0.25 * context_part


def _held(columns: dict[str, np.ndarray], weights: dict[str, float], full: float,
          size: int) -> np.ndarray:
    """0..1 per candidate: the weights of the keys it holds, `full` counting as all."""
    held = np.zeros(size)
    for key, weight in weights.items():
        if key in columns:
            held += weight * columns[key]
    return np.minimum(1.0, held / (full or 1.0))


def _shares_subject(pool: MatchPool, query: AlertQuery) -> np.ndarray:
    """Candidates about the same thing: a shared subject topic or subject concept."""
    columns = [pool.topics[t] for t in query.subject_topics if t in pool.topics]
    columns += [pool.concepts[c] for c in query.subject_concepts if c in pool.concepts]
    return _any(columns, len(pool))


def _country_fit(pool: MatchPool, country: str | None) -> np.ndarray:
    """1 for the alert's country, 0 for resources placed elsewhere only, else half."""
    if not country:
        return np.ones(len(pool))
    return np.where(pool.local, 1.0, np.where(pool.elsewhere, 0.0, 0.5))


def _setting_fit(pool: MatchPool) -> np.ndarray:
    """Cases from the same setting fit best; other resources are neutral."""
    return np.where(pool.types == "case", pool.setting.astype(float), 0.5)


def _recommendable(pool: MatchPool) -> np.ndarray:
    """Types ALERT recommends; trainers, experts and organisations only where they work."""
    people = np.isin(pool.types, PEOPLE_TYPES)
    return np.isin(pool.types, list(GROUPS)) & ~(people & pool.elsewhere)


def _recommendations(hits: list[MatchHit], query: AlertQuery) -> list[Recommendation]:
    """Recommendations for the hits that are live library items, in the engine's order."""
    items = _load_items(hits)
    found = (_recommend(hit, items.get(hit.item_id), query) for hit in hits)
    return [rec for rec in found if rec is not None]


def with_feedback(recommendations: list[Recommendation], topics: list[str]
                  ) -> list[Recommendation]:
    """The recommendations reordered by relevance plus the feedback prior, which moves a
    score by at most FEEDBACK_MAX_SHARE of itself: only items of close relevance trade places,
    the level stays what relevance says, and items the ranking rejected never come back."""
    priors = feedback_priors([rec.doc_id for rec in recommendations], topics)
    if not priors:
        return recommendations
    share = current_app.config["FEEDBACK_MAX_SHARE"]
    for rec in recommendations:
        prior = priors.get(rec.doc_id)
        if prior is not None:
            rec.feedback_shift = round(share * prior.value * rec.score, 3)
            rec.feedback_helped, rec.feedback_unhelpful = prior.helped, prior.unhelpful
            rec.feedback_same_topics = prior.same_topics
    before = _places_in_group(recommendations)
    reordered = sorted(recommendations, key=lambda rec: -(rec.score + rec.feedback_shift))
    after = _places_in_group(reordered)
    for rec in reordered:
        rec.feedback_moved = before[rec.doc_id] - after[rec.doc_id]
    return reordered


def _places_in_group(recommendations: list[Recommendation]) -> dict[str, int]:
    """Each recommendation's place within its result group (as the reporter sees it)."""
    seen: Counter[str] = Counter()
    places = {}
    for rec in recommendations:
        places[rec.doc_id] = seen[rec.group]
        seen[rec.group] += 1
    return places


def _load_items(hits: list[MatchHit]) -> dict[int, ContentItem]:
    """The published library rows of the versions shown, by id."""
    ids = [hit.item_id for hit in hits if hit.item_id is not None]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(ContentItem)
        .options(load_only(ContentItem.id, ContentItem.handbook_slug, ContentItem.extra,
                           ContentItem.countries))  # not the bodies: a result shows none
        .where(ContentItem.id.in_(ids), ContentItem.status == "published")
    )
    return {row.id: row for row in rows}


def _recommend(hit: MatchHit, item: ContentItem | None, query: AlertQuery):
    """A Recommendation for one hit, or None when it is not a live library item."""
    if item is None or hit.type not in GROUPS:
        return None
    strong = current_app.config["MATCH_STRONG_THRESHOLD"]
    extra = item.extra or {}
    return Recommendation(
        doc_id=hit.doc_id, item_id=item.id, type=hit.type, slug=hit.slug,
        language=hit.language, title=hit.title, score=round(hit.score, 3),
        level="strong" if hit.score >= strong and _about_the_same(hit, query) else "partial",
        matched_terms=list(hit.matched_terms),
        shared_topics=list(hit.shared_topics),
        shared_concepts=_explaining_concepts(hit),
        reporter_words={c: query.words[c] for c in query.words if c in hit.shared_concepts},
        snippet=hit.snippet, handbook_slug=item.handbook_slug,
        response=str(extra.get("response", "")), outcome=str(extra.get("outcome", "")),
        countries=list(item.countries or []),
    )


def _explaining_concepts(hit: MatchHit) -> list[str]:
    """The shared concepts that explain a match, what happened before where."""
    return sorted(hit.shared_concepts, key=lambda c: not is_subject_concept(c))


def _about_the_same(hit: MatchHit, query: AlertQuery) -> bool:
    """True when the resource shares a topic or concept of what happened (strong needs one)."""
    return bool(set(hit.shared_topics) & query.subject_topics
                or set(hit.shared_concepts) & query.subject_concepts)


def needs_forwarding(recommendations: list[Recommendation]) -> bool:
    """True when no prior case or practice passed the minimum threshold."""
    return not any(r.type in ANSWERING_TYPES for r in recommendations)


def stored_recommendations(snapshot: list[dict]) -> list[Recommendation]:
    """The recommendations of an alert's match snapshot (Alert.matches), as ALERT gave them."""
    names = {f.name for f in fields(Recommendation)}
    return [Recommendation(**{k: v for k, v in item.items() if k in names})
            for item in snapshot or [] if item.get("type") in GROUPS]


def grouped(recommendations: list[Recommendation]) -> list[tuple[str, list[Recommendation]]]:
    """Recommendations in display groups, in GROUP_ORDER, empty groups left out."""
    groups = {name: [r for r in recommendations if r.group == name] for name in GROUP_ORDER}
    return [(name, recs) for name, recs in groups.items() if recs]


def concept_pair(rec: Recommendation, concept: str, language: str) -> str:
    """A shared concept as the reporter wrote it (else in the page language), with the item's
    word when the item is in another language: "horogkereszt / Hakenkreuz"."""
    own, own_language = rec.reporter_words.get(concept) or [concept_label(concept, language),
                                                            language]
    theirs = concept_label(concept, rec.language)
    if own_language == rec.language or own.casefold() == theirs.casefold():
        return theirs
    return f"{own} / {theirs}"


def topic_label(topic: str, language: str) -> str:
    """A topic's label in the given language (from the taxonomy)."""
    return taxonomy.label(topic, language)


def match_snippet(snippet: str) -> Markup:
    """The engine's snippet with only its <mark> highlights kept as HTML."""
    cleaned = bleach.clean(snippet or "", tags={"mark"}, attributes={}, strip=True)
    cleaned = LEADING_ELLIPSIS_RE.sub(r"\1 ", cleaned)  # "…word" reads as one word
    return Markup(cleaned)  # noqa: S704 - bleach left nothing but <mark>


def match_anchor(doc_id: str) -> str:
    """The HTML id of a recommendation in a list ("match-case-berlin-swastika")."""
    return "match-" + doc_id.replace(":", "-").replace("/", "-")


def recommendation_url(rec: Recommendation) -> str:
    """The library page of a recommendation, in its own language."""
    return library_url(rec.type, rec.slug, lang_code=rec.language)


def api_ranking(recommendations: list[Recommendation], lang: str) -> list[dict]:
    """The ranking as the API and the CLI present it: id, type, title, url, score, reasons."""
    return [
        {
            "id": rec.doc_id, "type": rec.type, "title": rec.title, "language": rec.language,
            "url": recommendation_url(rec), "score": rec.score, "level": rec.level,
            "reasons": {
                "topics": [{"key": t, "label": topic_label(t, lang)} for t in rec.shared_topics],
                "concepts": [{"id": c, "label": concept_pair(rec, c, lang)}
                             for c in rec.shared_concepts],
                "matched_terms": rec.matched_terms,
                "feedback": {"shift": rec.feedback_shift, "helped": rec.feedback_helped,
                             "unhelpful": rec.feedback_unhelpful,
                             "same_topics": rec.feedback_same_topics},
            },
        }
        for rec in recommendations
    ]
