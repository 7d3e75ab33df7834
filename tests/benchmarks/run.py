"""The whole benchmark in one run (not a test): pages, index build, ALERT matching and its
quality across languages, spelling.

Run: `python3 manage.py benchmark [--sizes 1000,10000] [--page-sizes 520,10000] [--no-pages]
[--quick] [--out FILE]`. Every size gets a fresh synthetic library in a temporary folder
(database, Whoosh index built by the app's own rebuild, FTS5 beside it), built once and used by
every part measured at that size. Progress goes to stderr; the report (Markdown) to stdout and
to --out.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from tests.benchmarks import corpus
from tests.benchmarks.dashboard_benchmark import dashboard_table, measure_dashboard
from tests.benchmarks.library import build_library, search_total
from tests.benchmarks.match_benchmark import correction_cap, time_matching, time_spelling
from tests.benchmarks.matching_quality import quality_table
from tests.benchmarks.measure import progress
from tests.benchmarks.pages import (
    CONNECTIONS,
    SEARCHES,
    WORKERS,
    measure_pages,
    missing_tools,
    pages,
)
from tests.benchmarks.pdf_benchmark import RUNS as PDF_RUNS
from tests.benchmarks.pdf_benchmark import measure_pdfs, pdf_note, pdf_table
from tests.benchmarks.report import Report, SizeResult, machine, render

ROOT = Path(__file__).resolve().parents[2]
QUICK = {"sizes": "300,1000", "page_sizes": "300,1000", "rounds": 1, "seconds": 2.0,
         "queries": 20, "searches": 20}


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Options; --quick replaces sizes, rounds, durations and counts by small ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000",
                        help="items for matching and spelling (add 100000 for the large one)")
    parser.add_argument("--page-sizes", default="520,10000", help="items for page throughput")
    parser.add_argument("--pages", action=argparse.BooleanOptionalAction, default=True,
                        help="measure page throughput with gunicorn and wrk (default: yes)")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per page (median)")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of one wrk run")
    parser.add_argument("--queries", type=int, default=200, help="alerts timed per size")
    parser.add_argument("--searches", type=int, default=100, help="misspelled searches per size")
    parser.add_argument("--quick", action="store_true", help="a short smoke run of every part")
    parser.add_argument("--out", type=Path, default=ROOT / "search_index" / "benchmark.md",
                        help="where the Markdown report is written as well")
    options = parser.parse_args(argv)
    if options.quick:
        vars(options).update(QUICK)
    options.sizes = _sizes(options.sizes)
    options.page_sizes = _sizes(options.page_sizes) if options.pages else []
    return options


def _sizes(text: str) -> list[int]:
    """ "1000,10000" -> [1000, 10000]."""
    return sorted({int(part) for part in text.split(",") if part.strip()})


def measure_size(size: int, options: argparse.Namespace, with_pages: bool) -> SizeResult:
    """Build the library of one size and run every part that is measured at that size."""
    with tempfile.TemporaryDirectory(prefix=f"champions-benchmark-{size}-") as name:
        progress(f"{size:,} items: building the library")
        library = build_library(size, Path(name))
        result = SizeResult(size, library.versions, library.whoosh_cpu, library.fts_cpu,
                            library.chapter)
        if size in options.sizes:
            with library.app.app_context():
                alerts = corpus.alert_texts(options.queries)
                searches = corpus.misspelled_searches(options.searches)
            progress(f"{size:,} items: matching {len(alerts)} alerts")
            result.match = time_matching(library, alerts)
            progress(f"{size:,} items: {len(searches)} misspelled searches")
            result.spelling = time_spelling(library, searches)
        if with_pages:
            result.found = {word: search_total(library, word, lang) for lang, word in SEARCHES}
            progress(f"{size:,} items: page throughput")
            result.pages = measure_pages(library.environment, library.chapter, library.folder,
                                         options.rounds, options.seconds)
    return result


def settings(options: argparse.Namespace) -> str:
    """One paragraph saying what was run."""
    return (f"Synthetic library: items in 1-5 languages (40% in all five), every type, handbooks "
            f"of {corpus.CHAPTERS} chapters; Zipf words with 5% preferred labels of thesaurus "
            f"concepts. "
            f"Pages: {options.rounds} round(s) of {options.seconds:g} s per page, wrk with "
            f"{CONNECTIONS} connections, gunicorn with {WORKERS} sync workers, rate limits off. "
            f"Matching: {options.queries} alerts of 60-250 words; spelling: {options.searches} "
            f"two-word searches, one letter changed per word. CPU times are per call "
            f"(thread CPU time), builds in CPU seconds of the process.")


def main(argv: list[str] | None = None) -> None:
    """Run every part at every size, print the report and write it to --out."""
    options, started = parse(argv), machine()
    problem = missing_tools() if options.page_sizes else None
    if problem:
        progress(f"page throughput skipped: {problem}")
    results = {}
    for size in sorted(set(options.sizes) | set(options.page_sizes)):
        with_pages = size in options.page_sizes and not problem
        results[size] = measure_size(size, options, with_pages)
    chapter = next(iter(results.values())).chapter
    progress("handbook PDF rendering")
    pdf = pdf_table(measure_pdfs(1 if options.quick else PDF_RUNS))
    progress("coordinators' dashboard on bulk-inserted alerts and cases")
    dashboard = dashboard_table(measure_dashboard(quick=options.quick))
    progress("ALERT matching quality on the bundled library")
    report = Report(started, settings(options), results, pages(chapter), correction_cap(),
                    notes(options, problem, results), quality_table(), pdf, dashboard)
    text = render(report)
    print(text)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(text, encoding="utf-8")
    progress(f"report written to {options.out}")


def notes(options: argparse.Namespace, problem: str | None,
          results: dict[int, SizeResult]) -> list[str]:
    """What the reader should know: skipped parts, the opt-in size, what FTS5 is given."""
    lines = [f"Page throughput skipped: {problem}."] if problem else []
    if max(options.sizes, default=0) < 100_000:
        lines.append(opt_in_note(results))
    for size, result in results.items():
        if result.found:
            words = ", ".join(f"{word!r} {total:,}" for word, total in result.found.items())
            lines.append(f"Items the page searches find at {size:,} items: {words}.")
    if options.quick:
        lines.append("--quick: a smoke run (small sizes, one short round); not figures.")
    lines.append(pdf_note())
    lines.append("FTS5: one row per item (its versions' titles, summaries and bodies), "
                 "unicode61 without stemming, bm25, LIMIT 25; same items, same text.")
    return lines


def opt_in_note(results: dict[int, SizeResult]) -> str:
    """100,000 items is left out by default; how long its index build would take."""
    largest = max(results)
    minutes = results[largest].whoosh_cpu * 100_000 / largest / 60
    return (f"100,000 items is opt-in (`--sizes 1000,10000,100000`): at this run's build rate "
            f"its index alone takes about {minutes:.0f} CPU minutes, on top of the default run.")


if __name__ == "__main__":
    main()
