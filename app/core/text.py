"""Text analysis shared by content, search and ALERT: words, folding, Snowball stems, stop words."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import snowballstemmer

LANGUAGES = ("en", "de", "pl", "ro", "hu")
SNOWBALL_NAMES = {
    "en": "english",
    "de": "german",
    "pl": "polish",
    "ro": "romanian",
    "hu": "hungarian",
}
WORD_PATTERN = r"\w+(?:['’]\w+)*"
WORD_RE = re.compile(WORD_PATTERN, re.UNICODE)
_BRITISH_RE = re.compile(r"(?<=\w{4})is(e|es|ed|ing|ation|ations|er|ers)$")
# Letters Unicode decomposition does not fold (ł has no combining mark, ß is two letters).
_EXTRA_FOLDS = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "ø": "o", "đ": "d", "æ": "ae"})
# A Snowball stemmer keeps the word it works on in itself: each thread gets its own.
_THREAD = threading.local()

STOP_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "a an and are as at be but by for from has have he her his i if in into is it its "
        "of on or our she that the their them they this those to was we were what when where "
        "which who will with you your".split()
    ),
    "de": frozenset(
        "aber als am an auch auf aus bei bin bis bist da dass das dem den der des die dies "
        "diese dieser doch du durch ein eine einem einen einer eines er es für hat hatte "
        "ich ihr im in ist ja kann man mit nach nicht noch nur oder sich sie sind so über um "
        "und uns von vor war was wir wie wird zu zum zur".split()
    ),
    "pl": frozenset(
        "a aby ale bo by być był była było były czy dla do gdy go i ich ja jak jako je jego "
        "jej jest jestem już każdy ku lub ma mi mnie na nad nie nim o od oraz po pod przez "
        "przy się są ta tak także te tego tej ten to tu tylko w we więc z za ze że żeby".split()
    ),
    "ro": frozenset(
        "a acest această acesta aceste ai al ale am ar au care ce cu cum dacă de din după "
        "e este eu fi fost iar îi în între la le lor mai ne nu o pe pentru prin sa să se si "
        "și sunt un una unei unui va vor".split()
    ),
    "hu": frozenset(
        "a az azt ahogy aki akik amely amelyek ami amit és egy egyes ez ezt hogy is ki meg "
        "mert mi mint nem o ő pedig sem s vagy van volt voltak lesz csak már még mind "
        "minden nagyon itt ott ha ezek azok".split()
    ),
}


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case and strip diacritics: "Dąbrowa" -> "dabrowa", "Straße" -> "strasse"."""
    if text.isascii():  # nothing to fold (NFKD leaves ASCII as it is)
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _stemmer(language: str):
    """This thread's Snowball stemmer of a language (stemWord is not thread-safe)."""
    stemmers = _THREAD.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(SNOWBALL_NAMES[language])
    return stemmers[language]


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """The stem of a lower-case word in a language, without folding."""
    if language == "en":
        # British and American spellings meet: "radicalisation" stems like "radicalization".
        word = _BRITISH_RE.sub(r"iz\1", word)
    stemmed = _stemmer(language).stemWord(word)
    if language == "hu":
        stemmed = _hungarian_stem_end(stemmed)
    return stemmed


def _hungarian_stem_end(stemmed: str) -> str:
    """Make Snowball's Hungarian stems of one word meet: it takes a final -t for the
    accusative ending (horogkereszt -> horogkeresz, horogkeresztet -> horogkereszt) and keeps
    the stem vowel of bare nouns (iskola) that it drops before case endings (iskolában ->
    iskol). So a final t goes, then a final a or e."""
    if len(stemmed) > 4 and stemmed.endswith("t"):
        stemmed = stemmed[:-1]
    if len(stemmed) > 4 and stemmed[-1] in "ae":
        stemmed = stemmed[:-1]
    return stemmed


@lru_cache(maxsize=200_000)
def stem_keys(word: str, language: str) -> tuple[str, ...]:
    """Folded stems of a word: stemmed before and after folding, so typing without
    diacritics ("radykalizacje") meets text with them ("radykalizację")."""
    lowered = word.lower()
    first, second = fold(stem(lowered, language)), stem(fold(lowered), language)
    return (first,) if first == second else (first, second)


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, in order."""
    return [match.group().lower() for match in WORD_RE.finditer(text or "")]


def is_stop_word(word: str, language: str | None = None) -> bool:
    """True for a stop word of the language (any of the five when language is None)."""
    languages = [language] if language else LANGUAGES
    lowered = word.lower()
    return any(lowered in STOP_WORDS[code] for code in languages)


def content_words(text: str) -> list[str]:
    """Words of a user query minus the stop words of every language (queries have no language)."""
    return [word for word in words(text) if not is_stop_word(word)]
