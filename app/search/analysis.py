"""Whoosh analysis over app.core.text: one language's folded stems, folded words, plain words.

Each analyzer is one pass (regex words, lower case, stop words, keys) with a dict from a word
as written to its index keys, and AnalysedText indexes a text straight from that dict, without
a Token per word: indexing 10,000 items meets the same 100,000 words millions of times."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from app.core.text import STOP_WORDS, WORD_RE, fold, stem_keys

CACHED_WORDS = 300_000  # per kind of analyzer; a full cache is emptied and fills again
Keys = tuple[str, ...]
KeysOf = Callable[[str], Keys]
Posting = tuple[bytes, int, float, bytes]  # (term, frequency, weight, encoded value)


class WordKeys(dict):
    """Word as written -> its index keys, computed on first use (one dict per kind). Threads
    share it: each dict step is atomic and a word's keys never change, so a clear by another
    thread costs a recomputation, never a wrong key."""

    def __init__(self, keys: KeysOf) -> None:
        super().__init__()
        self.keys_of = keys

    def __missing__(self, word: str) -> Keys:
        if len(self) >= CACHED_WORDS:
            self.clear()
        found = self[word] = self.keys_of(word)
        return found


def _plain_keys(word: str) -> Keys:
    """The word in lower case."""
    return (word.lower(),)


def _folded_keys(word: str) -> Keys:
    """The word in lower case without diacritics."""
    return (fold(word.lower()),)


def _stem_keys_of(language: str) -> KeysOf:
    """The language's keys of a word: none for a stop word, else its one or two folded stems."""
    stops = STOP_WORDS[language]

    def keys(word: str) -> Keys:
        """Folded stems of a word, () for a stop word."""
        lowered = word.lower()
        return () if lowered in stops else stem_keys(lowered, language)

    return keys


_CACHES: dict[tuple[str, str], WordKeys] = {}


def word_keys(kind: str, language: str = "") -> WordKeys:
    """The shared cache of one kind of analyzer ("stem" of a language, "fold" or "plain")."""
    found = _CACHES.get((kind, language))
    if found is None:
        keys = _stem_keys_of(language) if kind == "stem" else \
            _folded_keys if kind == "fold" else _plain_keys
        found = _CACHES.setdefault((kind, language), WordKeys(keys))
    return found


class WordAnalyzer(Tokenizer):
    """Whoosh analyzer in one pass: words, lower case, then each word's keys (a stemmed word
    may have two, both at the word's position; a stop word has none but keeps its position)."""

    def __init__(self, kind: str, language: str = "") -> None:
        self.kind = kind  # "stem" (of language), "fold" or "plain"
        self.language = language

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordAnalyzer) and \
            (other.kind, other.language) == (self.kind, self.language)

    __hash__ = None  # type: ignore[assignment]

    def texts(self, value: str) -> list[str]:
        """The keys of a text in order (what the tokens' texts would be)."""
        cache = word_keys(self.kind, self.language)
        return [key for word in WORD_RE.findall(value) for key in cache[word]]

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each key of a text -> the positions of its words (stop words count)."""
        cache, found = word_keys(self.kind, self.language), {}
        for pos, word in enumerate(WORD_RE.findall(value)):
            for key in cache[word]:
                if key in found:
                    found[key].append(pos)
                else:
                    found[key] = [pos]
        return found

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        """The tokens of a text, as RegexTokenizer | LowercaseFilter | a keys filter gives."""
        assert isinstance(value, str), f"{value!r} is not str"
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        cache = word_keys(self.kind, self.language)
        if not tokenize:
            return _whole(token, value, cache.keys_of(value), start_pos, start_char)
        if chars or keeporiginal:
            return _spans(token, value, cache, keeporiginal, start_pos, start_char)
        if positions:
            return _positioned(token, value, cache, start_pos)
        return _texts(token, value, cache)


def _texts(token: Token, value: str, cache: WordKeys) -> Iterator[Token]:
    """Tokens with text only (frequency fields, queries)."""
    for word in WORD_RE.findall(value):
        for text in cache[word]:
            token.text, token.boost, token.stopped = text, 1.0, False
            yield token


def _positioned(token: Token, value: str, cache: WordKeys, start_pos: int) -> Iterator[Token]:
    """Tokens with text and position (phrase fields)."""
    for pos, word in enumerate(WORD_RE.findall(value), start_pos):
        for text in cache[word]:
            token.text, token.boost, token.stopped, token.pos = text, 1.0, False, pos
            yield token


def _spans(token: Token, value: str, cache: WordKeys, keeporiginal: bool, start_pos: int,
           start_char: int) -> Iterator[Token]:
    """Tokens with characters, and position or original word when asked (highlighting)."""
    for pos, match in enumerate(WORD_RE.finditer(value), start_pos):
        word = match.group()
        if token.positions:
            token.pos = pos
        if token.chars:
            token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
        if keeporiginal:
            token.original = word
        for text in cache[word]:
            token.text, token.boost, token.stopped = text, 1.0, False
            yield token


def _whole(token: Token, value: str, found: Keys, start_pos: int,
           start_char: int) -> Iterator[Token]:
    """The untokenized value as one word (Whoosh's tokenize=False)."""
    if token.positions:
        token.pos = start_pos
    if token.chars:
        token.startchar, token.endchar = start_char, start_char + len(value)
    token.original = value
    for text in found:
        token.text, token.boost = text, 1.0
        yield token


class AnalysedText(TEXT):
    """TEXT indexed straight from its WordAnalyzer's keys: the postings TEXT.index gives,
    without a Token, a generator step and two dict updates per word."""

    def index(self, value, **kwargs) -> list[Posting]:
        """(term bytes, frequency, weight, encoded value) of each key of the text."""
        kind = type(self.format)
        if kwargs or not isinstance(value, str) or kind not in (Frequency, Positions) or \
                not isinstance(self.analyzer, WordAnalyzer):
            return list(super().index(value, **kwargs))
        boost = self.format.field_boost
        if kind is Frequency:
            counted = Counter(self.analyzer.texts(value))
            return [(key.encode(), n, n * boost, pack_uint(n)) for key, n in counted.items()]
        encode = self.format.encode
        return [(key.encode(), len(at), len(at) * boost, encode(at))
                for key, at in self.analyzer.positions(value).items()]


def language_analyzer(language: str) -> WordAnalyzer:
    """Analyzer of one language's text fields: words, lower case, stop words, folded stems."""
    return WordAnalyzer("stem", language)


def folded_analyzer() -> WordAnalyzer:
    """Analyzer for prefixes and titles: words, lower case, folded, not stemmed."""
    return WordAnalyzer("fold")


def plain_analyzer() -> WordAnalyzer:
    """Analyzer of the spelling field: words in lower case, diacritics kept (shown to users)."""
    return WordAnalyzer("plain")
