"""How well the de-identifier does on labelled texts: the share of identifying spans removed
and the share of ordinary words removed by mistake, per language.

A labelled set is one YAML file per language (`<lang>.yaml`): `cases`, each with `text`, where
every identifying stretch is marked `[[like this]]`, and optionally the case's `city`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from app.core.deidentify.finder import Span, find_spans
from app.core.deidentify.knowledge import Knowledge
from app.core.deidentify.lexicon import TOKEN_RE

MARK_RE = re.compile(r"\[\[(.+?)\]\]", re.DOTALL)


@dataclass(frozen=True)
class LabelledText:
    """A text without its marks, the marked spans, and the case's city."""

    language: str
    text: str
    marked: list[tuple[int, int]]
    city: str = ""


@dataclass
class Score:
    """Counts of one language; the rates are what the README reports."""

    language: str
    texts: int = 0
    spans: int = 0
    spans_removed: int = 0
    words: int = 0
    words_removed: int = 0
    missed: list[str] | None = None
    wrongly_removed: list[str] | None = None

    @property
    def recall(self) -> float:
        """Identifying spans removed, of all marked."""
        return self.spans_removed / self.spans if self.spans else 1.0

    @property
    def false_removal(self) -> float:
        """Ordinary words removed, of all ordinary words."""
        return self.words_removed / self.words if self.words else 0.0


def parse_marked(text: str, language: str, city: str = "") -> LabelledText:
    """A text with `[[marks]]` as the clean text and the marked character ranges."""
    clean: list[str] = []
    marked: list[tuple[int, int]] = []
    position = length = 0
    for match in MARK_RE.finditer(text):
        clean.append(text[position:match.start()])
        length += match.start() - position
        marked.append((length, length + len(match.group(1))))
        clean.append(match.group(1))
        length += len(match.group(1))
        position = match.end()
    clean.append(text[position:])
    return LabelledText(language, "".join(clean), marked, city)


def load_labelled(folder: Path) -> dict[str, list[LabelledText]]:
    """Every `<lang>.yaml` of a folder: language -> its labelled texts."""
    found: dict[str, list[LabelledText]] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        language = data["language"]
        found[language] = [parse_marked(case["text"].strip(), language, case.get("city", ""))
                           for case in data["cases"]]
    return found


def score(texts: list[LabelledText], knowledge_for: Callable[[str, str], Knowledge]) -> Score:
    """Recall of the marked spans and the false-removal rate of the other words."""
    result = Score(language=texts[0].language if texts else "", missed=[], wrongly_removed=[])
    for labelled in texts:
        spans = find_spans(labelled.text, knowledge_for(labelled.language, labelled.city))
        _count(result, labelled, spans)
    return result


def _count(result: Score, labelled: LabelledText, spans: list[Span]) -> None:
    """Add one text's counts: a mark is removed when all its non-space characters are; a word
    outside the marks is wrongly removed when any character of it is."""
    removed = bytearray(len(labelled.text))
    for span in spans:
        removed[span.start:span.end] = b"\x01" * (span.end - span.start)
    inside = bytearray(len(labelled.text))
    result.texts += 1
    for start, end in labelled.marked:
        inside[start:end] = b"\x01" * (end - start)
        result.spans += 1
        if all(removed[i] or labelled.text[i].isspace() for i in range(start, end)):
            result.spans_removed += 1
        else:
            result.missed.append(labelled.text[start:end])
    for match in TOKEN_RE.finditer(labelled.text):
        if any(inside[match.start():match.end()]):
            continue
        result.words += 1
        if any(removed[match.start():match.end()]):
            result.words_removed += 1
            result.wrongly_removed.append(match.group())


def table(scores: list[Score]) -> str:
    """The per-language table printed by `flask arena deidentify-eval` (Markdown)."""
    lines = ["| language | texts | identifying spans | removed | ordinary words | wrongly "
             "removed |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for item in scores:
        lines.append(f"| {item.language} | {item.texts} | {item.spans} | {item.recall:.1%} | "
                     f"{item.words} | {item.false_removal:.1%} |")
    return "\n".join(lines)
