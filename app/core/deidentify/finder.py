"""Where a text names someone: contact details, addresses, classes and dates found by pattern,
then names and places found word by word with what the language knows (see __init__)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from app.core import personal_data
from app.core.deidentify.knowledge import Knowledge
from app.core.deidentify.lexicon import TOKEN_RE
from app.core.deidentify.rules import (
    CLUB_PREFIXES,
    COMMON_STREET_SUFFIXES,
    NAME_INTRODUCERS,
    STREET_AFTER,
    STREET_BEFORE,
    STREET_SUFFIXES,
    LanguageRules,
)
from app.core.text import fold


@dataclass(frozen=True)
class Span:
    """A stretch of the original text that identifies someone: [start, end) and its kind."""

    start: int
    end: int
    kind: str
    text: str


# Patterns -----------------------------------------------------------------------------------

URL_RE = re.compile(
    r"\b(?:https?://|www\.)[^\s<>()\"]+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|de|pl|ro|hu|eu|info|io|tv|me|uk|at)"
    r"/[^\s<>()\"]+", re.IGNORECASE)
HANDLE_RE = re.compile(r"(?<![\w@.])@\w[\w.\-]*\w|(?<![\w@.])@\w")
HANDLE_WORD_RE = re.compile(r"^(?=.*[A-Za-z])(?:\w*_\w*|[A-Za-z]{2,}\d{2,}\w*)$")
NUMERIC_DATE_RE = re.compile(
    r"\b\d{1,2}[./-]\s?\d{1,2}[./-]\s?(?:\d{4}|\d{2})\b"
    r"|\b\d{4}[-./]\s?\d{1,2}[-./]\s?\d{1,2}\b(?:\.(?!\s[A-ZÄÖÜ]|\s*$))?")
PLATE_RES = (
    re.compile(r"\b[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2} ?\d{1,4}[EH]?\b"),  # B-AB 1234, M XY 123
    re.compile(r"\b[A-Z]{2,3} ?(?=[0-9A-Z]*\d)[0-9][0-9A-Z]{3,4}\b"),  # WA 12345, KR 4567C
    re.compile(r"\b(?:B|[A-Z]{2}) ?\d{2,3} ?[A-Z]{3}\b"),  # B 123 ABC, CJ 12 ABC
    re.compile(r"\b(?:[A-Z]{2} )?[A-Z]{2,3}-\d{3}\b"),  # ABC-123, AA BC-123
    re.compile(r"\b[A-Z]{2}\d{2} ?[A-Z]{3}\b"),  # AB12 CDE
)
UK_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b")
POSTCODE_RES = {
    "de": re.compile(r"\b\d{5}(?= [A-ZÄÖÜ])"),
    "pl": re.compile(r"\b\d{2}-\d{3}\b"),
    "ro": re.compile(r"\b\d{6}\b"),
    "hu": re.compile(r"(?<![\d.])\b(?!19\d\d|20\d\d)\d{4}(?= [A-ZÁÉÍÓÖŐÚÜŰ])"),
}
CLASS_RES = (
    re.compile(r"(?<![\w.,/-])\d{1,2}[a-f](?![\w-])"),  # 7b, 10c
    re.compile(r"(?<![\w.,/-])\d{1,2}(?:\. ?| )[a-fA-F](?= osztály| klas| class)"),  # 8. b
    re.compile(r"\b(?:[IVX]{1,4}|\d{1,2})-a [A-F]\b"),  # clasa a VII-a B
    re.compile(r"(?<=[Kk]lasse )\d{1,2} ?[a-fA-F]\b|(?<=[Cc]lass )\d{1,2} ?[A-F]\b"),
    re.compile(r"(?<=klas[aiy] )\d{1,2} ?[a-fA-F]\b|(?<=klasie )\d{1,2} ?[a-fA-F]\b"),
)
NUMBER_RE = re.compile(r"\b(?:nr|Nr|NR)\.? ?\d+[a-zA-Z]?(?:/\d+)?\b")
PATRON_RE = re.compile(r"\b(?:im\.|imienia) ")
INTRODUCED_RE = re.compile(
    rf"\b(?:{NAME_INTRODUCERS}) ?[„\"“»']([A-ZÀ-ÞĀ-Ž][^„\"“”»'\n]{{1,60}})[“”\"«']")
CLUB_RE = re.compile(rf"\b(?:{CLUB_PREFIXES}) (?=[A-ZÄÖÜŁŚŻ])")
FLAT_RE = re.compile(r"\b(?:Flat|Apartment|Apt\.?|Wohnung|mieszkanie|apartamentul) \d+[A-Za-z]?\b")
ADDRESS_TAIL_RE = re.compile(
    r"(?:,? (?:nr\.?|Nr\.?|bl\.|sc\.|et\.|ap\.|m\.|lok\.) ?[\w/]+)+|\s?\d+[a-zA-Z]?(?:/\d+)?"
    r"(?:\.? ?[IVX]+/\d+\.?)?")
# A house number; the dot after it (Hungarian: "utca 23. alatt") only when the sentence
# goes on in lower case.
HOUSE_NUMBER_RE = re.compile(
    r" \d{1,4} ?[a-zA-Z]?(?:/\d+)?\b(?:\.(?= [a-zà-ž]))?(?: ?[IVX]+/\d+(?:\.(?= [a-zà-ž]))?)?")
AGE_RE = re.compile(r" ?\(\d{1,2}\)|, \d{1,2}(?=,)")
WORD = r"[\wÀ-ž'’.]+"
RUN_WORD_RE = re.compile(r"[„\"]?([\w'’.-]+)[”\"]?")
STREET_BEFORE_RES = {language: re.compile(rf"(?<!\w)(?:{words}) ", re.IGNORECASE)
                     for language, words in STREET_BEFORE.items()}
STREET_AFTER_RES = {language: re.compile(rf"(?<= )(?:{words})(?![\wÀ-ž])")
                    for language, words in STREET_AFTER.items()}
COMPOUND_STREET_RE = re.compile(
    rf"\b(?:([A-ZÄÖÜ][\wäöüß]+er) )?[A-ZÄÖÜ][\wäöüß]*?(?:{'|'.join(STREET_SUFFIXES)})\.?(?![\w])")
BARE_STREET_WORDS = frozenset(fold(suffix) for suffix in STREET_SUFFIXES)


@lru_cache(maxsize=8)
def _date_res(language: str) -> tuple[re.Pattern, ...]:
    """Written-out full dates in a language: "12. März 2009", "3 May 2009", "2009. március 12."."""
    from babel import Locale

    months: set[str] = set()
    for code in {language, "en"}:
        for context in Locale.parse(code).months.values():
            for width in context.values():
                months.update(name.lower().rstrip(".") for name in width.values()
                              if len(name) > 2)
    names = "|".join(sorted(map(re.escape, months), key=len, reverse=True))
    return (
        re.compile(rf"\b\d{{1,2}}\.? (?:{names})\.? \d{{4}}\b(?: r\.)?", re.IGNORECASE),
        re.compile(rf"\b(?:{names}) \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b", re.IGNORECASE),
        re.compile(rf"\b\d{{4}}\. (?:{names}) \d{{1,2}}\.?(?:-[a-zé]+)?", re.IGNORECASE),
    )


# The finder ---------------------------------------------------------------------------------


class _Found:
    """Spans found so far, with the characters they cover (no two spans overlap)."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[Span] = []
        self.taken = bytearray(len(text))

    def add(self, start: int, end: int, kind: str) -> None:
        """Take [start, end) unless part of it is taken already."""
        while end > start and self.text[end - 1] in " ,;:":
            end -= 1
        if end <= start or any(self.taken[start:end]):
            return
        self.taken[start:end] = b"\x01" * (end - start)
        self.spans.append(Span(start, end, kind, self.text[start:end]))

    def free(self, start: int, end: int) -> bool:
        """True when nothing in [start, end) is taken."""
        return not any(self.taken[start:end])


