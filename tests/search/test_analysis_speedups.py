"""The one-pass analyzers and AnalysedText index exactly what the Whoosh filter chain indexed,
and stemming gives the same stems from several threads at once."""

from __future__ import annotations

import sys
import threading
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer
from whoosh.fields import TEXT

from app.core import text as core_text
from app.core.text import LANGUAGES, STOP_WORDS, WORD_PATTERN, fold, stem, stem_keys
from app.search import analysis
from app.search.analysis import (
    AnalysedText,
    folded_analyzer,
    language_analyzer,
    plain_analyzer,
)

SAMPLES = [
    "Radykalizacja młodzieży w szkole: jak nauczyciele w Dąbrowie Górniczej reagują?",
    "Die Straße, das Schloß und die Übung; ÄÖÜ äöü ß — und 2024 war’s anders.",
    "A diákok között terjedő gyűlölet: iskolában, iskola, ISKOLÁBAN, Gyűlöletbeszéd.",
    "Violența online și discursul instigator la ură afectează elevii din Cluj-Napoca.",
    "The radicalisation of the youth isn't what we've organised; l'homme d’État 3.14 x_y",
    "Dąbrowa decomposed: Da\u0328browa; İstanbul ǅemal ﬁne Ⅻ ½ ²³ 🙂 ..'' '' ’’ a' 'b",
    "and the of THE And in in in é É e\u0301 straße STRASSE ŁÓDŹ łódź",
    "",
    "   ",
]
OPTIONS = [
    {},
    {"positions": True},
    {"chars": True},
    {"positions": True, "chars": True},
    {"positions": True, "chars": True, "keeporiginal": True, "start_pos": 5, "start_char": 9},
    {"mode": "query"},
    {"mode": "query", "removestops": False, "positions": True},
    {"tokenize": False, "positions": True, "chars": True},
    {"tokenize": False, "mode": "query"},
]
TEXT_CHARS = st.sampled_from(
    list("aeiounrstlkzAEZ ąćęłńóśźżĄŁŚäöüßÄÖÜőűáéíóúŐŰăâîșțȘȚ'’-_.,;:!?0123456789 \t\n")
    + ["e\u0301", "İ", "ǅ", "ﬁ", "½", "🙂", "Ⅻ"]
)


class ReferenceStemFold(Filter):
    """The filter the analyzers replaced: drop stop words, emit folded stems at one position."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, tokens):
        for token in tokens:
            if token.text in STOP_WORDS[self.language]:
                continue
            for key in stem_keys(token.text, self.language):
                token.text = key
                yield token


class ReferenceFold(Filter):
    """The folding filter the analyzers replaced."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


def reference(kind: str, language: str = ""):
    """The Whoosh filter chain the one-pass analyzers replaced."""
    chain = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
    if kind == "stem":
        return chain | ReferenceStemFold(language)
    return chain | ReferenceFold() if kind == "fold" else chain


def pairs():
    """(one-pass analyzer, reference chain) of every kind and language."""
    yield from ((language_analyzer(lang), reference("stem", lang)) for lang in LANGUAGES)
    yield folded_analyzer(), reference("fold")
    yield plain_analyzer(), reference("plain")


def described(analyzer, value: str, options: dict) -> list[tuple]:
    """The tokens' attributes that the options ask for, in order."""
    wanted = ["text", "boost", "stopped"]
    wanted += ["pos"] * bool(options.get("positions"))
    wanted += ["startchar", "endchar"] * bool(options.get("chars"))
    wanted += ["original"] * bool(options.get("keeporiginal") or options.get("tokenize") is False)
    return [tuple(getattr(token, name) for name in wanted)
            for token in analyzer(value, **options)]


