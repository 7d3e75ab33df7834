"""ALERT matching benchmark (not a test): index build time and match latency p50/p95.

Run: `python -m tests.benchmarks.match_benchmark [--sizes 1000,10000] [--queries 200]`.
Generates corpora of synthetic library items from the taxonomy's lexicons (all five languages,
every recommended type), indexes them with the configured backend in a temporary folder and
times `match_alert` (the whole pipeline: key terms, topics, engine, scoring) and the engine's
`match` alone. Target: p95 under 25 ms at 10,000 documents.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

DEFAULT_SIZES = (1_000, 10_000, 100_000)
TYPES = ("case", "practice", "handbook", "training", "lesson", "video", "trainer", "expert")
COUNTRIES = ("DE", "PL", "RO", "HU", "EU")
LANGUAGES = ("en", "de", "pl", "ro", "hu")
VOCABULARY = 30_000  # invented words per language, drawn with Zipf frequencies like real text
TOPICAL_SHARE = 0.05  # share of words taken from the item's topic lexicons
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "bra", "pel", "dor", "gun",
             "fis", "hal", "jek", "tro", "wen")


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def vocabulary(lang: str) -> tuple[list[str], list[float]]:
    """The language's stop words (most frequent), then invented words; Zipf cumulative weights."""
    from app.alerts.stopwords import STOP_WORDS

    rng = random.Random(lang)
    invented = {"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) + lang
                for _ in range(VOCABULARY * 2)}
    words = sorted(STOP_WORDS[lang]) + sorted(invented)[:VOCABULARY]
    total, cumulative = 0.0, []
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        cumulative.append(total)
    return words, cumulative


def _text(rng: random.Random, corpus: dict, topics: list[str], lang: str, size: int) -> str:
    """Zipf-distributed words of a language with lexicon words of the topics mixed in."""
    words, cumulative = corpus["vocabulary"][lang]
    text = rng.choices(words, cum_weights=cumulative, k=size)
    topical = [w for t in topics for w in corpus["lexicon"][(t, lang)]]
    for position in range(size):
        if topical and rng.random() < TOPICAL_SHARE:
            text[position] = rng.choice(topical)
    return " ".join(text)


def generate_rows(size: int, seed: int = 7) -> list[dict]:
    """`size` published library rows with taxonomy topics, countries and languages."""
    from app.content import taxonomy

    rng = random.Random(seed)
    keys = taxonomy.topic_keys()
    corpus = {
        "lexicon": {(t, lang): taxonomy.lexicon_terms([t], lang)
                    for t in keys for lang in LANGUAGES},
        "vocabulary": {lang: vocabulary(lang) for lang in LANGUAGES},
    }
    rows = []
    for number in range(1, size + 1):
        lang, topics = rng.choice(LANGUAGES), rng.sample(keys, 3)
        kind = rng.choice(TYPES)
        rows.append(dict(
            id=number, type=kind, slug=f"{kind}-{number}", language=lang, status="published",
            title=_text(rng, corpus, topics, lang, 7),
            summary=_text(rng, corpus, topics, lang, 25),
            body=_text(rng, corpus, topics, lang, 180), topics=topics,
            countries=rng.sample(COUNTRIES, 2), handbook_slug="hb" if kind == "handbook" else None,
            extra={"setting": "school"} if kind == "case" else {},
        ))
    return rows


def documents(rows: list[dict]):
    """Search documents for the generated rows."""
    from app.search.backend import SearchDocument

    for row in rows:
        yield SearchDocument(
            doc_id=f"content:{row['id']}", type=row["type"], slug=row["slug"],
            language=row["language"], title=row["title"], summary=row["summary"],
            body=row["body"], topics=row["topics"], countries=row["countries"],
        )


def alert_texts(count: int, seed: int = 11) -> list[tuple[str, str]]:
    """(text, language) alerts of 60 to 250 words: the length reporters really write."""
    rows = generate_rows(count, seed=seed)
    rng = random.Random(seed)
    return [(" ".join(r["body"].split()[: rng.randint(60, 250)]), r["language"]) for r in rows]


def timed(function, *args, **kwargs) -> float:
    """Milliseconds one call takes."""
    start = time.perf_counter()
    function(*args, **kwargs)
    return (time.perf_counter() - start) * 1000


def run_size(size: int, queries: list[tuple[str, str]]) -> dict:
    """Build one corpus and time the index build and the matching."""
    from app.alerts.matching import build_query, match_alert
    from app.extensions import db
    from app.library.models import ContentItem
    from app.search.backend import MatchRequest
    from app.search.services import get_backend

    db.drop_all()
    db.create_all()
    rows = generate_rows(size)
    for start in range(0, size, 5000):
        db.session.execute(insert(ContentItem), rows[start : start + 5000])
    db.session.commit()
    backend = get_backend()
    build = timed(backend.rebuild, documents(rows), size, lambda done: None) / 1000
    match_alert(*queries[0])  # warm-up: open the index, load the taxonomy
    full = [timed(match_alert, text, lang, [], "DE", "school") for text, lang in queries]
    engine = []
    for text, lang in queries:
        query = build_query(text, lang, [], "DE", "school")
        request = MatchRequest(terms=list(query.terms) + list(query.expansion),
                               topics=query.topics, language=lang, countries=["DE"], limit=25)
        engine.append(timed(backend.match, request))
    return {"size": size, "build_s": build, "full": full, "engine": engine}


def report(result: dict) -> str:
    """One line of the results table."""
    full, engine = result["full"], result["engine"]
    return (f"{result['size']:>8,} docs | build {result['build_s']:7.1f} s | match_alert p50 "
            f"{statistics.median(full):6.1f} ms p95 {percentile(full, .95):6.1f} ms | engine "
            f"p50 {statistics.median(engine):6.1f} ms p95 {percentile(engine, .95):6.1f} ms")


def main(argv: list[str] | None = None) -> None:
    """Parse options, run every size in a temporary database and index, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated corpus sizes (default 1000,10000,100000)")
    parser.add_argument("--queries", type=int, default=200, help="alerts timed per size")
    options = parser.parse_args(argv)
    from app import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite'}",
            "INDEX_DIR": str(Path(folder) / "index"), "RATELIMIT_ENABLED": False,
        })
        with app.app_context():
            queries = alert_texts(options.queries)
            print(f"ALERT matching benchmark: {options.queries} alerts per size")
            for size in (int(s) for s in options.sizes.split(",") if s.strip()):
                print(report(run_size(size, queries)), flush=True)


if __name__ == "__main__":
    main()
