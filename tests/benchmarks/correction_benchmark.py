"""Spelling correction benchmark (not a test): CPU cost of correct_query on a synthetic index.

Run: `python -m tests.benchmarks.correction_benchmark [--docs 10000] [--queries 200]`.
Builds (or reuses, with --index) an index of invented words, about 30,000 per language with
Zipf frequencies, with the real schema (whoosh_schema), then times
query_language + correct_query on queries of one to four words with one or two typos.
Target: well under 100 ms CPU per correction at 10,000 documents.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from functools import cache
from itertools import accumulate
from pathlib import Path

from whoosh import index as whoosh_index

from app.core.text import LANGUAGES
from app.search.backend import SearchDocument, Version
from app.search.whoosh_query import correct_query, query_language
from app.search.whoosh_schema import build_schema, document_fields

VOCABULARY = 30_000
LETTERS = {
    "en": "abcdefghijklmnoprstuvwy", "de": "abcdefghiklmnoprstuwzäöüß",
    "pl": "abcdefghijklmnoprstuwyząćęłńóśźż", "ro": "abcdefghijlmnoprstuvzăâîșț",
    "hu": "abcdefghijklmnoprstuvzáéíóöőúüű",
}


@cache
def vocabulary(lang: str) -> list[str]:
    """Invented words of 4 to 13 letters of the language's alphabet, most frequent first."""
    rng = random.Random(lang)
    found: dict[str, None] = {}
    while len(found) < VOCABULARY:
        found["".join(rng.choices(LETTERS[lang], k=rng.randint(4, 13)))] = None
    return list(found)


def build(folder: Path, docs: int) -> None:
    """An index of `docs` items, each in one or two languages, Zipf-distributed words."""
    rng = random.Random(7)
    words = {lang: vocabulary(lang) for lang in LANGUAGES}
    weights = list(accumulate(1 / rank for rank in range(1, VOCABULARY + 1)))
    writer = whoosh_index.create_in(str(folder), build_schema()).writer(limitmb=256)
    for number in range(docs):
        versions = []
        for lang in rng.sample(LANGUAGES, rng.choice((1, 1, 2))):
            text = rng.choices(words[lang], cum_weights=weights, k=230)
            versions.append(Version(item_id=number, language=lang, title=" ".join(text[:7]),
                                    summary=" ".join(text[7:30]), body=" ".join(text[30:])))
        writer.add_document(**document_fields(SearchDocument(
            doc_id=str(number), type="case", slug=str(number), versions=versions)))
    writer.commit()


def typo(rng: random.Random, word: str) -> str:
    """The word with one edit after its first letter (dropped, doubled, swapped or replaced)."""
    at = rng.randint(1, len(word) - 1)
    edits = (word[:at] + word[at + 1:], word[:at] + word[at] + word[at:],
             word[:at - 1] + word[at] + word[at - 1] + word[at + 1:],
             word[:at] + rng.choice("aeiou") + word[at + 1:])
    return rng.choice(edits)


def queries(count: int) -> list[tuple[str, str, str]]:
    """(typed, intended, page language): one to four known words, one or two misspelt."""
    rng = random.Random(11)
    out = []
    for _ in range(count):
        lang = rng.choice(LANGUAGES)
        intended = rng.sample(vocabulary(lang)[50:5000], rng.randint(1, 4))
        typed = list(intended)
        for position in rng.sample(range(len(typed)), min(len(typed), rng.randint(1, 2))):
            typed[position] = typo(rng, typed[position])
        out.append((" ".join(typed), " ".join(intended), rng.choice(LANGUAGES)))
    return out


def gibberish(count: int) -> list[tuple[str, str, str]]:
    """The worst case: three long unknown words starting like common words (so the automaton
    walks busy stretches of the term list) and near nothing, tried in two languages each."""
    rng = random.Random(13)
    cases = []
    for _ in range(count):
        starts = rng.sample(vocabulary(rng.choice(LANGUAGES))[:500], 3)
        typed = " ".join(start[:2] + "".join(rng.choices("qxjvkwz", k=11)) for start in starts)
        cases.append((typed, "", rng.choice(LANGUAGES)))
    return cases


def main(argv: list[str] | None = None) -> None:
    """Build or open the index, time every query's correction, print p50/p95/max CPU ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--index", help="an index folder to reuse (built when empty)")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as spare:
        folder = Path(options.index or spare)
        if not whoosh_index.exists_in(str(folder)):
            folder.mkdir(parents=True, exist_ok=True)
            start = time.perf_counter()
            build(folder, options.docs)
            print(f"built {options.docs:,} docs in {time.perf_counter() - start:.0f} s")
        with whoosh_index.open_dir(str(folder)).searcher() as searcher:
            spelled = {lang: len(list(searcher.lexicon(f"spell_{lang}"))) for lang in LANGUAGES}
            print(f"{searcher.doc_count():,} docs, spelling words per language: {spelled}")
            for name, cases in (("typos", queries(options.queries)),
                                ("gibberish", gibberish(options.queries // 4))):
                print(f"{name:9s}: {report(searcher, cases)}")


def report(searcher, cases: list[tuple[str, str, str]]) -> str:
    """CPU milliseconds of query_language + correct_query, and the share corrected right."""
    costs, right = [], 0
    for typed, intended, page in cases:
        start = time.process_time()
        corrected = correct_query(searcher, typed, [page, query_language(searcher, typed, page)])
        costs.append((time.process_time() - start) * 1000)
        right += corrected == intended
    costs.sort()
    p95 = costs[int(0.95 * len(costs)) - 1]
    return (f"CPU p50 {statistics.median(costs):.1f} ms, p95 {p95:.1f} ms, max {costs[-1]:.1f} "
            f"ms; corrected to the intended words: {right / len(cases):.0%}")


if __name__ == "__main__":
    main()