def old_fold(text: str) -> str:
    """fold() before its ASCII shortcut."""
    decomposed = unicodedata.normalize("NFKD", text.translate(core_text._EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def postings(field: TEXT, value: str) -> list[tuple]:
    """The sorted postings a field indexes for a value."""
    return sorted(field.index(value))


@pytest.mark.parametrize("options", OPTIONS, ids=str)
def test_analyzers_give_the_chains_tokens(options):
    for analyzer, chain in pairs():
        for sample in SAMPLES:
            assert described(analyzer, sample, options) == described(chain, sample, options), \
                (analyzer, sample)


def test_a_word_with_diacritics_gives_two_keys_at_one_position():
    tokens = [(t.text, t.pos) for t in language_analyzer("ro")("afectează", positions=True)]
    assert tokens == [("afect", 0), ("afecteaz", 0)]


def test_stop_words_keep_their_positions():
    tokens = [(t.text, t.pos) for t in language_analyzer("en")("the school", positions=True)]
    assert tokens == [("school", 1)]


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT_CHARS, max_size=60).map("".join), st.sampled_from(OPTIONS))
def test_random_text_gives_the_chains_tokens(value, options):
    for analyzer, chain in pairs():
        assert described(analyzer, value, options) == described(chain, value, options), analyzer


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT_CHARS, max_size=40).map("".join))
def test_fold_is_unchanged(value):
    assert fold(value) == old_fold(value)


@pytest.mark.parametrize("phrase", [True, False])
def test_analysed_text_indexes_the_postings_of_text(phrase):
    for analyzer, chain in pairs():
        fast, plain = AnalysedText(analyzer, phrase=phrase), TEXT(chain, phrase=phrase)
        for sample in SAMPLES:
            assert postings(fast, sample) == postings(plain, sample), (analyzer, sample)


@settings(max_examples=200, deadline=None)
@given(st.lists(TEXT_CHARS, max_size=80).map("".join), st.booleans(),
       st.sampled_from([1.0, 2.5]))
def test_analysed_text_indexes_random_text_like_text(value, phrase, boost):
    for analyzer, chain in pairs():
        fast = AnalysedText(analyzer, phrase=phrase, field_boost=boost)
        plain = TEXT(chain, phrase=phrase, field_boost=boost)
        assert postings(fast, value) == postings(plain, value), analyzer


def test_analysed_text_keeps_whooshs_path_for_word_lists():
    field = AnalysedText(plain_analyzer(), phrase=False)
    assert postings(field, ["Straße", "straße"]) == postings(TEXT(phrase=False),
                                                              ["Straße", "straße"])


def test_a_full_word_cache_starts_again(monkeypatch):
    monkeypatch.setattr(analysis, "CACHED_WORDS", 10)
    monkeypatch.setitem(analysis._CACHES, ("plain", ""), analysis.WordKeys(analysis._plain_keys))
    texts = plain_analyzer().texts(" ".join(f"Word{number}" for number in range(50)))
    assert texts == [f"word{number}" for number in range(50)]
    assert len(analysis._CACHES[("plain", "")]) <= 10


def invented_words(language: str, count: int) -> list[str]:
    """Distinct words with the language's letters and endings (none of them cached)."""
    stems = {"hu": ["iskol", "gyűlöl", "tanár", "közösség", "fiatal"],
             "pl": ["radykalizacj", "młodzież", "szkoł", "nauczyciel", "społeczn"]}[language]
    endings = {"hu": ["ában", "ából", "okkal", "etekben", "ának", "a", "ok", "ekről"],
               "pl": ["ę", "ami", "owie", "ach", "ości", "ą", "ymi", "ego"]}[language]
    return [f"{stem_}{number}{ending}" for number in range(count // 40 + 1)
            for stem_ in stems for ending in endings][:count]


@pytest.mark.parametrize("language", ["hu", "pl"])
def test_threads_stem_like_one_thread(language):
    unstemmed = stem.__wrapped__  # past the cache: every call runs the Snowball stemmer
    words = invented_words(language, 4000)
    expected = [unstemmed(word, language) for word in words]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, as a busy server does
    found: dict[int, list[str]] = {}

    def work(number: int) -> None:
        found[number] = [unstemmed(word, language) for word in words]

    threads = [threading.Thread(target=work, args=(number,)) for number in range(4)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    for number in range(4):
        assert found[number] == expected, f"thread {number}"
