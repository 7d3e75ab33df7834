"""Does a reporter's text have words of a language the portal reads? Keyboard mash, bare links
and numbers have none: the reporter is asked to describe what happened in words.

A word counts when the portal knows it: a function word of one of the five languages (the
stop-word lists), or a word of the thesaurus's labels in its five languages (the domain's
vocabulary, some 16,000 word forms), compared folded, and stemmed in the label's language so
an inflection the labels do not list still counts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from app.alerts.stopwords import ALL_STOP_WORDS
from app.content.thesaurus import Thesaurus, load_thesaurus
from app.core.text import LANGUAGES, STOP_WORDS, fold, stem, words

LINK_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
MIN_KNOWN = 2  # two known words, one of them of three letters or more, make a description
_FUNCTION_WORDS = frozenset(ALL_STOP_WORDS | frozenset().union(*STOP_WORDS.values()))


def has_words(text: str) -> bool:
    """True when the text has words of a supported language (not only mash, links, numbers
    or emoji)."""
    tokens = [token for token in words(LINK_RE.sub(" ", text or "")) if _is_word_like(token)]
    known = [token for token in tokens if is_known_word(token)]
    return len(known) >= MIN_KNOWN and any(len(token) >= 3 for token in known)


def _is_word_like(token: str) -> bool:
    """Letters only, two or more (numbers, "8b" and single letters say nothing)."""
    return len(token) >= 2 and token.replace("'", "").replace("’", "").isalpha()


def is_known_word(token: str) -> bool:
    """True for a lower-case word of one of the five languages the portal knows."""
    if token in _FUNCTION_WORDS or fold(token) in _folded_function_words():
        return True
    vocabulary = _vocabulary(load_thesaurus())
    folded = fold(token)
    return folded in vocabulary or any(
        (language, stem(folded, language)) in vocabulary for language in LANGUAGES)


@lru_cache(maxsize=1)
def _folded_function_words() -> frozenset[str]:
    """The function words without diacritics (reporters often type without them)."""
    return frozenset(fold(word) for word in _FUNCTION_WORDS)


@lru_cache(maxsize=4)
def _vocabulary(thesaurus: Thesaurus) -> frozenset:
    """The label words folded, and (language, stem) of each in its label's language."""
    found: set = set()
    for concept in thesaurus.concepts.values():
        for language, labels in concept.labels.items():
            for word in (w for label in labels for w in words(label) if len(w) >= 3):
                found.add(fold(word))
                if language in LANGUAGES:
                    found.add((language, stem(fold(word), language)))
    return frozenset(found)
