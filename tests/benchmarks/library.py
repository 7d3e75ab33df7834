"""A temporary library for one size: database, Whoosh index (the app's own rebuild) and FTS5."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import insert, select

from tests.benchmarks import corpus, fts5
from tests.benchmarks.measure import cpu_seconds, progress

BATCH = 2000  # rows per INSERT batch
FTS_FILE = "fts5.sqlite"


@dataclass
class Library:
    """One built library: its app (configured on the temp folder) and what building cost."""

    app: Flask
    folder: Path
    items: int
    versions: int
    whoosh_cpu: float  # CPU seconds of rebuild_index
    fts_cpu: float  # CPU seconds of reading the same documents into FTS5
    chapter: str  # a handbook chapter in English: "<handbook>/<nn>-<chapter>"

    @property
    def settings(self) -> dict:
        """The configuration keys that point the app at this library, rate limits off."""
        return library_settings(self.folder)

    @property
    def environment(self) -> dict[str, str]:
        """The same settings as CHAMPIONS_* variables, for gunicorn."""
        values = {key: str(value) for key, value in self.settings.items()}
        values["RATELIMIT_ENABLED"] = "false"
        return {f"CHAMPIONS_{key}": value for key, value in values.items()}

    @property
    def fts_path(self) -> Path:
        """The FTS5 database beside the library."""
        return self.folder / FTS_FILE


def library_settings(folder: Path) -> dict:
    """Database and index inside `folder`; no rate limits (the benchmark is one address);
    development mode, explicitly: a local measurement needs no secret key, mail or https."""
    return {"DATABASE_URL": f"sqlite:///{folder / 'library.sqlite'}",
            "INDEX_DIR": str(folder / "index"), "RATELIMIT_ENABLED": False,
            "ENV_MODE": "development"}


def build_library(items: int, folder: Path) -> Library:
    """Fill a fresh database with `items` synthetic items, rebuild the index, build FTS5."""
    from app import create_app
    from app.extensions import db

    app = create_app(library_settings(folder))
    with app.app_context():
        db.create_all()
        versions = insert_rows(items)
        whoosh_cpu = rebuild(items)
        fts_cpu = build_fts(folder / FTS_FILE)
        chapter = english_chapter()
    return Library(app, folder, items, versions, whoosh_cpu, fts_cpu, chapter)


def insert_rows(items: int) -> int:
    """Insert every language version of the items in batches; return how many rows."""
    from app.extensions import db
    from app.library.models import ContentItem

    rows, done = corpus.generate_rows(items), 0
    while batch := list(itertools.islice(rows, BATCH)):
        db.session.execute(insert(ContentItem), batch)
        done += len(batch)
        if done % (BATCH * 10) < BATCH:
            progress(f"  {items:,} items: {done:,} language versions written")
    db.session.commit()
    return done


def rebuild(items: int) -> float:
    """CPU seconds of the app's own rebuild (read the database, index, swap in)."""
    from app.search.services import rebuild_index

    start = cpu_seconds()
    message = f"  Whoosh: {{:,}} of {items:,} items indexed"
    summary = rebuild_index(RebuildProgress(message, items // 5))
    spent = cpu_seconds() - start
    progress(f"  Whoosh: {summary.count:,} items in {spent:.1f} CPU s")
    return spent


class RebuildProgress:
    """A rebuild's progress callback (called with increments): a line every `step` items."""

    def __init__(self, message: str, step: int) -> None:
        self.message, self.step, self.done = message, max(1, step), 0

    def __call__(self, increment: int) -> None:
        before, self.done = self.done, self.done + increment
        if before // self.step != self.done // self.step:
            progress(self.message.format(self.done))


def build_fts(path: Path) -> float:
    """CPU seconds to read the same documents the rebuild reads and index them in FTS5."""
    from app.search.documents import documents_for_rebuild

    start = cpu_seconds()
    count = fts5.build(path, documents_for_rebuild())
    spent = cpu_seconds() - start
    progress(f"  FTS5: {count:,} items in {spent:.1f} CPU s")
    return spent


def english_chapter() -> str:
    """The slug of the first handbook chapter that has an English version."""
    from app.extensions import db
    from app.library.models import ContentItem

    return db.session.scalar(
        select(ContentItem.slug)
        .where(ContentItem.type == "handbook", ContentItem.language == "en")
        .order_by(ContentItem.id).limit(1)
    ) or "missing/01-chapter"


def search_total(library: Library, text: str, language: str) -> int:
    """How many items a library search finds (so a fast page is not an empty one)."""
    from app.search.backend import SearchQuery
    from app.search.services import search_library

    with library.app.app_context():
        return search_library(SearchQuery(text=text, language=language)).total
