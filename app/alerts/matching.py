"""Match an alert to the library: key terms, topics, cross-lingual expansion, explained scores."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from functools import lru_cache

import bleach
from flask import current_app
from markupsafe import Markup
from sqlalchemy import select

from app.alerts.stopwords import is_stop_word
from app.content import taxonomy
from app.extensions import db
from app.library.links import library_url
from app.library.models import ContentItem
from app.search.backend import MatchHit, MatchRequest
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
EXPANSION_PER_TOPIC = 1  # lexicon words per topic and other language
EXPANSION_MAX = 4  # of the MATCH_MAX_TERMS query words, at most this many from other languages
WEIGHTS = {"terms": 0.30, "topics": 0.30, "rank": 0.25, "country": 0.10, "setting": 0.05}
# Topics that say where or with whom something happened, not what happened: they count less.
# Without a shared subject topic, a result must share this much of the weighted key terms.
SPECIFIC_WORDING = 0.8
CONTEXT_TOPICS = frozenset({
    "schools", "families", "youth_at_risk", "local_government", "community_policing",
    "media_literacy", "multi_agency", "roundtables", "mental_health", "victim_support",
})


@dataclass
class AlertQuery:
    """What the matcher derived from an alert: weighted key terms, topics, expansion."""

    page_language: str
    language: str
    terms: dict[str, float]
    topics: list[str]
    expansion: dict[str, str] = field(default_factory=dict)  # other-language word -> topic
    country: str | None = None
    setting: str | None = None
    # What happened (from the text and the categories), as opposed to where (the setting).
    subject_topics: frozenset[str] = frozenset()


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
    handbook_slug: str | None = None
    response: str = ""
    outcome: str = ""
    countries: list[str] = field(default_factory=list)

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
    """Rank library resources for an alert; only results above MATCH_MIN_THRESHOLD."""
    query = build_query(text, lang, categories, country, setting)
    if not query.terms and not query.topics:
        return []
    request = MatchRequest(
        terms=list(query.terms) + list(query.expansion),
        topics=query.topics,
        language=query.language,
        page_language=lang,
        countries=[country] if country else [],
        # No type filter: Whoosh rebuilds it per query (doubling the time); _recommend drops
        # the few types ALERT does not recommend (donors).
        limit=limit + 5,  # items; room for the donors _recommend drops
    )
    hits = match_documents(request)  # the index, or the database while it is unusable
    ranked = _rank(hits, query)
    return ranked[:limit]


def build_query(
    text: str, lang: str, categories, country: str | None, setting: str | None
) -> AlertQuery:
    """Detect the text's language, extract key terms, collect topics, expand across languages."""
    language = text_language(text, lang)
    derived = taxonomy.derive_topics(text, language)
    topics = alert_topics(text, categories, setting, language, derived)
    terms = extract_key_terms(text)
    budget = max(0, current_app.config["MATCH_MAX_TERMS"] - len(terms))
    expansion = expand_terms(topics, language, set(terms), min(EXPANSION_MAX, budget))
    return AlertQuery(
        page_language=lang, language=language, terms=terms, topics=topics,
        expansion=expansion, country=country, setting=setting,
        subject_topics=subject_topics(derived, categories),
    )


def subject_topics(derived: list[str], categories) -> frozenset[str]:
    """The topics of what happened: from the text and the categories, not from the setting,
    and not the context topics (schools, families ...) that say where or with whom."""
    found = set(derived)
    found.update(taxonomy.topics_for_categories(list(categories)))
    return frozenset(found - CONTEXT_TOPICS)


def text_language(text: str, page_language: str) -> str:
    """The language the text is written in; the page language when detection is unsure."""
    detected = taxonomy.detect_language(text) if len(text.split()) >= 4 else None
    if detected in current_app.config["LANGUAGES"]:
        return detected
    return page_language