def find_spans(text: str, knowledge: Knowledge) -> list[Span]:
    """Every identifying stretch of `text`, in text order, adjacent ones joined."""
    found = _Found(text or "")
    _contacts(found)
    _dates(found, knowledge.language)
    for start, end in _phones(found.text):
        found.add(start, end, "phone")
    _places(found, knowledge)
    _classes_and_numbers(found)
    _WordPass(found, knowledge).run()
    return _joined(sorted(found.spans, key=lambda span: span.start), found.text)


def _contacts(found: _Found) -> None:
    """E-mail addresses, links with a path (a bare domain is no person) and @handles."""
    for match in personal_data.EMAIL_RE.finditer(found.text):
        found.add(match.start(), match.end(), "contact")
    for match in URL_RE.finditer(found.text):
        url = match.group().rstrip(".,;:!?'’")
        path = re.sub(r"^(?:https?://)?(?:www\.)?[^/]+", "", url, flags=re.IGNORECASE)
        if path not in ("", "/"):
            found.add(match.start(), match.start() + len(url), "link")
    for match in HANDLE_RE.finditer(found.text):
        found.add(match.start(), match.end(), "handle")


def _dates(found: _Found, language: str) -> None:
    """Full dates (day, month and year): a date of birth, or the day an incident can be
    looked up by. A month or a year alone stays."""
    for pattern in (*_date_res(language), NUMERIC_DATE_RE):
        for match in pattern.finditer(found.text):
            found.add(match.start(), match.end(), "date")


