"""What the de-identifier knows of one language: the library's common words, the words always
kept (stop words, the vocabulary, the case's city, countries), and the packages' names."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

from app.core.deidentify.lexicon import Lexicon
from app.core.deidentify.packages import PackageWords, package_words
from app.core.deidentify.rules import LanguageRules, rules_for
from app.core.text import STOP_WORDS, fold, stem_keys

MIN_STEM = 5  # shorter Snowball stems meet too many names ("tomasz" -> "tom")
MIN_PART = 3  # the shortest part of a German compound ("Hass" + "post")


@dataclass(frozen=True)
class Knowledge:
    """Everything `find_spans` reads about the text's language (build it with `knowledge`)."""

    language: str
    lexicon: Lexicon
    kept: frozenset[str]  # folded words and their bases: never a name unless a list says so
    kept_always: frozenset[str]  # one-word labels written with a capital, the city and the
    # countries: kept even when a name list has them ("Jude", "Roma")
    kept_stems: frozenset[str]  # Snowball keys of those (their inflected forms)
    phrases: frozenset[tuple[str, ...]]  # folded labels of several words with a capital
    # ("Legiunea Arhanghelului Mihail", "Black player"): kept whole, names and all
    function_words: frozenset[str]
    packages: PackageWords
    _compounds: dict = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def rules(self) -> LanguageRules:
        """The language's grammar rules."""
        return rules_for(self.language)

    def bases(self, word: str) -> set[str]:
        """The folded base forms of a word (rules.LanguageRules.bases)."""
        return {fold(base) for base in self.rules.bases(word)}

    def is_kept(self, word: str) -> bool:
        """A stop word, a word of the vocabulary or its inflected form, the city, a country."""
        return bool(fold(word) in self.function_words or self.bases(word) & self.kept
                    or self.is_always_kept(word))

    def is_always_kept(self, word: str) -> bool:
        """A word the vocabulary writes with a capital (or its inflected form: "Holokauście"
        of "Holokaust"), the case's city, a country, region or language."""
        if self.bases(word) & self.kept_always:
            return True
        keys = stem_keys(word.lower(), self.language)
        return any(len(key) >= MIN_STEM and key in self.kept_stems for key in keys)

    def is_nickname(self, word: str) -> bool:
        """A short first name of the language ("Kuba", "Pisti"), before any other reading."""
        return bool(self.bases(word) & self.rules.nicknames)

    def is_ambiguous_name(self, word: str) -> bool:
        """English: a listed name the library writes both in lower case and with a capital
        inside sentences ("Black" and "black") is a common word first. (Hungarian surnames
        are common words too, "Nagy", "Fekete", but a capital inside a sentence makes them
        names.)"""
        folded = fold(word)
        return (self.rules.ambiguous_capitals and folded in self.lexicon.lower
                and folded in self.lexicon.capitalised)

    def looks_like_noun(self, word: str) -> bool:
        """German: a noun by its ending ("Unterkunft", "Feminismus") or by its parts."""
        if not self.rules.nouns_capitalised:
            return False
        lowered = word.lower()
        if any(lowered.endswith(ending) and len(lowered) > len(ending) + 2
               for ending in self.rules.noun_endings):
            return True
        return self.is_compound(word)

    def is_coarse(self, word: str) -> bool:
        """A country, region, language, month or weekday name."""
        return bool(self.bases(word) & self.packages.coarse)

    def is_function_word(self, word: str) -> bool:
        """A stop word of the language (it never starts a street name)."""
        return fold(word) in self.function_words

    def knows(self, word: str) -> bool:
        """The library uses the word (or an inflected form of it) as a common word."""
        return self.lexicon.knows(word)

    def writes_lower(self, word: str) -> bool:
        """The library writes this form in lower case, or it is a stop word."""
        return self.lexicon.writes_lower(word) or fold(word) in self.function_words

    def writes_capitalised(self, word: str) -> bool:
        """The library writes the word with a capital inside sentences of several texts."""
        return bool(self.bases(word) & self.lexicon.capitalised)

    def is_name(self, word: str) -> bool:
        """A first or last name of the packages' lists (inflected forms too), a short form of
        a first name, or a word with a surname ending the library does not know."""
        bases = self.name_bases(word)
        packages = self.packages
        if bases & packages.first_names or bases & packages.last_names:
            return True
        if bases & self.rules.nicknames:
            return True
        return self.has_name_ending(word) and not self.knows(word)

    def is_first_name(self, word: str) -> bool:
        """A first name of the lists or a short form of one."""
        bases = self.name_bases(word)
        return bool(bases & self.packages.first_names or bases & self.rules.nicknames)

    def name_bases(self, word: str) -> set[str]:
        """The forms a name can have in the text: German and English add only a genitive
        -s ("Peters", "Tom's"); the other languages decline names."""
        if self.rules.names_inflect:
            return self.bases(word)
        folded = fold(word)
        return {folded, folded.removesuffix("'s").removesuffix("’s").removesuffix("s")}

    def has_name_ending(self, word: str) -> bool:
        """ "Wrzesińska", "Vasilescu": endings that mark a surname in the language."""
        lowered = word.lower()
        return any(lowered.endswith(ending) and len(lowered) > len(ending) + 2
                   for ending in self.rules.name_endings)

    def is_place(self, word: str) -> bool:
        """A town or street of the packages' lists."""
        return bool(self.bases(word) & self.packages.places)

    def is_compound(self, word: str) -> bool:
        """German: a word made of known words ("Reichsbürgerflugblatt" = Reichsbürger +
        Flugblatt), with the joining -s-, -n-, -es-, -en- between them."""
        folded = fold(word)
        if folded not in self._compounds:
            self._compounds[folded] = self._splits(folded, 0)
        return self._compounds[folded]

    def _splits(self, word: str, depth: int) -> bool:
        if depth > 3:
            return False
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            if not self._part(tail):
                continue
            for joint in ("", "s", "n", "es", "en", "e"):
                stem = head[: len(head) - len(joint)] if joint and head.endswith(joint) else head
                if (joint == "" or head.endswith(joint)) and len(stem) >= MIN_PART and (
                        self._part(stem) or self._splits(stem, depth + 1)):
                    return True
        return False

    def _part(self, part: str) -> bool:
        """A piece of a compound: a word of the library or of the vocabulary."""
        lexicon = self.lexicon
        return (part in lexicon.lower or part in lexicon.capitalised or part in lexicon.bases
                or part in self.kept or part in self.packages.coarse) and len(part) >= MIN_PART


