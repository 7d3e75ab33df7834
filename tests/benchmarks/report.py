"""The benchmark's report: the machine, then one Markdown table per part, targets beside figures."""

from __future__ import annotations

import math
import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from tests.benchmarks.match_benchmark import MatchTimes, SpellingTimes
from tests.benchmarks.measure import LOADS, Spread, load_average
from tests.benchmarks.pages import Load, Page

ROOT = Path(__file__).resolve().parents[2]
BUILD_TARGET = 700  # items per CPU second at 10,000 items
MATCH_P95_TARGETS = {10_000: 25.0, 100_000: 150.0}  # CPU ms
FTS_RATIO_TARGET = 3.0
SCALING_TARGET = 1.5  # pages: share of hello-world at the smallest size / at the largest


@dataclass
class SizeResult:
    """Everything measured on one library size (parts not run stay None)."""

    items: int
    versions: int
    whoosh_cpu: float
    fts_cpu: float
    chapter: str  # the handbook chapter the page benchmark opens
    found: dict[str, int] = field(default_factory=dict)  # search word -> items found
    match: MatchTimes | None = None
    spelling: SpellingTimes | None = None
    pages: dict[str, Load] | None = None


@dataclass
class Report:
    """The run's settings, results per size and notes."""

    machine: str  # machine() when the run started
    settings: str
    results: dict[int, SizeResult]
    pages: list[Page]
    cap: str
    notes: list[str] = field(default_factory=list)
    quality: str = ""  # the ALERT matching quality table (matching_quality.py)
    pdf: str = ""  # the handbook PDF table (pdf_benchmark.py)
    dashboard: str = ""  # the dashboard table (dashboard_benchmark.py)


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table with padded columns (readable in a terminal as well)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = [headers, ["-" * width for width in widths], *rows]
    return "\n".join(_line(cells, widths) for cells in lines)


def _line(cells: list[str], widths: list[int]) -> str:
    """One table line, every cell padded to its column's width."""
    padded = (str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))
    return "| " + " | ".join(padded) + " |"


def mark(value: float, ok: bool, unit: str = "") -> str:
    """A figure with its verdict against the target."""
    return "n/a" if math.isnan(value) else f"{value:.2f}{unit} {'ok' if ok else 'MISS'}"


def machine() -> str:
    """Date, cores, CPU model, Python, SQLite and the tools' versions, the code's commit."""
    model = next((line.split(":", 1)[1].strip() for line in _cpuinfo()
                  if line.startswith("model name")), platform.processor() or "unknown CPU")
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} cores ({model}) · "
            f"{platform.system()} {platform.release()} · Python {platform.python_version()} · "
            f"SQLite {sqlite3.sqlite_version} · Whoosh {_version('whoosh-reloaded')} · "
            f"gunicorn {_version('gunicorn')} · {_wrk_version()} · commit {_commit()}")


def _cpuinfo() -> list[str]:
    """Lines of /proc/cpuinfo (none off Linux)."""
    try:
        return Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return []


def _version(package: str) -> str:
    """An installed package's version, or "-"."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


def _wrk_version() -> str:
    """wrk's version line's first words, or "wrk -"."""
    try:
        found = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return "wrk -"
    return " ".join((found.stdout or found.stderr).split()[:2]) or "wrk -"


def _commit() -> str:
    """The checked-out commit, flagged when the working tree has changes."""
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False).stdout.strip() or "unknown"
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False).stdout.strip()
    return f"{head} + uncommitted changes" if dirty else head


def load_note() -> str:
    """How busy the machine was: other processes distort wall-clock figures (req/s)."""
    loads = LOADS or [0.0]
    return (f"Load average (1 min): {loads[0]:.1f} at the start, {max(loads):.1f} at most, "
            f"{load_average():.1f} at the end, on {os.cpu_count()} cores. The benchmark itself "
            f"accounts for about 1, and about 3 while pages are loaded; more means other "
            f"processes shared the CPU.")


def page_table(report: Report) -> str:
    """Requests per second and share of hello-world per page and size; growth between sizes."""
    sizes = [size for size, result in report.results.items() if result.pages]
    headers = ["page", "target"]
    for size in sizes:
        headers += [f"{size:,} items: req/s", "÷ hello"]
    if len(sizes) > 1:
        headers.append(f"slowdown {sizes[0]:,} → {sizes[-1]:,} items (goal ≤ {SCALING_TARGET}x)")
    rows = [_page_row(report, page, sizes) for page in report.pages]
    return table(headers, rows)


def _page_row(report: Report, page: Page, sizes: list[int]) -> list[str]:
    """One page's figures at every size."""
    row = [f"{page.name} `{page.path}`", f"≥ {page.target:.2f}" if page.target else "-"]
    shares = []
    for size in sizes:
        loads = report.results[size].pages
        share = loads[page.name].rate / loads["hello-world"].rate
        shares.append(share)
        verdict = mark(share, share >= page.target) if page.target else f"{share:.2f}"
        row += [_rate(loads[page.name]), verdict]
    if len(sizes) > 1:
        growth = shares[0] / shares[-1]
        row.append(mark(growth, growth <= SCALING_TARGET, "x") if page.target
                   else f"{growth:.2f}x")
    return row