def _phones(text: str) -> list[tuple[int, int]]:
    """Phone numbers and other long digit runs (ID and account numbers)."""
    return [(m.start(), m.end()) for m in personal_data.PHONE_RE.finditer(text)
            if personal_data.looks_like_phone(m.group())
            and not NUMERIC_DATE_RE.fullmatch(m.group().strip())]


def _places(found: _Found, knowledge: Knowledge) -> None:
    """Street addresses, post codes and licence plates."""
    language = knowledge.language
    text = found.text
    if language in STREET_BEFORE_RES:
        for match in STREET_BEFORE_RES[language].finditer(text):
            end = _capitalised_run(text, match.end())
            if end > match.end():
                tail = ADDRESS_TAIL_RE.match(text, end)
                found.add(match.start(), tail.end() if tail else end, "address")
    if language in STREET_AFTER_RES:
        _streets_named_before(found, knowledge)
    _compound_streets(found, knowledge)  # "Lindenstraße 12" in any language's text
    for match in FLAT_RE.finditer(text):
        found.add(match.start(), match.end(), "address")
    for pattern in (*PLATE_RES, UK_POSTCODE_RE, POSTCODE_RES.get(language)):
        for match in pattern.finditer(text) if pattern is not None else ():
            found.add(match.start(), match.end(), "address")


def _capitalised_run(text: str, position: int, limit: int = 4) -> int:
    """The end of the capitalised words (and numbers like "3 Maja") from a position on."""
    end = position
    for _step in range(limit):
        match = RUN_WORD_RE.match(text, end)
        if not match or not (match.group(1)[0].isupper() or match.group(1)[0].isdigit()):
            break
        if match.group(1)[0].isdigit() and end > position:
            break  # the house number: left to ADDRESS_TAIL_RE
        end = match.end()
        if text[end:end + 1] != " ":
            break
        end += 1
    return end - 1 if end > position and text[end - 1] == " " else end


def _streets_named_before(found: _Found, knowledge: Knowledge) -> None:
    """ "12 Elm Street", "Berliner Straße 5", "a Kossuth Lajos utcában 12."."""
    text = found.text
    for match in STREET_AFTER_RES[knowledge.language].finditer(text):
        start = match.start()
        words_before = 0
        while words_before < 3:
            previous = re.search(rf"({WORD}) $", text[:start])
            if not previous or not previous.group(1)[0].isupper() \
                    or knowledge.is_function_word(previous.group(1)):
                break
            start, words_before = previous.start(1), words_before + 1
        if words_before == 0:
            continue
        number = re.search(r"(?:^|\s)(\d{1,4}[a-z]?,? )$", text[:start])
        if number:
            start = number.start(1)
        tail = HOUSE_NUMBER_RE.match(text, match.end())
        found.add(start, tail.end() if tail else match.end(), "address")


def _compound_streets(found: _Found, knowledge: Knowledge) -> None:
    """German street names in one word ("Lindenstraße 12", "Mainzer Landstraße"); a word
    that is also a common noun ("Spielplatz", "Schulweg") counts only with a house number."""
    for match in COMPOUND_STREET_RE.finditer(found.text):
        start = match.start()
        if match.group(1) and knowledge.is_function_word(match.group(1)):
            start = match.start() + len(match.group(1)) + 1  # "Der Platz", not "Mainzer"
        word = found.text[start:match.end()].rstrip(".")
        last = word.split(" ")[-1]
        tail = HOUSE_NUMBER_RE.match(found.text, match.end())
        if fold(last) in BARE_STREET_WORDS:
            if " " not in word:
                continue  # "die Straße" itself
        elif not tail and (last.lower().endswith(COMMON_STREET_SUFFIXES)
                           or knowledge.knows(last)):
            continue
        found.add(start, tail.end() if tail else start + len(word), "address")