def alert_topics(
    text: str, categories, setting: str | None, language: str | None = None,
    derived: list[str] | None = None,
) -> list[str]:
    """Topics the text itself is about, then those of the categories and setting; no repeats
    (`derived`: the text's topics when the caller has them already)."""
    topics = list(derived if derived is not None else taxonomy.derive_topics(text, language))
    topics.extend(taxonomy.topics_for_categories(list(categories)))
    topics.extend(taxonomy.topics_for_settings([setting] if setting else []))
    return list(dict.fromkeys(topics))


def extract_key_terms(text: str, limit: int | None = None) -> dict[str, float]:
    """At most `limit` words (MATCH_MAX_TERMS less room for expansion), weighted by lexicon
    hits, repetition and rarity."""
    words = [w for w in WORD_RE.findall(text.lower()) if not is_stop_word(w)]
    if not words:
        return {}
    counts = Counter(words)
    weights = {word: _term_weight(word, n, _lexicon_bonus(word)) for word, n in counts.items()}
    best = sorted(weights.items(), key=lambda kv: (-kv[1], words.index(kv[0])))
    if limit is None:
        limit = current_app.config["MATCH_MAX_TERMS"] - EXPANSION_MAX
    return dict(best[:limit])


@lru_cache(maxsize=50_000)
def _lexicon_bonus(word: str) -> float:
    """2.5 for a word naming a subject topic in any lexicon (inflections too), 1.3 for a
    context word (school, parents), 1 for the rest. Cached: the taxonomy is fixed per process."""
    topics = set(taxonomy.topic_scores(word))
    if topics - CONTEXT_TOPICS:
        return 2.5
    return 1.3 if topics else 1.0


def _term_weight(word: str, count: int, bonus: float) -> float:
    """Lexicon words count most; longer (rarer) words and repeated words count more."""
    rarity = min(1.6, 0.6 + len(word) / 10)
    return round((1 + math.log(count)) * rarity * bonus, 3)


def expand_terms(topics: list[str], language: str, own: set[str], limit: int) -> dict[str, str]:
    """The first lexicon words of the main topics in the other languages (cross-lingual)."""
    expansion: dict[str, str] = {}
    others = [code for code in current_app.config["LANGUAGES"] if code != language]
    for topic in topics[:2]:
        for other in others:
            single = [w.lower() for w in taxonomy.lexicon_terms([topic], other) if " " not in w]
            for word in single[:EXPANSION_PER_TOPIC]:
                if word not in own and len(expansion) < limit:
                    expansion.setdefault(word, topic)
    return expansion


def _rank(hits: list[MatchHit], query: AlertQuery) -> list[Recommendation]:
    """Score each item (the engine shows it in the reporter's language when it exists),
    order and cut at the minimum."""
    items = _load_items(hits)
    top = max((hit.score for hit in hits), default=0.0) or 1.0
    scored = [_recommend(hit, items.get(hit.item_id), query, hit.score / top) for hit in hits]
    minimum = current_app.config["MATCH_MIN_THRESHOLD"]
    kept = [r for r in scored if r is not None and r.score >= minimum]
    preferred = (query.page_language, query.language)
    return sorted(kept, key=lambda r: (-round(r.score, 2), r.language not in preferred, r.title))


def _load_items(hits: list[MatchHit]) -> dict[int, ContentItem]:
    """The published library rows of the versions shown, by id."""
    ids = [hit.item_id for hit in hits if hit.item_id is not None]
    if not ids:
        return {}
    rows = db.session.scalars(
        select(ContentItem).where(ContentItem.id.in_(ids), ContentItem.status == "published")
    )
    return {row.id: row for row in rows}


