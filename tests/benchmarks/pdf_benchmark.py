"""Handbook PDF rendering: a synthetic handbook of about 40 pages per language, rendered by
app.library.handbook_pdf, beside fpdf2 writing the same words as plain paragraphs.

Run alone: `python3 -m tests.benchmarks.pdf_benchmark`; `manage.py benchmark` includes it.
"""

from __future__ import annotations

import html
import io
import random
import re
import statistics
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tests.benchmarks import corpus

LANGUAGES = ("en", "hu", "pl", "ro")
RUNS = 3
CHAPTERS = 10
SECTIONS = 4  # per chapter: about four pages each (with the title and contents, ~42 pages)
TARGET_SECONDS = 5.0
# Words with the letters a font must cover, mixed into every paragraph of their language.
LETTER_WORDS = {
    "en": "Łódź Győr Timișoara Cluj-Napoca",
    "hu": "őszinte műhely különböző ügyfelek iskolából",
    "pl": "łączność pomoc szkoła dzieląc rozwiązań",
    "ro": "școală țară instituții învățământ sprijin",
}


BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|tr|blockquote|pre)>")
TAG = re.compile(r"<[^>]+>")


@dataclass
class PdfTimes:
    """One language: median seconds of the portal's renderer and of the plain reference."""

    language: str
    runs: int
    pages: int
    words: int
    cpu: float  # CPU seconds of this thread, median of the runs
    wall: float  # wall clock, median of the runs (longer when other processes want the CPU)
    plain_cpu: float  # fpdf2 writing the same words as plain paragraphs, CPU seconds


def paragraph(rng: random.Random, topics: list[str], language: str, words: int) -> str:
    """A synthetic paragraph with the language's accented words in it."""
    return f"{corpus.text(rng, topics, language, words).capitalize()} {LETTER_WORDS[language]}."


def section_markdown(rng: random.Random, topics: list[str], language: str, number: int) -> str:
    """A heading, two paragraphs, a list, a checklist and a table, as editors write them."""
    text = lambda size: corpus.text(rng, topics, language, size)  # noqa: E731
    bullets = "\n".join(f"- {text(8)}" for _ in range(5))
    tasks = "\n".join(f"- [{'x' if n % 2 else ' '}] {text(6)}" for n in range(4))
    rows = "\n".join(f"| {text(2)} | {text(6)} |" for _ in range(3))
    return (
        f"## {number}. {text(4).capitalize()}\n\n{paragraph(rng, topics, language, 120)}\n\n"
        f"{bullets}\n\n{paragraph(rng, topics, language, 100)}\n\n### {text(3)}\n\n"
        f"{tasks}\n\n> {paragraph(rng, topics, language, 30)}\n\n"
        f"| {text(1)} | {text(1)} |\n| --- | --- |\n{rows}\n"
    )


def synthetic_chapters(language: str, seed: int = 17) -> list:
    """Unsaved chapters of one handbook in one language (ids and dates set by hand)."""
    from app.library.models import ContentItem

    rng = random.Random(f"{seed}-{language}")
    topics = rng.sample(corpus.words().topics, 3)
    chapters = []
    for position in range(1, CHAPTERS + 1):
        chapter = ContentItem(
            id=position,
            type="handbook",
            slug=f"pdf-benchmark/{position:02d}-chapter",
            handbook_slug="pdf-benchmark",
            position=position,
            language=language,
            title=f"{position}. {corpus.text(rng, topics, language, 5).capitalize()}",
            updated_at=datetime(2026, 12, 1, 12, 0),
            extra={},
        )
        chapter.set_body(
            "\n\n".join(
                section_markdown(rng, topics, language, number) for number in range(1, SECTIONS + 1)
            )
        )
        chapters.append(chapter)
    return chapters


def timed(function, *args) -> tuple[float, float, object]:
    """Wall-clock and thread CPU seconds of one call, and its result."""
    wall, cpu = time.perf_counter(), time.thread_time()
    result = function(*args)
    return time.perf_counter() - wall, time.thread_time() - cpu, result