def _classes_and_numbers(found: _Found) -> None:
    """Parallel classes ("7b", "Klasse 8c", "a VII-a B"), numbers of schools or houses
    ("nr 12") and patrons that name a school ("im. Jana Pawła II")."""
    for pattern in CLASS_RES:
        for match in pattern.finditer(found.text):
            found.add(match.start(), match.end(), "class")
    for match in NUMBER_RE.finditer(found.text):
        found.add(match.start(), match.end(), "number")
    for pattern in (PATRON_RE, CLUB_RE):
        for match in pattern.finditer(found.text):
            end = _capitalised_run(found.text, match.end())
            if end > match.end():
                start = match.end() if pattern is PATRON_RE else match.start()
                found.add(start, end, "place")
    for match in INTRODUCED_RE.finditer(found.text):
        found.add(match.start(1), match.end(1), "name")


# Word by word ------------------------------------------------------------------------------


@dataclass
class _Token:
    start: int
    end: int
    text: str
    kind: str | None = None


class _WordPass:
    """Names and places among the words not yet taken by a pattern."""

    def __init__(self, found: _Found, knowledge: Knowledge):
        self.found = found
        self.text = found.text
        self.knowledge = knowledge
        self.rules: LanguageRules = knowledge.rules
        self.tokens = [_Token(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(self.text)
                       if found.free(m.start(), m.end())]

    def run(self) -> None:
        """Decide each word, then widen to the words that belong to the same name."""
        protected = self._in_phrases()
        for index, token in enumerate(self.tokens):
            token.kind = None if index in protected else self._kind(index)
        self._widen()
        self._same_names(protected)
        for index, token in enumerate(self.tokens):
            if token.kind:
                self.found.add(token.start, self._with_age(index), token.kind)

    def _in_phrases(self) -> set[int]:
        """Positions of the words of a capitalised label of several words ("Legiunea
        Arhanghelului Mihail"): their names are part of the vocabulary."""
        phrases = self.knowledge.phrases
        if not phrases:
            return set()
        lengths = {len(phrase) for phrase in phrases}
        folded = [fold(token.text) for token in self.tokens]
        found: set[int] = set()
        for start in range(len(folded)):
            for length in lengths:
                if tuple(folded[start:start + length]) in phrases:
                    found.update(range(start, start + length))
        return found

    # One word ------------------------------------------------------------------------------

    def _kind(self, index: int) -> str | None:
        token = self.tokens[index].text
        if HANDLE_WORD_RE.match(token):
            return "handle"
        if not token[0].isupper() or (token.isupper() and len(token) > 1) or len(token) < 2:
            return None
        lowered = token.lower()
        if lowered in self.rules.titles or lowered in self.rules.titles_after:
            return None
        previous, following = self._neighbour(index, -1), self._neighbour(index, 1)
        if previous and previous.text.lower() in self.rules.titles:
            return "name"
        if following and following.text.lower() in self.rules.titles_after:
            return "name"
        knowledge = self.knowledge
        if knowledge.is_nickname(token):
            return "name"
        if knowledge.is_always_kept(token):
            return None
        if self._opens_sentence(index):
            return self._first_word_kind(index, token, following)
        return self._inner_word_kind(index, token)

    def _inner_word_kind(self, index: int, token: str) -> str | None:
        """A capitalised word inside a sentence: a listed name unless German grammar makes
        it a noun; else kept when the language knows it, removed when nothing does."""
        knowledge = self.knowledge
        german = self.rules.nouns_capitalised
        if knowledge.is_name(token):
            if knowledge.is_ambiguous_name(token) or (
                    german and self._after_article(index) and not knowledge.is_first_name(token)):
                return None  # "der Koch", "seit dem Sommer"; not "der Heinrich-Hertz-Schule"
            return "name"
        if knowledge.is_kept(token):
            return None
        if knowledge.is_place(token) and not knowledge.writes_capitalised(token):
            return "place"
        if knowledge.knows(token):
            return None
        if german and (self._after_article(index) or knowledge.looks_like_noun(token)):
            return None
        return "name"

    def _first_word_kind(self, index: int, token: str, following: _Token | None) -> str | None:
        """A capitalised word that opens a sentence: a name when the lists name it and the
        language does not also use it as a common word ("Tomasz saw", not "Will we")."""
        knowledge = self.knowledge
        known = knowledge.knows(token) or knowledge.is_kept(token) or knowledge.looks_like_noun(
            token)
        if knowledge.is_name(token) and not known and not knowledge.writes_lower(token):
            return "name"
        if following and following.text[0].isupper() and knowledge.is_name(following.text) \
                and not known and not knowledge.is_kept(following.text):
            return "name"
        if not known and self.text[self.tokens[index].end:][:1] == ",":
            return "name"  # an unknown word before an apposition: "Olekszandr, egy fiú"
        return None

    def _opens_sentence(self, index: int) -> bool:
        """True for the first word of the text, a sentence, a line, a list item or a quote."""
        token = self.tokens[index]
        before = self.text[max(0, token.start - 12):token.start]
        return not before.strip() or bool(re.search(r"[.!?:;…\n•\-–„“\"«(]\s*$", before))

    def _after_article(self, index: int) -> bool:
        """German: "der Koch", "einen jungen Richter" read as nouns, "Herr Koch" does not."""
        previous = self._neighbour(index, -1)
        if previous is None:
            return False
        word = previous.text.lower()
        return word in self.rules.determiners or (
            previous.text.islower() and word.endswith(("e", "en", "er", "es", "em")))

    def _neighbour(self, index: int, step: int) -> _Token | None:
        """The word next to this one when only spaces or a dot and a space separate them."""
        other = index + step
        if not 0 <= other < len(self.tokens):
            return None
        left, right = sorted((self.tokens[index], self.tokens[other]), key=lambda t: t.start)
        gap = self.text[left.end:right.start]
        return self.tokens[other] if gap in (" ", ". ", "-") else None

    # Whole names ---------------------------------------------------------------------------

    def _widen(self) -> None:
        """Words joined to a name belong to it: "Kovács Péter", "Anna-Lena", "Tomasz K."."""
        changed = True
        while changed:
            changed = False
            for index, token in enumerate(self.tokens):
                if token.kind is not None:
                    continue
                for step in (-1, 1):
                    other = self._neighbour(index, step)
                    if other is not None and other.kind in ("name", "place") \
                            and self._joins(token, other, step):
                        token.kind, changed = other.kind, True
                        break

    def _same_names(self, protected: set[int]) -> None:
        """A name found once is a name wherever the text repeats it, in any form: "Wiktoria
        Kamińska ... Wiktorii pomaga" (at a sentence start the lists may not know it)."""
        knowledge = self.knowledge
        names = {base for token in self.tokens if token.kind == "name"
                 for base in knowledge.name_bases(token.text)}
        changed = False
        for index, token in enumerate(self.tokens):
            if token.kind is None and index not in protected and token.text[0].isupper() \
                    and len(token.text) > 2 and not knowledge.is_function_word(token.text) \
                    and knowledge.name_bases(token.text) & names:
                token.kind, changed = "name", True
        if changed:
            self._widen()

    def _joins(self, token: _Token, name: _Token, step: int) -> bool:
        """True when a capitalised word next to a name is part of it."""
        word = token.text
        gap = self.text[min(token.end, name.end):max(token.start, name.start)]
        if len(word) == 1:
            return word.isupper() and self.text[token.end:token.end + 1] == "."  # "T. Nowak"
        if gap == ". " or not word[0].isupper() or (word.isupper() and gap != "-"):
            return False
        lowered = word.lower()
        if lowered in self.rules.titles or lowered in self.rules.titles_after:
            return False
        knowledge = self.knowledge
        if knowledge.is_function_word(word):
            return False
        if knowledge.is_always_kept(word):  # "Lengyel Éva": a country's word and a surname
            return knowledge.is_name(word) or (gap == "-" and not knowledge.is_coarse(word))
        if self.rules.nouns_capitalised:
            return gap == "-" or not (knowledge.knows(word) or knowledge.is_kept(word))
        if self._opens_sentence(self.tokens.index(token)):  # "Trener Piotr", "Nagy Péter"
            return knowledge.is_name(word) or not knowledge.knows(word)
        return True

    def _with_age(self, index: int) -> int:
        """The end of a name, with the age written right after it: "Tomasz (15)"."""
        token = self.tokens[index]
        end = token.end
        if token.kind == "name" and self.text[end:end + 1] == ".":
            if len(token.text) == 1:
                end += 1  # an initial: "K."
        age = AGE_RE.match(self.text, end)
        return age.end() if age and token.kind == "name" else end


def _joined(spans: list[Span], text: str) -> list[Span]:
    """Neighbouring spans separated only by spaces or a hyphen become one."""
    joined: list[Span] = []
    for span in spans:
        if joined and text[joined[-1].end:span.start] in (" ", "-", "", ", ") and (
                joined[-1].kind == span.kind or text[joined[-1].end:span.start] != ", "):
            last = joined[-1]
            joined[-1] = Span(last.start, span.end, last.kind, text[last.start:span.end])
        else:
            joined.append(span)
    return joined