def _recommend(hit: MatchHit, item: ContentItem | None, query: AlertQuery, rank: float):
    """A Recommendation for one hit, or None when it is not a live library item."""
    if item is None or hit.type not in GROUPS:
        return None
    if GROUPS[hit.type] == "people" and not _country_fit(item.countries or [], query.country):
        return None  # trainers and experts only where they work
    score = score_hit(hit, item, query, rank)
    if score is None:
        return None
    strong = current_app.config["MATCH_STRONG_THRESHOLD"]
    extra = item.extra or {}
    return Recommendation(
        doc_id=hit.doc_id, item_id=item.id, type=hit.type, slug=hit.slug,
        language=hit.language, title=hit.title, score=round(score, 3),
        level="strong" if score >= strong and _about_the_same(hit, query) else "partial",
        # Only the reporter's own words: expansion words count in score_hit, and the shared
        # topics explain a cross-lingual match.
        matched_terms=[t for t in hit.matched_terms if t in query.terms],
        shared_topics=[t for t in hit.shared_topics if t in query.topics],
        snippet=hit.snippet, handbook_slug=item.handbook_slug,
        response=str(extra.get("response", "")), outcome=str(extra.get("outcome", "")),
        countries=list(item.countries or []),
    )


def score_hit(hit: MatchHit, item: ContentItem, query: AlertQuery, rank: float) -> float | None:
    """A 0..1 score: key-term coverage, shared topics, engine rank, country and setting."""
    total = sum(query.terms.values()) or 1.0
    covered = sum(query.terms.get(t, 0.0) for t in hit.matched_terms)
    # An item holds every language: its translations of one topic word count once.
    covered += 0.5 * len({query.expansion[t] for t in hit.matched_terms if t in query.expansion})
    shared = set(hit.shared_topics) & set(query.topics)
    coverage = min(1.0, covered / (0.6 * total))
    if not shared & query.subject_topics and coverage < SPECIFIC_WORDING:
        return None  # neither about the same thing nor in the same words: no match
    parts = {
        "terms": coverage,
        "topics": topic_overlap(shared, query),
        "rank": rank,
        "country": _country_fit(item.countries or [], query.country),
        "setting": _setting_fit(item, query.setting),
    }
    return sum(WEIGHTS[name] * value for name, value in parts.items())


def _about_the_same(hit: MatchHit, query: AlertQuery) -> bool:
    """True when the resource shares a topic of what happened (a "strong" match needs one)."""
    return bool(set(hit.shared_topics) & query.subject_topics)


def topic_overlap(shared: set[str], query: AlertQuery) -> float:
    """0..1: shared subject topics count three times as much as shared context topics."""
    subject = [t for t in query.topics if t in query.subject_topics]
    context = [t for t in query.topics if t not in query.subject_topics]
    subject_part = len(shared.intersection(subject)) / min(2, len(subject)) if subject else 0.0
    context_part = len(shared.intersection(context)) / min(2, len(context)) if context else 0.0
    if not subject:
        return min(1.0, context_part)
    return min(1.0, 0.75 * min(1.0, subject_part) + 0.25 * min(1.0, context_part))


def _country_fit(countries: list[str], country: str | None) -> float:
    """1 for the alert's country, half for EU-wide or unplaced resources, else 0."""
    if not country or country in countries:
        return 1.0
    return 0.5 if not countries or "EU" in countries else 0.0


def _setting_fit(item: ContentItem, setting: str | None) -> float:
    """Cases from the same setting fit best; other resources are neutral."""
    if item.type != "case":
        return 0.5
    return 1.0 if setting and (item.extra or {}).get("setting") == setting else 0.0


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


def topic_label(topic: str, language: str) -> str:
    """A topic's label in the given language (from the taxonomy)."""
    return taxonomy.label(topic, language)


def match_snippet(snippet: str) -> Markup:
    """The engine's snippet with only its <mark> highlights kept as HTML."""
    cleaned = bleach.clean(snippet or "", tags={"mark"}, attributes={}, strip=True)
    cleaned = LEADING_ELLIPSIS_RE.sub(r"\1 ", cleaned)  # "…word" reads as one word
    return Markup(cleaned)  # noqa: S704 - bleach left nothing but <mark>


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
                "matched_terms": rec.matched_terms,
            },
        }
        for rec in recommendations
    ]
