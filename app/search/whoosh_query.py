"""What a search query means for the Whoosh index: sanitising, parsing, widening, correcting."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.qparser import syntax
from whoosh.query import And, AndNot, NullQuery, Or, Query, Term
from whoosh.support.levenshtein import distance

from app.core.text import LANGUAGES, WORD_RE, is_stop_word
from app.search.whoosh_schema import FIELD_BOOSTS, TEXT_FIELDS

TOPIC_FIELD = "topic"
ANY_WORD_SHARE = 0.9  # OrGroup factor: documents with more of the words rank higher
ALL_WORDS_BOOST = 3.0  # in a widened search, documents with every word still come first
TOPIC_BOOST = 0.5  # a query topic (from the lexicons) only lifts documents without the words
MIN_CORRECTED_LETTERS = 3  # shorter words have too many neighbours to guess from
SHORT_WORD = 5  # letters: at most one edit is corrected in words this short
# Whoosh walks the terms with an automaton: one edit costs ~2.5 ms per language at 10,000
# items when the first letter is kept, two edits ~20 ms unless the first two letters are kept.
ONE_EDIT_PREFIX, TWO_EDITS_PREFIX = 1, 2
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_FIELD_RE = re.compile(r"[\w.-]+:")  # "title:x" -> "x": field names are not searchable
_SYNTAX_RE = re.compile(r"[:*?^~\[\]{}\\/]")
_QUERY_WORD_RE = re.compile(r"[\w'’-]+")
_BRACKET_RE = re.compile(r"[()]")
_MINUS_RE = re.compile(r"(?:(?<=\s)|^)-(?=[\w\"(])")  # "-berlin" is "NOT berlin", as elsewhere
# Whoosh fails on NOT before another operator and reads an operator at either end as a word.
_NOT_BEFORE_OPERATOR_RE = re.compile(r"\bNOT\s+(?=(?:AND|OR|NOT)\b)")
_DANGLING_OPERATORS_RE = re.compile(r"^(?:(?:AND|OR)\b\s*)+|(?:\s*\b(?:AND|OR|NOT))+$")
_BRACKETS = (qparser.GroupPlugin.OpenBracket, qparser.GroupPlugin.CloseBracket)


@dataclass
class _QueryParts:
    """A sanitised AND-only query's words and "phrases" (as typed) by the role they play."""

    required: list[str] = field(default_factory=list)  # phrases and words joined by AND
    plain: list[str] = field(default_factory=list)  # words only implicitly AND-ed
    excluded: list[str] = field(default_factory=list)  # words and phrases after NOT


def sanitise_query(text: str) -> str:
    """User text minus field syntax, wildcards, boosts, every language's stop words and
    operators with nothing to join; AND/OR/NOT and "quotes" are kept."""
    cleaned = _MINUS_RE.sub("NOT ", _SYNTAX_RE.sub(" ", _FIELD_RE.sub(" ", text or "")))
    kept = " ".join(_QUERY_WORD_RE.sub(_keep_word, _balanced(cleaned)).split())
    return _DANGLING_OPERATORS_RE.sub("", _NOT_BEFORE_OPERATOR_RE.sub("", kept))


def _balanced(text: str) -> str:
    """The text, or without brackets when they do not pair up (Whoosh fails on "NOT (NOT")."""
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    return text if depth == 0 else _BRACKET_RE.sub(" ", text)


def _keep_word(match: re.Match) -> str:
    """The word itself, or a space when it is a stop word (operators are kept)."""
    word = match.group()
    return word if word in _OPERATORS or not is_stop_word(word) else " "


