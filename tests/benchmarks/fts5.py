"""The yardstick: SQLite FTS5 over the same items (all language versions in one row each)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

LIMIT = 25
WORD = re.compile(r"\w+", re.UNICODE)
# unicode61 folds case and diacritics; no stemming (FTS5 has none for de, pl, ro, hu).
SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, title, summary, body, "
          "tokenize = 'unicode61 remove_diacritics 2')")
RANKED = "SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?"


def build(path: Path, documents: Iterable) -> int:
    """Index SearchDocuments (one row per item, its versions' texts joined); return the count."""
    path.unlink(missing_ok=True)
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute(SCHEMA)
        connection.executemany("INSERT INTO docs VALUES (?, ?, ?, ?)", rows(documents))
        return connection.execute("SELECT count(*) FROM docs").fetchone()[0]


def rows(documents: Iterable) -> Iterable[tuple[str, str, str, str]]:
    """(doc_id, titles, summaries, bodies) of every item."""
    for document in documents:
        versions = document.versions
        yield (document.doc_id, *("\n".join(getattr(v, name) for v in versions)
                                  for name in ("title", "summary", "body")))


def any_of(terms: Iterable[str]) -> str:
    """An FTS5 expression matching any of the terms (each quoted: phrases, no syntax)."""
    quoted = ('"' + term.replace('"', '""') + '"' for term in terms if WORD.search(term))
    return " OR ".join(dict.fromkeys(quoted))


def all_words(text: str) -> str:
    """The naive query: every distinct word of the text, OR-ed."""
    return any_of(word.lower() for word in WORD.findall(text))


def search(connection: sqlite3.Connection, expression: str) -> list[str]:
    """The best LIMIT items for an expression, ranked by bm25."""
    if not expression:
        return []
    return [row[0] for row in connection.execute(RANKED, (expression, LIMIT))]
