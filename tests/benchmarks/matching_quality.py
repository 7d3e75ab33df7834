"""ALERT matching quality across languages (issue 9), as a Markdown table (not a test).

Run from the repository root: `.venv/bin/python -m tests.benchmarks.matching_quality`. The
bundled library is loaded into a temporary database and index, every alert and off-topic text
of tests/fixtures/matching/crosslingual.yml is matched on it, then on the one-language library
made from it (each item kept in its home language only). The table goes to stdout; progress,
the misses and any off-topic text shown a case to stderr.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.benchmarks.library import library_settings
from tests.benchmarks.measure import progress
from tests.fixtures.matching import (
    describe_misses,
    evaluate_libraries,
    load_bundled_library,
    load_evaluation_set,
    markdown_table,
)


def measure(folder: Path) -> dict[str, dict]:
    """Both libraries' results, built in `folder` (database and index)."""
    from app import create_app
    from app.extensions import db

    app = create_app(library_settings(folder))
    with app.app_context():
        db.create_all()
        progress("matching quality: loading the bundled library")
        load_bundled_library(app.config["CONTENT_DIRS"])
        evaluation = load_evaluation_set()
        progress(f"matching quality: {len(evaluation.alerts)} alerts and "
                 f"{len(evaluation.off_topic)} off-topic texts on both libraries")
        results = evaluate_libraries(db.session, evaluation)
        db.session.remove()
        db.engine.dispose()
    return results


def details(results: dict[str, dict]) -> str:
    """The misses on the one-language library (worst first) and the off-topic texts shown a
    case or practice on either library."""
    lines = ["Misses on the one-language library (worst first):",
             describe_misses(results["one_language"]["misses"]) or "  none"]
    for name, result in results.items():
        for text_id, keys in sorted(result["off_topic_shown"].items()):
            lines.append(f"Off-topic {text_id} shown on the {name} library: {', '.join(keys)}")
    return "\n".join(lines)


def quality_table() -> str:
    """Build both libraries in a temporary folder; the table (misses go to stderr)."""
    with tempfile.TemporaryDirectory(prefix="champions-matching-quality-") as name:
        results = measure(Path(name))
    progress(details(results))
    return markdown_table(results)


def main() -> None:
    """Print the matching quality table."""
    print(quality_table())


if __name__ == "__main__":
    main()