def make_parser(schema: Schema, any_word: bool = False) -> qparser.MultifieldParser:
    """A restricted parser: words, "phrases", AND/OR/NOT and brackets; nothing else.
    Words are all required, or with any_word each one counts (more of them rank higher)."""
    boosts = {name: FIELD_BOOSTS[name.split("_")[0]] for name in TEXT_FIELDS}
    group = qparser.OrGroup.factory(ANY_WORD_SHARE) if any_word else qparser.AndGroup
    parser = qparser.MultifieldParser(TEXT_FIELDS, schema, fieldboosts=boosts, group=group)
    for plugin in (
        qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.RangePlugin,
        qparser.BoostPlugin, qparser.EveryPlugin, qparser.SingleQuotePlugin,
    ):
        parser.remove_plugin_class(plugin)
    parser.replace_plugin(qparser.OperatorsPlugin(AndNot=None, AndMaybe=None, Require=None))
    return parser


def parse_query(schema: Schema, text: str) -> Query | None:
    """The user's text with every word required, or None when nothing searchable is left."""
    cleaned = sanitise_query(text)
    return _parsed(make_parser(schema), cleaned) if cleaned else None


def widened_query(schema: Schema, text: str, topics: list[str]) -> Query | None:
    """The query for "too few results": its plain words become some-of-them (all of them
    rank first) or one of the topics, while NOT, AND and "phrases" keep their meaning.
    None when the user wrote OR or brackets (their own logic) or nothing can widen."""
    cleaned = sanitise_query(text)
    parser = make_parser(schema)
    parts = _query_parts(parser, cleaned) if cleaned else None
    if parts is None or not parts.plain or (len(parts.plain) == 1 and not topics):
        return None
    plain = " ".join(parts.plain)
    some = Or([
        parser.parse(plain).with_boost(ALL_WORDS_BOOST),
        make_parser(schema, any_word=True).parse(plain),
        *[Term(TOPIC_FIELD, topic, boost=TOPIC_BOOST) for topic in topics],
    ])
    widened = And([*[parser.parse(piece) for piece in parts.required], some])
    if parts.excluded:
        widened = AndNot(widened, Or([parser.parse(piece) for piece in parts.excluded]))
    widened = widened.normalize()
    return None if widened is NullQuery else widened


def _parsed(parser: qparser.QueryParser, text: str) -> Query | None:
    """The parsed text, or None when nothing searchable is left."""
    try:
        parsed = parser.parse(text)
    except IndexError:  # Whoosh fails on some tangles of quotes and NOT: the words alone
        typed = _QUERY_WORD_RE.findall(text)
        parsed = parser.parse(" ".join(word for word in typed if word not in _OPERATORS))
    return None if parsed is NullQuery else parsed


def _query_parts(parser: qparser.QueryParser, text: str) -> _QueryParts | None:
    """The operands of a sanitised query by role, as Whoosh reads them (NOT binds to the next
    operand, AND to both its neighbours); None when the query has OR or brackets."""
    operands: list[tuple[str, bool, bool]] = []  # (text as typed, negated, is a phrase)
    joined: set[int] = set()  # operands next to an AND
    negated = False
    for node in parser.tag(text):
        if isinstance(node, _BRACKETS) or isinstance(node, syntax.Operator) and node.text == "OR":
            return None
        if isinstance(node, syntax.Operator):
            negated = node.text == "NOT"
            if node.text == "AND":
                joined.update((len(operands) - 1, len(operands)))
        elif not isinstance(node, syntax.Whitespace):
            piece = text[node.startchar:node.endchar]
            phrase = isinstance(node, qparser.PhrasePlugin.PhraseNode)
            operands.append((piece if phrase else _as_word(piece), negated, phrase))
            negated = False
    parts = _QueryParts()
    for index, (piece, negated, phrase) in enumerate(operands):
        role = parts.excluded if negated else \
            parts.required if phrase or index in joined else parts.plain
        role.append(piece)
    return parts


def _as_word(piece: str) -> str:
    """A piece Whoosh reads as one word, safe to join to others: no stray quote, no operator."""
    word = piece.replace('"', " ").strip()
    return word.lower() if word in _OPERATORS else word