def plain_pdf(chapters: list) -> bytes:
    """The reference: the same words with the same font, one multi_cell per paragraph, no
    HTML, no contents, no bookmarks, no footer."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    from app.library.handbook_pdf import FAMILY, FONT_DIR, FONT_FILES

    pdf = FPDF(format="A4")
    pdf.add_font(FAMILY, "", str(FONT_DIR / FONT_FILES[""]))
    pdf.set_font(FAMILY, "", 11)
    for chapter in chapters:
        pdf.add_page()
        for block in [chapter.title, *plain_blocks(chapter.body_html)]:
            pdf.multi_cell(0, 6, block, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def plain_blocks(body_html: str) -> list[str]:
    """The text of a chapter body, one string per paragraph, list item, heading or row."""
    text = html.unescape(TAG.sub("", BLOCK_END.sub("\n", body_html)))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def measure_language(app, language: str, runs: int) -> PdfTimes:
    """Median of `runs` renders of the synthetic handbook in one language, and the reference."""
    from flask import g
    from pypdf import PdfReader

    from app.library.handbook_pdf import render_handbook_pdf

    with app.test_request_context(f"/{language}/library/handbooks/pdf-benchmark/pdf"):
        g.lang_code = language
        chapters = synthetic_chapters(language)
        ours = [
            timed(render_handbook_pdf, "pdf-benchmark", chapters, language) for _ in range(runs)
        ]
        plain = [timed(plain_pdf, chapters)[1] for _ in range(runs)]
    pages = len(PdfReader(io.BytesIO(ours[0][2])).pages)
    words = sum(len(" ".join(plain_blocks(c.body_html)).split()) for c in chapters)
    return PdfTimes(
        language,
        runs,
        pages,
        words,
        statistics.median(t[1] for t in ours),
        statistics.median(t[0] for t in ours),
        statistics.median(plain),
    )


def measure_pdfs(runs: int = RUNS) -> list[PdfTimes]:
    """Every language's figures, with an app of its own (no database is read)."""
    from app import create_app
    from tests.benchmarks.library import library_settings

    with tempfile.TemporaryDirectory(prefix="champions-benchmark-pdf-") as name:
        app = create_app(library_settings(Path(name)))
        with app.app_context():
            corpus.words()  # the word lists need the app; built once per process
        return [measure_language(app, language, runs) for language in LANGUAGES]


def pdf_table(times: list[PdfTimes]) -> str:
    """The report's table: pages, words, our median beside the plain-text reference."""
    from tests.benchmarks.report import mark, table

    runs = times[0].runs if times else RUNS
    headers = [
        "language",
        "pages",
        "words",
        f"handbook PDF, CPU s (median of {runs}; target < {TARGET_SECONDS:g} s)",
        "wall s",
        "reference: plain fpdf2 text, CPU s",
        "PDF ÷ reference",
    ]
    rows = [
        [
            t.language,
            str(t.pages),
            f"{t.words:,}",
            mark(t.cpu, t.cpu < TARGET_SECONDS),
            f"{t.wall:.2f}",
            f"{t.plain_cpu:.2f}",
            f"{t.cpu / max(t.plain_cpu, 1e-3):.1f}×",
        ]
        for t in times
    ]
    return table(headers, rows)


def pdf_note() -> str:
    """What the PDF table measures and what its reference is."""
    return (
        "Handbook PDF: app.library.handbook_pdf.render_handbook_pdf on a synthetic handbook "
        f"of {CHAPTERS} chapters (headings, paragraphs with ő ű ș ț ł ą, lists, checklists, "
        "quotes, tables), no cache; reference: fpdf2 writing the same words with the same "
        "font as plain paragraphs (no HTML, contents, bookmarks or footers). The target is "
        "on CPU time: wall time on a shared machine also counts other processes' turns."
    )


if __name__ == "__main__":
    print(pdf_table(measure_pdfs()))
