"""Whoosh analyzers over app.core.text: one language's folded stems, folded words, plain words."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer

from app.core.text import STOP_WORDS, WORD_PATTERN, fold, stem_keys


class StemFoldFilter(Filter):
    """Whoosh filter: drop the language's stop words, emit its folded stems at one position."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.stops = STOP_WORDS[language]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StemFoldFilter) and other.language == self.language

    def __call__(self, tokens: Iterable) -> Iterator:
        for token in tokens:
            if token.text in self.stops:
                continue
            for key in stem_keys(token.text, self.language):
                token.text = key
                yield token


class FoldFilter(Filter):
    """Whoosh filter: fold diacritics (for fields that are not stemmed)."""

    def __call__(self, tokens: Iterable) -> Iterator:
        for token in tokens:
            token.text = fold(token.text)
            yield token


def language_analyzer(language: str):
    """Analyzer of one language's text fields: words, lower case, stop words, folded stems."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | StemFoldFilter(language)


def folded_analyzer():
    """Analyzer for prefixes and titles: words, lower case, folded, not stemmed."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter()


def plain_analyzer():
    """Analyzer of the spelling field: words in lower case, diacritics kept (shown to users)."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
