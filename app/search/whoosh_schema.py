"""The Whoosh schema: one document per item, each language's text in its own analysed fields."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, Schema

from app.core.text import LANGUAGES, fold
from app.search.analysis import (
    AnalysedText,
    folded_analyzer,
    language_analyzer,
    plain_analyzer,
)
from app.search.backend import SearchDocument, best_language

# Bump when fields or analyzers change: an index with another stamp is rebuilt, not read.
SCHEMA_VERSION = "9"  # 9: generation folders named by INDEX_DIR/CURRENT
FIELD_BOOSTS = {"title": 3.0, "summary": 2.0, "body": 1.0}
TEXT_FIELDS = [f"{part}_{lang}" for lang in LANGUAGES for part in FIELD_BOOSTS]
# Facet name -> index field: one field each, named like the facet.
FACET_FIELDS = ("type", "topic", "country", "language", "audience", "evidence")
LIST_FIELDS = ("speaks", "handbook")
SNIPPET_SOURCE_CHARS = 1000  # snippets come from the start of a body (kept with each hit)
NO_DATE = 0
_LEADING_MARKS = "\"'„“”«»‚‘’([¿¡ "
NO_DEADLINE = 3_000_000  # sorts after every real deadline (an ordinal in the year 8214)


def build_schema() -> Schema:
    """Stored facts, facet and list fields, sort keys per language, text per language."""
    schema = Schema(
        doc_id=ID(stored=True, unique=True),
        type=ID(stored=True),
        slug=STORED,
        versions=STORED,  # {lang: [item_id, title, summary, start of body]}
        language=KEYWORD(stored=True, commas=True),  # the languages the item exists in
        topic=KEYWORD(stored=True, commas=True),
        concept=KEYWORD(scorable=True),  # thesaurus concept ids, once per mention (BM25)
        setting=ID,  # cases: the ALERT setting
        country=KEYWORD(stored=True, commas=True),
        audience=KEYWORD(commas=True),
        evidence=ID,
        speaks=KEYWORD(commas=True),
        handbook=ID(stored=True),
        lead=ID,  # "1": the item stands for itself in related lists (not a later chapter)
        # Signed: Whoosh 2.7's NumericRange matches every value of an unsigned field.
        date=NUMERIC(int, sortable=True),
        deadline=NUMERIC(int, sortable=True),
        rolling=ID,
        title_prefix=AnalysedText(analyzer=folded_analyzer(), phrase=False),
    )
    for lang in LANGUAGES:
        schema.add(f"title_sort_{lang}", ID(sortable=True))
        schema.add(f"spell_{lang}", AnalysedText(analyzer=plain_analyzer(), phrase=False))
        for part in FIELD_BOOSTS:
            schema.add(f"{part}_{lang}", AnalysedText(analyzer=language_analyzer(lang)))
    return schema


def term_text(value) -> str:
    """A term as text (Whoosh gives terms as bytes in some places and str in others)."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def title_sort_key(title: str) -> str:
    """A title as it sorts: opening quotes and marks ignored, diacritics folded ("Ćwiczenia"
    beside "Cwiczenia", not after "Z"); an approximation of each language's alphabet."""
    return fold(title.lstrip(_LEADING_MARKS))[:100]


def document_fields(doc: SearchDocument) -> dict:
    """The Whoosh fields of one item: facts once, text in each version's language fields."""
    versions = [v for v in doc.versions if v.language in LANGUAGES]
    fields = {
        "doc_id": doc.doc_id, "type": doc.type, "slug": doc.slug,
        "versions": {v.language: [v.item_id, v.title, v.summary, v.body[:SNIPPET_SOURCE_CHARS]]
                     for v in versions},
        "language": ",".join(v.language for v in versions),
        "topic": ",".join(doc.topics), "country": ",".join(doc.countries),
        "concept": " ".join(doc.concepts), "setting": doc.setting or "",
        "audience": ",".join(doc.audience), "evidence": doc.evidence or "",
        "speaks": ",".join(doc.speaks), "handbook": doc.handbook or "",
        "lead": "1" if not doc.handbook or (doc.position or 1) <= 1 else "0",
        "date": doc.content_date.toordinal() if doc.content_date else NO_DATE,
        "title_prefix": " ".join(v.title for v in versions),
    }
    if doc.type == "donor":  # only donors have calls: other items stay out of those filters
        fields["deadline"] = doc.deadline.toordinal() if doc.deadline else NO_DEADLINE
        fields["rolling"] = "1" if doc.rolling else "0"
    titles = {v.language: v.title for v in versions}
    for lang in LANGUAGES:
        fields[f"title_sort_{lang}"] = title_sort_key(titles[best_language(titles, lang)]) \
            if titles else ""
    for v in versions:
        fields.update({
            f"title_{v.language}": v.title, f"summary_{v.language}": v.summary,
            f"body_{v.language}": v.body,
            f"spell_{v.language}": " ".join((v.title, v.summary, v.body)),
        })
    return fields
