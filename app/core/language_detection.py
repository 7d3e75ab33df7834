"""Which of the five languages a reporter's text is written in, and how sure that is.

py3langid's byte n-gram model (langid.py, trained on 97 languages, shipped in the package,
nothing downloaded) is restricted to the portal's five. Real typing is messy: missing diacritics,
an English word in a Polish sentence, ten-word texts. So the text is read sentence by sentence,
a language counts only when the model is sure of it, and a text nobody is sure about is read
in all five languages rather than guessed wrong.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from app.core.text import LANGUAGES, words

SURE = 0.9  # normalised probability from which a language is taken as the text's
LIKELY = 0.6  # below SURE but above this: the language is preferred, all five are read
MIN_WORDS = 3  # fewer words tell nothing reliable
SENTENCE_RE = re.compile(r"(?<=[.!?;:\n])\s+")
_LOCK = threading.Lock()
_IDENTIFIER = None


@dataclass(frozen=True)
class LanguageGuess:
    """The text's most likely language (None when unsure) and the languages to read it in."""

    language: str | None
    languages: tuple[str, ...]

    @property
    def sure(self) -> bool:
        """True when the text is read in its own language(s) only."""
        return len(self.languages) < len(LANGUAGES)


def guess_languages(text: str) -> LanguageGuess:
    """The language(s) of a text: those the model is sure of in the whole or in a sentence
    (a mixed text has several); all five when it is sure of none."""
    if len(words(text)) < MIN_WORDS:
        return LanguageGuess(None, LANGUAGES)
    best, probability = _ranked(text)[0]
    sure = [best] if probability >= SURE else []
    sure.extend(_sentence_languages(text))
    if sure:
        found = tuple(dict.fromkeys(sure))
        return LanguageGuess(found[0], tuple(code for code in LANGUAGES if code in found))
    return LanguageGuess(best if probability >= LIKELY else None, LANGUAGES)


def _sentence_languages(text: str) -> list[str]:
    """Languages the model is sure of in single sentences of several words."""
    sentences = SENTENCE_RE.split(text)
    if len(sentences) < 2:
        return []  # one sentence: the whole text has been read already
    found = []
    for sentence in sentences:
        if len(words(sentence)) >= 2 * MIN_WORDS:
            language, probability = _ranked(sentence)[0]
            if probability >= SURE:
                found.append(language)
    return found


def _ranked(text: str) -> list[tuple[str, float]]:
    """The five languages by normalised probability, best first."""
    return _identifier().rank(text)


def _identifier():
    """The model, loaded once per process (about 30 MB) and restricted to the five languages.
    It is restricted before it is shared: rank() then only reads it, from any thread."""
    global _IDENTIFIER
    if _IDENTIFIER is not None:
        return _IDENTIFIER
    with _LOCK:
        if _IDENTIFIER is None:
            import py3langid
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            path = Path(py3langid.__file__).parent / MODEL_FILE
            identifier = LanguageIdentifier.from_modelpath(path, norm_probs=True)
            identifier.set_languages(list(LANGUAGES))
            _IDENTIFIER = identifier
    return _IDENTIFIER