def knowledge(language: str, lexicon: Lexicon, keep: Iterable[str] = (),
              function_words: Iterable[str] = ()) -> Knowledge:
    """The knowledge for texts in `language`: `keep` are words never removed (the taxonomy's
    and the thesaurus's labels, the case's city), `function_words` the language's stop words
    beside the small list of app.core.text; the packages' country, language, month and
    weekday names are added here."""
    rules = rules_for(language)
    packages = package_words(language)
    phrases = [phrase.split() for phrase in keep if phrase]
    words = {word.strip("„“”\"'’.,()") for phrase in phrases for word in phrase} - {""}
    kept = {fold(base) for word in words for base in rules.bases(word)}
    single = {phrase[0] for phrase in phrases if len(phrase) == 1 and phrase[0][:1].isupper()}
    always = {fold(base) for word in single for base in rules.bases(word)}
    stems = {key for word in single for key in stem_keys(word.lower(), language)
             if len(key) >= MIN_STEM}
    names = {tuple(fold(word) for word in phrase) for phrase in phrases
             if len(phrase) > 1 and any(word[:1].isupper() for word in phrase)}
    return Knowledge(
        language=language, lexicon=lexicon, kept=frozenset(kept),
        kept_always=frozenset(always | packages.coarse), kept_stems=frozenset(stems),
        phrases=frozenset(names),
        function_words=frozenset(fold(word) for word in (*STOP_WORDS.get(language, ()),
                                                         *function_words)),
        packages=packages,
    )


def with_kept(known: Knowledge, words: Iterable[str]) -> Knowledge:
    """The same knowledge keeping some words more, whatever the lists say (a case's city)."""
    rules = known.rules
    extra = {fold(base) for word in words for part in word.replace("-", " ").split()
             for base in rules.bases(part)}
    return replace(known, kept_always=known.kept_always | extra, kept=known.kept | extra,
                   _compounds={})