def query_language(searcher, text: str, page_language: str) -> str:
    """The language whose spelling field knows most of the query's words (ties: the page's)."""
    reader = searcher.reader()
    typed = _query_words(text)
    known = {lang: sum((f"spell_{lang}", word) in reader for word in typed)
             for lang in LANGUAGES}
    best = max(known.values())
    leaders = [lang for lang, count in known.items() if count == best]
    return leaders[0] if best and len(leaders) == 1 else page_language


def correct_query(
    searcher, text: str, languages: list[str], max_words: int = 3, budget_seconds: float = 0.15
) -> str | None:
    """The text with unknown words replaced by the closest word of the languages' spelling
    fields, first language first; operators, quotes and other words stay as typed. At most
    max_words are looked up, none after the budget; None when nothing changed."""
    deadline = time.monotonic() + budget_seconds
    cleaned = " ".join(_SYNTAX_RE.sub(" ", _FIELD_RE.sub(" ", text or "")).split())
    pieces, done, attempts = [], 0, 0
    for match in WORD_RE.finditer(cleaned):
        if attempts >= max_words or time.monotonic() >= deadline:
            break
        typed = match.group()
        if not _correctable(typed) or _known(searcher, typed.lower(), languages):
            continue
        attempts += 1
        found = _closest_word(searcher, typed.lower(), languages)
        if found:
            pieces += [cleaned[done:match.start()], _cased_like(typed, found)]
            done = match.end()
    return "".join(pieces) + cleaned[done:] if pieces else None


def _query_words(text: str) -> list[str]:
    """The searchable words of a query in lower case (no operators, no stop words)."""
    return [word.lower() for word in WORD_RE.findall(sanitise_query(text))
            if word not in _OPERATORS]


def _correctable(word: str) -> bool:
    """A word worth correcting: no operator, stop word, number or abbreviation-short word."""
    return word not in _OPERATORS and len(word) >= MIN_CORRECTED_LETTERS and \
        word.isalpha() and not is_stop_word(word)


def _known(searcher, word: str, languages: list[str]) -> bool:
    """True when a spelling field has the word, or a text field of the languages one of its
    stems (a stem of another language met by chance does not make a typo a word)."""
    reader, schema = searcher.reader(), searcher.schema
    for lang in LANGUAGES:
        if (f"spell_{lang}", word) in reader:
            return True
    for lang in languages:
        stems = list(schema[f"body_{lang}"].process_text(word, mode="query"))
        if any((f"{part}_{lang}", key) in reader for part in FIELD_BOOSTS for key in stems):
            return True
    return False


def _closest_word(searcher, word: str, languages: list[str]) -> str | None:
    """The closest spelling in the first language that has one, most frequent on ties."""
    reader = searcher.reader()
    for lang in dict.fromkeys(languages):
        name = f"spell_{lang}"
        found = _swapped(reader, name, word) | \
            _words_within(reader, name, word, 1, ONE_EDIT_PREFIX)
        if not found and len(word) > SHORT_WORD:
            found = _words_within(reader, name, word, 2, TWO_EDITS_PREFIX)
        if found:
            return min(found, key=lambda candidate: (
                distance(word, candidate), -reader.frequency(name, candidate), candidate))
    return None


def _swapped(reader, name: str, word: str) -> set[str]:
    """Words of a field that are the word with two neighbouring letters swapped (one edit
    for people, two for Whoosh's automaton): a lookup each, even at the first letter."""
    swaps = {word[:at] + word[at + 1] + word[at] + word[at + 2:] for at in range(len(word) - 1)}
    return {swap for swap in swaps - {word} if (name, swap) in reader}


def _words_within(reader, name: str, word: str, maxdist: int, prefix: int) -> set[str]:
    """Words of a field within maxdist edits sharing the prefix, segment by segment (Whoosh's
    reader of several segments would compare the word with every term of the field)."""
    found: set[str] = set()
    for leaf, _ in reader.leaf_readers():
        found.update(leaf.terms_within(name, word, maxdist, prefix=prefix))
    found.discard(word)
    return found


def _cased_like(typed: str, word: str) -> str:
    """The word with the typed word's capital initial ("Radicalisaton" -> "Radicalisation")."""
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word