def _rate(load: Load) -> str:
    """Median requests per second, or the status that kept the page from being loaded."""
    if load.status != 200:
        return f"HTTP {load.status or 'no answer'}"
    errors = f" ({load.errors} failed)" if load.errors else ""
    return f"{load.rate:,.0f}{errors}"


def build_table(report: Report) -> str:
    """Index build: items per CPU second, Whoosh (the app's rebuild) and FTS5."""
    headers = ["items", "language versions", "Whoosh rebuild CPU s",
               f"Whoosh items/CPU-s (goal ≥ {BUILD_TARGET} at 10,000)", "FTS5 CPU s",
               "FTS5 items/CPU-s"]
    rows = []
    for size, result in report.results.items():
        rate = size / result.whoosh_cpu
        rows.append([f"{size:,}", f"{result.versions:,}", f"{result.whoosh_cpu:.1f}",
                     f"{rate:,.0f}" + (f" {'ok' if rate >= BUILD_TARGET else 'MISS'}"
                                       if size == 10_000 else ""),
                     f"{result.fts_cpu:.1f}", f"{size / result.fts_cpu:,.0f}"])
    return table(headers, rows)


def match_table(report: Report) -> str:
    """ALERT matching CPU ms p50 / p95 beside FTS5, with the ratio and the targets."""
    headers = ["items", "match_alert p50 / p95", "p95 goal", "engine match p50 / p95",
               "FTS5 same terms p50 / p95", "FTS5 all words p50 / p95",
               f"match_alert ÷ FTS5 same terms p50, p95 (goal ≤ {FTS_RATIO_TARGET:g}x)"]
    rows = []
    for size, result in report.results.items():
        if result.match:
            rows.append(_match_row(size, result.match))
    return table(headers, rows)


def _match_row(size: int, times: MatchTimes) -> list[str]:
    """One size's matching figures."""
    goal = MATCH_P95_TARGETS.get(size)
    verdict = f"≤ {goal:g} ms {'ok' if times.full.p95 <= goal else 'MISS'}" if goal else "-"
    ratios = [_ratio(times.full, times.fts_terms, share) for share in ("p50", "p95")]
    return [f"{size:,}", str(times.full), verdict, str(times.engine), str(times.fts_terms),
            str(times.fts_words), ", ".join(mark(r, r <= FTS_RATIO_TARGET, "x") for r in ratios)]


def _ratio(ours: Spread, theirs: Spread, share: str) -> float:
    """ours ÷ theirs at one percentile."""
    return getattr(ours, share) / max(getattr(theirs, share), 1e-3)


def spelling_table(report: Report) -> str:
    """Searches with misspelled words against the same words spelled right."""
    headers = ["items", "misspelled search p50 / p95", "spelled right p50 / p95",
               "came back corrected"]
    rows = [[f"{size:,}", str(result.spelling.misspelled), str(result.spelling.correct),
             f"{result.spelling.corrected:.0%}"]
            for size, result in report.results.items() if result.spelling]
    return table(headers, rows)


def render(report: Report) -> str:
    """The whole report as Markdown."""
    parts = ["# CHAMPIONs Portal benchmark", "", report.machine, "", report.settings, "",
             load_note(), ""]
    if any(result.pages for result in report.results.values()):
        parts += ["## Page throughput (gunicorn, 2 sync workers; wrk; median of rounds)", "",
                  page_table(report), ""]
    parts += ["## Index build (CPU seconds of this process)", "", build_table(report), ""]
    if any(result.match for result in report.results.values()):
        parts += ["## ALERT matching, CPU ms per alert", "", match_table(report), ""]
        parts += ["## Spelling correction, CPU ms per library search", "",
                  spelling_table(report), "", f"Per-request cap: {report.cap}.", ""]
    if report.quality:
        parts += ["## ALERT matching quality, hit@3 per reporter language", "",
                  report.quality, ""]
    if report.pdf:
        parts += ["## Handbook PDF, one synthetic handbook per language", "", report.pdf, ""]
    if report.dashboard:
        parts += ["## Coordinators' dashboard, median render", "", report.dashboard, ""]
    parts += [f"- {note}" for note in report.notes]
    return "\n".join(parts).rstrip() + "\n"
