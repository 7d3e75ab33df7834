"""De-identification of case texts in the portal's five languages.

`find_spans` finds what identifies someone: e-mail addresses, phones, links with a path,
@handles, street addresses, post codes, licence plates, parallel classes ("7b"), full dates,
and names and places word by word. A capitalised word goes when the packages' name lists have
it (inflected forms too: "Tomaszowi", "Pétert"), when a title stands before it ("Herr",
"pani"), or when it is neither a common word of the language (as the library writes it) nor a
word of the vocabulary; German nouns stay because the library writes them too. A word that
opens a sentence goes only when the lists name it and the language does not also write it in
lower case. `deidentify` replaces the spans and says where each replacement stands, so a
reviewer can see and restore one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from app.core.deidentify.finder import Span, find_spans
from app.core.deidentify.knowledge import Knowledge, knowledge
from app.core.deidentify.lexicon import Lexicon, build_lexicon

__all__ = ["REMOVED", "Deidentified", "Knowledge", "Lexicon", "Removal", "Span",
           "build_lexicon", "deidentify", "find_spans", "knowledge", "restore"]

REMOVED = "[…]"  # the same in every language (ALERT marks its own removals so too)


@dataclass(frozen=True)
class Removal:
    """One replacement in a de-identified text: where the mark stands, its kind, what it hid."""

    start: int
    end: int
    kind: str
    original: str

    def as_dict(self) -> dict:
        """For JSON storage."""
        return asdict(self)


@dataclass(frozen=True)
class Deidentified:
    """A de-identified text and its removals, in text order."""

    text: str
    removals: list[Removal]


def deidentify(text: str, known: Knowledge) -> Deidentified:
    """`text` with every identifying span replaced by REMOVED."""
    parts: list[str] = []
    removals: list[Removal] = []
    position = length = 0
    for span in find_spans(text or "", known):
        parts.append(text[position:span.start])
        length += span.start - position
        removals.append(Removal(length, length + len(REMOVED), span.kind, span.text))
        parts.append(REMOVED)
        length += len(REMOVED)
        position = span.end
    parts.append((text or "")[position:])
    return Deidentified("".join(parts), removals)


def restore(text: str, removals: list[Removal], index: int) -> Deidentified:
    """Put the original of removal `index` back; the later removals move with the text.
    Raises ValueError when the mark is no longer where the removal says (the text changed)."""
    chosen = removals[index]
    if text[chosen.start:chosen.end] != REMOVED:
        raise ValueError("the removed span is no longer in the text")
    shift = len(chosen.original) - len(REMOVED)
    restored = text[:chosen.start] + chosen.original + text[chosen.end:]
    moved = [removal if removal.start < chosen.start else
             Removal(removal.start + shift, removal.end + shift, removal.kind, removal.original)
             for number, removal in enumerate(removals) if number != index]
    return Deidentified(restored, moved)
