"""The common words of one language, as a library of texts in that language uses them.

A word the library writes in lower case is a common word; so is a word it writes with a
capital inside sentences of at least two texts (German nouns, "Holocaust", "Facebook"). Every
form is also kept under the base forms its endings lead back to (rules.LanguageRules.bases), so
"Jahren" is known from "Jahre" and "Holokauście" from "Holokaustu"."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from app.core.deidentify.rules import rules_for
from app.core.text import fold

TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)
SENTENCE_GAP_RE = re.compile(r"[.!?:;…\n>#*\-–•\"„“”«»()\[\]]\s*$|^\s*$")
MIN_TEXTS = 2  # a word capitalised in fewer texts may be a name those texts mention (but a
# German noun is capitalised in every text that has it: one text is enough there)


@dataclass(frozen=True)
class Lexicon:
    """Folded words (and their bases) a language's library texts use as common words."""

    language: str
    lower: frozenset[str]  # seen in lower case
    capitalised: frozenset[str]  # seen with a capital inside sentences of MIN_TEXTS texts
    bases: frozenset[str]  # the bases of both
    texts: int

    def knows(self, word: str) -> bool:
        """True when the word, or a base of it, is a common word of the library."""
        folded = fold(word)
        if folded in self.lower or folded in self.capitalised:
            return True
        return any(fold(base) in self.bases for base in rules_for(self.language).bases(word))

    def writes_lower(self, word: str) -> bool:
        """True when the library writes this very form in lower case."""
        return fold(word) in self.lower


def build_lexicon(texts: Iterable[str], language: str) -> Lexicon:
    """The lexicon of a language from its texts (one pass; a second over the words found)."""
    lower: set[str] = set()
    capitalised: Counter[str] = Counter()
    count = 0
    for text in texts:
        count += 1
        seen_capitalised: set[str] = set()
        for match in TOKEN_RE.finditer(text or ""):
            token = match.group()
            if token.islower():
                lower.add(token)
            elif token[0].isupper() and not token.isupper() and not _starts_sentence(
                    text, match.start()):
                seen_capitalised.add(token.lower())
        capitalised.update(seen_capitalised)
    rules = rules_for(language)
    needed = 1 if rules.nouns_capitalised else MIN_TEXTS
    common_capitalised = {word for word, texts in capitalised.items() if texts >= needed}
    bases = {fold(base) for word in lower | common_capitalised for base in rules.bases(word)}
    return Lexicon(language=language, lower=frozenset(fold(word) for word in lower),
                   capitalised=frozenset(fold(word) for word in common_capitalised),
                   bases=frozenset(bases), texts=count)


def _starts_sentence(text: str, position: int) -> bool:
    """True when the word at `position` opens a sentence, a line, a heading or a quote."""
    return bool(SENTENCE_GAP_RE.search(text[max(0, position - 12):position]))
