"""Whoosh analyzers over app.core.text: one language's folded stems, folded words, plain words.

Each analyzer is a single pass (regex words, lower case, stop words, keys) over one reused Token,
with a plain dict from a word as written to its index keys: indexing 10,000 items asks for the
same few hundred thousand words millions of times."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from whoosh.analysis import Token, Tokenizer

from app.core.text import STOP_WORDS, WORD_RE, fold, stem_keys

CACHED_WORDS = 300_000  # per analyzer kind; a full cache is emptied and refilled
Keys = tuple[str, ...]
KeysOf = Callable[[str], Keys]
_KINDS: dict[tuple[str, str], tuple[KeysOf, dict[str, Keys]]] = {}


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


class WordAnalyzer(Tokenizer):
    """Whoosh analyzer in one pass: words, lower case, then each word's keys (a stemmed word
    may have two, both at the word's position; a stop word has none but keeps its position)."""

    def __init__(self, kind: str, language: str = "") -> None:
        self.kind = kind  # "stem" (needs language), "fold" or "plain"
        self.language = language

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WordAnalyzer) and \
            (other.kind, other.language) == (self.kind, self.language)

    __hash__ = None  # type: ignore[assignment]

    def word_keys(self) -> tuple[KeysOf, dict[str, Keys]]:
        """(keys function, cache shared by the analyzers of this kind and language)."""
        kind = (self.kind, self.language)
        if kind not in _KINDS:
            keys = _stem_keys_of(self.language) if self.kind == "stem" else \
                _folded_keys if self.kind == "fold" else _plain_keys
            _KINDS.setdefault(kind, (keys, {}))
        return _KINDS[kind]

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs) -> Iterator[Token]:
        """The tokens of a text, like RegexTokenizer | LowercaseFilter | a keys filter."""
        assert isinstance(value, str), f"{value!r} is not str"
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        keys, cache = self.word_keys()
        if not tokenize:
            return _whole(token, value, keys(value), start_pos, start_char)
        if chars or keeporiginal:
            return _spans(token, value, keys, cache, keeporiginal, start_pos, start_char)
        if positions:
            return _positioned(token, value, keys, cache, start_pos)
        return _texts(token, value, keys, cache)


def _cached(word: str, keys: KeysOf, cache: dict[str, Keys]) -> Keys:
    """A word's keys from the cache, computed and kept on a miss."""
    found = cache.get(word)
    if found is None:
        if len(cache) >= CACHED_WORDS:
            cache.clear()
        found = cache[word] = keys(word)
    return found


def _texts(token: Token, value: str, keys: KeysOf,
           cache: dict[str, Keys]) -> Iterator[Token]:
    """Tokens with text only (frequency fields, queries)."""
    get = cache.get
    for word in WORD_RE.findall(value):
        found = get(word)
        if found is None:
            found = _cached(word, keys, cache)
        for text in found:
            token.text, token.boost, token.stopped = text, 1.0, False
            yield token


def _positioned(token: Token, value: str, keys: KeysOf, cache: dict[str, Keys],
                start_pos: int) -> Iterator[Token]:
    """Tokens with text and position (phrase fields)."""
    get = cache.get
    for pos, word in enumerate(WORD_RE.findall(value), start_pos):
        found = get(word)
        if found is None:
            found = _cached(word, keys, cache)
        for text in found:
            token.text, token.boost, token.stopped, token.pos = text, 1.0, False, pos
            yield token


def _spans(token: Token, value: str, keys: KeysOf, cache: dict[str, Keys],
           keeporiginal: bool, start_pos: int, start_char: int) -> Iterator[Token]:
    """Tokens with position, characters and the original word (highlighting)."""
    for pos, match in enumerate(WORD_RE.finditer(value), start_pos):
        word = match.group()
        if token.positions:
            token.pos = pos
        if token.chars:
            token.startchar, token.endchar = start_char + match.start(), start_char + match.end()
        if keeporiginal:
            token.original = word
        for text in _cached(word, keys, cache):
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


def language_analyzer(language: str) -> WordAnalyzer:
    """Analyzer of one language's text fields: words, lower case, stop words, folded stems."""
    return WordAnalyzer("stem", language)


def folded_analyzer() -> WordAnalyzer:
    """Analyzer for prefixes and titles: words, lower case, folded, not stemmed."""
    return WordAnalyzer("fold")


def plain_analyzer() -> WordAnalyzer:
    """Analyzer of the spelling field: words in lower case, diacritics kept (shown to users)."""
    return WordAnalyzer("plain")

