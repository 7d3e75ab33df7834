"""ALERT matching and spelling correction, in CPU milliseconds per call, next to SQLite FTS5.

Run everything with `python -m tests.benchmarks.run`; this module alone
(`python -m tests.benchmarks.match_benchmark [--sizes 1000,10000] [--queries 200]`) runs the
same benchmark without the page throughput part.
"""

from __future__ import annotations

import inspect
import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass

from tests.benchmarks import fts5
from tests.benchmarks.library import Library
from tests.benchmarks.measure import Spread, cpu_call, cpu_ms


@dataclass
class MatchTimes:
    """CPU ms per alert: the whole match_alert, the engine alone, FTS5 two ways."""

    full: Spread
    engine: Spread
    fts_terms: Spread  # FTS5 with the key terms match_alert extracts, OR-ed, bm25, LIMIT 25
    fts_words: Spread  # FTS5 with every word of the alert OR-ed (the naive query)


@dataclass
class SpellingTimes:
    """CPU ms per search with misspelled words, the same words spelled right, and the share
    of misspelled searches that came back corrected."""

    misspelled: Spread
    correct: Spread
    corrected: float


def time_matching(library: Library, alerts: list[tuple[str, str]]) -> MatchTimes:
    """Time every alert through match_alert, the engine and FTS5 (each alert, each way)."""
    from app.alerts.matching import alert_ranking, build_query, match_alert
    from app.search.backend import MatchRequest
    from app.search.services import get_backend

    series: dict[str, list[float]] = {"full": [], "engine": [], "terms": [], "words": []}
    with library.app.app_context(), closing(sqlite3.connect(library.fts_path)) as fts:
        match_alert(*alerts[0])  # warm-up: open the index, load the taxonomy
        backend = get_backend()
        for text, lang in alerts:
            query = build_query(text, lang, [], "DE", "school")
            terms = list(query.terms)
            request = MatchRequest(terms=terms, topics=query.topics,
                                   concepts=list(query.concepts), language=query.language,
                                   countries=["DE"], setting="school", limit=20,
                                   ranking=alert_ranking(query))
            series["full"].append(cpu_ms(match_alert, text, lang, [], "DE", "school"))
            series["engine"].append(cpu_ms(backend.match, request))
            series["terms"].append(cpu_ms(fts5.search, fts, fts5.any_of(terms)))
            series["words"].append(cpu_ms(fts5.search, fts, fts5.all_words(text)))
    return MatchTimes(*(Spread.of(values) for values in series.values()))


def time_spelling(library: Library, searches: list[tuple[str, str, str]]) -> SpellingTimes:
    """Time library searches whose words are misspelled, and the same words spelled right."""
    from app.search.backend import SearchQuery
    from app.search.services import search_library

    wrong, right, corrected = [], [], 0
    with library.app.app_context():
        search_library(SearchQuery(text=searches[0][1], language=searches[0][2]))  # warm-up
        for misspelled, correct, lang in searches:
            spent, page = cpu_call(search_library, SearchQuery(text=misspelled, language=lang))
            wrong.append(spent)
            corrected += bool(page.corrected or page.suggestion)
            right.append(cpu_ms(search_library, SearchQuery(text=correct, language=lang)))
    return SpellingTimes(Spread.of(wrong), Spread.of(right), corrected / len(searches))


def correction_cap() -> str:
    """The per-request cap of spelling correction, read from the engine's defaults."""
    try:
        from app.search.whoosh_query import correct_query
    except ImportError:
        return "no cap found (app.search.whoosh_query.correct_query)"
    defaults = {name: parameter.default
                for name, parameter in inspect.signature(correct_query).parameters.items()}
    words, budget = defaults.get("max_words"), defaults.get("budget_seconds")
    return f"at most {words} words looked up, none after {budget * 1000:.0f} ms (wall clock)" \
        if isinstance(words, int) and isinstance(budget, float) else "no cap found"


def main() -> None:
    """The whole benchmark without the pages."""
    from tests.benchmarks.run import main as run_all

    run_all(["--no-pages", *sys.argv[1:]])


if __name__ == "__main__":
    main()
