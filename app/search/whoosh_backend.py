"""The Whoosh implementation of SearchBackend: per-language fields, facets, matching, rebuild."""

from __future__ import annotations

import gc
import logging
import math
import os
import re
import shutil
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from markupsafe import escape
from whoosh import index as whoosh_index
from whoosh import qparser, sorting
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.query import And, AndMaybe, Every, NullQuery, Or, Prefix, Query, Term
from whoosh.searching import Results, ResultsPage

from app.content.taxonomy import derive_topics
from app.core.text import LANGUAGES, is_stop_word, words
from app.search.analysis import folded_analyzer, language_analyzer, plain_analyzer
from app.search.backend import (
    MatchHit,
    MatchRequest,
    Progress,
    SearchDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
)

log = logging.getLogger(__name__)

# Bump when fields or analyzers change: an index with another stamp is rebuilt, not read.
SCHEMA_VERSION = "2"
STAMP_FILE = "SCHEMA_VERSION"
# Facet name (URL argument, SearchQuery.filters key) -> index field.
FACETS = {"type": "type", "topic": "topics", "country": "countries", "language": "language",
          "audience": "audience", "evidence": "evidence"}
MULTI_VALUED = {"topics", "countries", "audience"}
FIELD_BOOSTS = {"title": 3.0, "summary": 2.0, "body": 1.0}
TEXT_FIELDS = [f"{part}_{lang}" for lang in LANGUAGES for part in FIELD_BOOSTS]
LANGUAGE_BOOST = 0.15  # the page language's small head start
SNIPPET_CHARS = 240
FEW_RESULTS = 5  # below this many hits: "did you mean", then documents with some words
ANY_WORD_SHARE = 0.9  # OrGroup factor: documents with more of the words rank higher
ALL_WORDS_BOOST = 3.0  # in a widened search, documents with every word still come first
TOPIC_BOOST = 0.5  # a query topic (from the lexicons) only lifts documents without the words
HIGHLIGHT_SCAN_CHARS = 1500  # snippets come from the start of long texts (analysis is costly)
_FIELD_RE = re.compile(r"[\w.-]+:")  # "title:x" -> "x": field names are not searchable
_SYNTAX_RE = re.compile(r"[:*?^~\[\]{}\\/]")
_MARK_CLASS_RE = re.compile(r'<mark class="[^"]*">')
_OPERATORS = {"AND", "OR", "NOT"}
_WRITE_LOCK = threading.RLock()  # one writer per process; Whoosh's file lock covers processes


class IndexUnavailable(RuntimeError):
    """The index is missing, corrupt or of another schema version."""


def build_schema() -> Schema:
    """Stored facts, facet fields, and title/summary/body per language with its analyzer."""
    schema = Schema(
        doc_id=ID(stored=True, unique=True),
        type=ID(stored=True),
        slug=STORED,
        language=ID(stored=True),
        title=STORED,
        summary=STORED,
        body=STORED,
        topics=KEYWORD(stored=True, commas=True),
        countries=KEYWORD(stored=True, commas=True),
        audience=KEYWORD(stored=True, commas=True),
        evidence=ID(stored=True),
        date=NUMERIC(int, stored=True, sortable=True, signed=False),
        title_sort=ID(sortable=True),
        title_prefix=TEXT(analyzer=folded_analyzer(), phrase=False),
        words=TEXT(analyzer=plain_analyzer(), phrase=False),
    )
    for lang in LANGUAGES:
        for part in FIELD_BOOSTS:
            schema.add(f"{part}_{lang}", TEXT(analyzer=language_analyzer(lang)))
    return schema


def document_fields(doc: SearchDocument) -> dict:
    """The Whoosh fields of one SearchDocument (text goes to its language's fields)."""
    lang = doc.language if doc.language in LANGUAGES else "en"
    fields = {
        "doc_id": doc.doc_id, "type": doc.type, "slug": doc.slug, "language": lang,
        "title": doc.title, "summary": doc.summary, "body": doc.body,
        "topics": ",".join(doc.topics), "countries": ",".join(doc.countries),
        "audience": ",".join(doc.audience), "evidence": doc.evidence or "",
        "date": doc.content_date.toordinal() if doc.content_date else 0,
        "title_sort": doc.title.casefold()[:100],
        "title_prefix": doc.title,
        "words": " ".join((doc.title, doc.summary, doc.body)),
        f"title_{lang}": doc.title, f"summary_{lang}": doc.summary, f"body_{lang}": doc.body,
    }
    return fields


def sanitise_query(text: str) -> str:
    """User text minus field syntax, wildcards, boosts and every language's stop words."""
    cleaned = _SYNTAX_RE.sub(" ", _FIELD_RE.sub(" ", text or ""))

    def keep(match: re.Match) -> str:
        """The word itself, or a space when it is a stop word."""
        word = match.group()
        return word if word in _OPERATORS or not is_stop_word(word) else " "

    return re.sub(r"[\w'’-]+", keep, cleaned).strip()


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
    return parser


def top_results(searcher, query: Query, limit: int, **options) -> Results:
    """searcher.search without Whoosh's matcher "replacement": WrappingMatcher.replace
    ignores the boost, so boosted title and summary clauses were pruned from short result
    lists (the Hungarian roundtable handbook fell off the first page)."""
    collector = searcher.collector(limit=limit, **options)
    inner = collector
    while hasattr(inner, "child"):
        inner = inner.child
    inner.replace = 0
    searcher.search_with_collector(query, collector)
    return collector.results()


def query_topics(text: str) -> list[str]:
    """Taxonomy topics named in a query in any language ("Runder Tisch" -> roundtables)."""
    return derive_topics(text, limit=3)


def filter_query(filters: dict[str, list[str]]) -> Query | None:
    """AND across facets, OR within one facet."""
    clauses = [
        Or([Term(FACETS[name], value) for value in values])
        for name, values in filters.items()
        if name in FACETS and values
    ]
    return And(clauses) if clauses else None


def _open_dir(path: Path):
    """Open an index folder; any unreadable index is "corrupt" (IndexUnavailable)."""
    problem = None
    # Whoosh leaves a broken file open; it is closed when the error is dropped, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return whoosh_index.open_dir(str(path))
        except Exception as error:  # noqa: BLE001
            problem = f"cannot open index: {error!r}"
        gc.collect()
    raise IndexUnavailable(problem)


class WhooshBackend:
    """SearchBackend over a Whoosh index folder."""

    def __init__(self, path: str, lock_timeout: float = 2.0, max_terms: int = 15) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.max_terms = max_terms
        self._cached: tuple[tuple, object] | None = None
        self._local = threading.local()  # one reusable searcher per thread

    # -- opening and health -------------------------------------------------------------
    def _open(self):
        """The open index, re-opened when a rebuild swapped in a new folder."""
        stamp = self.path / STAMP_FILE
        try:
            info = stamp.stat()
            version = stamp.read_text().strip()
        except OSError as error:
            raise IndexUnavailable(f"no index at {self.path}") from error
        if version != SCHEMA_VERSION:
            raise IndexUnavailable(f"index schema {version}, expected {SCHEMA_VERSION}")
        key = (info.st_ino, info.st_mtime_ns)
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, _open_dir(self.path))
        return self._cached[1]

    @contextmanager
    def _searcher(self) -> Iterator:
        """This thread's searcher, refreshed to the latest commit; opening one reads every
        segment file, which costs more than a whole match on 10,000 documents."""
        index = self._open()
        cached = getattr(self._local, "searcher", None)
        try:
            if cached is not None and cached[0] is index and cached[1].up_to_date():
                searcher = cached[1]
            else:
                if cached is not None:
                    cached[1].close()  # not shared: Whoosh's refresh(reuse=) fails on empty
                searcher = index.searcher()
        except Exception as error:  # noqa: BLE001
            self._local.searcher = None
            raise IndexUnavailable(f"cannot read index: {error}") from error
        self._local.searcher = (index, searcher)
        yield searcher

    def is_healthy(self) -> bool:
        """False when the index is missing, corrupt or of an old schema version."""
        return self.problem() is None

    def problem(self) -> str | None:
        """Why the index cannot be used, or None when it can."""
        try:
            with self._searcher() as searcher:
                searcher.doc_count()
                searcher.reader().doc_frequency("type", "x")
        except Exception as error:  # noqa: BLE001
            return str(error)
        return None

    def doc_count(self) -> int:
        """Documents in the index."""
        with self._searcher() as searcher:
            return searcher.doc_count()

    # -- writing -------------------------------------------------------------------------
    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents (raises whoosh LockError when another writer holds it)."""
        with _WRITE_LOCK:
            writer = self._open().writer(timeout=self.lock_timeout)
            try:
                for doc in documents:
                    writer.update_document(**document_fields(doc))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove documents by id."""
        with _WRITE_LOCK:
            writer = self._open().writer(timeout=self.lock_timeout)
            for doc_id in doc_ids:
                writer.delete_by_term("doc_id", doc_id)
            writer.commit()

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress: Progress) -> None:
        """Build a fresh index in a sibling folder, then swap it in."""
        building = self.path.with_name(f".{self.path.name}.building-{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        try:
            new_index = whoosh_index.create_in(str(building), build_schema())
            writer = new_index.writer(limitmb=128)
            for doc in documents:
                writer.add_document(**document_fields(doc))
                progress(1)
            writer.commit()
            (building / STAMP_FILE).write_text(SCHEMA_VERSION)
            with _WRITE_LOCK:
                self._swap_in(building)
        finally:
            shutil.rmtree(building, ignore_errors=True)

    def _swap_in(self, building: Path) -> None:
        """Replace the live folder by the built one (two renames; readers retry or fall back)."""
        old = self.path.with_name(f".{self.path.name}.old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        if self.path.exists():
            os.rename(self.path, old)
        os.rename(building, self.path)
        self._cached = None
        shutil.rmtree(old, ignore_errors=True)

    # -- searching -----------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchPage:
        """Answer a user search; all words must match unless that finds too little."""
        with self._searcher() as searcher:
            page = self._search_with(searcher, query, query.text)
            if page.total >= FEW_RESULTS or not query.text.strip():
                return page
            return self._improve(searcher, query, page)

    def _improve(self, searcher, query: SearchQuery, page: SearchPage) -> SearchPage:
        """Few results: offer a spelling correction (applied when nothing was found), then
        widen to documents with some of the words or the query's taxonomy topics."""
        suggestion, text = self._correct(searcher, query.text), query.text
        if suggestion and query.autocorrect:
            corrected = self._search_with(searcher, query, suggestion)
            if corrected.total >= _correction_needs(page.total):
                page, text = corrected, suggestion
                page.corrected = True
        if page.total < FEW_RESULTS:
            wider = self._search_with(searcher, query, text, any_word=True)
            if wider.total > page.total:
                wider.corrected, wider.broadened, page = page.corrected, True, wider
        page.suggestion = suggestion
        return page

    def _search_with(
        self, searcher, query: SearchQuery, text: str, any_word: bool = False
    ) -> SearchPage:
        """One search: parse, filter, sort, page, highlight and count facets."""
        parsed = self._parse(searcher, text, any_word)
        scored = AndMaybe(parsed, Term("language", query.language, boost=LANGUAGE_BOOST)) \
            if parsed is not None else Every()
        # Without words there is no relevance: browsing lists titles alphabetically.
        sort = query.sort if parsed is not None or query.sort != "relevance" else "title"
        sortedby, reverse = {"newest": ("date", True), "title": ("title_sort", False)}.get(
            sort, (None, False)
        )
        pagenum = max(1, query.page)
        results = ResultsPage(top_results(
            searcher, scored, pagenum * query.per_page,
            filter=filter_query(query.filters), sortedby=sortedby, reverse=reverse,
        ), pagenum, query.per_page)
        _set_highlighter(results.results)
        hits = [self._hit(hit) for hit in results]
        return SearchPage(
            hits=hits, total=results.total, page=results.pagenum,
            pages=math.ceil(results.total / query.per_page) if results.total else 0,
            facets=self._facets(searcher, parsed or Every(), query.filters),
        )

    def _parse(self, searcher, text: str, any_word: bool = False) -> Query | None:
        """The user's text as a restricted query, or None when nothing searchable is left;
        with any_word, documents need only some words or one of the text's topics."""
        cleaned = sanitise_query(text)
        if not cleaned:
            return None
        parsed = make_parser(searcher.schema).parse(cleaned)
        if parsed is NullQuery:
            return None
        if any_word:
            every = parsed.with_boost(ALL_WORDS_BOOST)
            some = make_parser(searcher.schema, any_word=True).parse(cleaned)
            topics = [Term("topics", key, boost=TOPIC_BOOST) for key in query_topics(text)]
            parsed = Or([every, some, *topics])
        return parsed

    def _hit(self, hit) -> SearchHit:
        """A SearchHit with a highlighted snippet."""
        return SearchHit(
            doc_id=hit["doc_id"], score=hit.score or 0.0, type=hit["type"], slug=hit["slug"],
            language=hit["language"], title=hit["title"], snippet=_snippet(hit),
        )

    def _facets(self, searcher, parsed: Query, filters: dict) -> dict[str, list[tuple[str, int]]]:
        """Counts per facet value; a facet's own filter is left out, so OR choices stay visible."""
        counts: dict[str, list[tuple[str, int]]] = {}
        for name in FACETS:
            others = {key: values for key, values in filters.items() if key != name}
            field = FACETS[name]
            facet = sorting.FieldFacet(field, allow_overlap=field in MULTI_VALUED,
                                       maptype=sorting.Count)
            results = searcher.search(parsed, limit=1, filter=filter_query(others),
                                      groupedby={name: facet}, scored=False)
            groups = results.groups(name)
            counts[name] = sorted(
                ((_text(value), count) for value, count in groups.items() if value),
                key=lambda item: (-item[1], item[0]),
            )
        return counts

    def _correct(self, searcher, text: str) -> str | None:
        """The text with unknown words replaced by the closest indexed word, or None."""
        corrector = searcher.corrector("words")
        reader = searcher.reader()
        changed, out = False, []
        for word in words(sanitise_query(text)):
            if reader.doc_frequency("words", word) == 0:
                found = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
                if found:
                    word, changed = found[0], True
            out.append(word)
        return " ".join(out) if changed else None

    # -- autocomplete ---------------------------------------------------------------------
    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        """Titles starting with the typed words, page language first, then indexed words."""
        typed = words(prefix)
        if not typed:
            return []
        with self._searcher() as searcher:
            titles = self._title_suggestions(searcher, typed, language, limit)
            terms = self._term_suggestions(searcher, typed, limit)
        return list(dict.fromkeys(titles + terms))[:limit]

    def _title_suggestions(
        self, searcher, typed: list[str], language: str, limit: int
    ) -> list[str]:
        """Titles containing the complete words and a word starting with the last one."""
        analyzer = searcher.schema["title_prefix"].analyzer
        folded = [token.text for token in analyzer(" ".join(typed))]
        if not folded:
            return []
        clauses = [Term("title_prefix", word) for word in folded[:-1]]
        clauses.append(Prefix("title_prefix", folded[-1]))
        results = searcher.search(And(clauses), limit=limit * 3)
        ranked = sorted(results, key=lambda hit: hit["language"] != language)
        return [hit["title"] for hit in ranked][:limit]

    def _term_suggestions(self, searcher, typed: list[str], limit: int) -> list[str]:
        """Completions of the last word by indexed words, most frequent first."""
        last, head = typed[-1], typed[:-1]
        if len(last) < 2:
            return []
        reader = searcher.reader()
        candidates = [_text(term) for term in reader.expand_prefix("words", last)]
        candidates = [term for term in candidates if len(term) > 2][:200]
        candidates.sort(key=lambda term: -reader.doc_frequency("words", term))
        return [" ".join([*head, term]) for term in candidates[:limit]]

    # -- matching -------------------------------------------------------------------------
    def match(self, request: MatchRequest) -> list[MatchHit]:
        """Rank documents for an alert (see whoosh_match), explained."""
        from app.search.whoosh_match import match_in

        with self._searcher() as searcher:
            return match_in(searcher, request, self.max_terms)


def _correction_needs(found: int) -> int:
    """Results the corrected query must find to replace the typed one: any when it found
    nothing, else clearly more ("radicalisaton" matched two Hungarian items by chance)."""
    return 1 if found == 0 else max(FEW_RESULTS, 3 * found)


def _set_highlighter(results) -> None:
    """<mark> highlights (text HTML-escaped by Whoosh), about two short fragments."""
    results.fragmenter = ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    results.formatter = HtmlFormatter(tagname="mark", classname="", termclass="", between=" … ")


def _snippet(hit) -> str:
    """Highlighted body or summary of the hit's language; else the escaped summary."""
    lang = hit["language"]
    for part in ("body", "summary"):
        text = (hit.get(part) or "")[:HIGHLIGHT_SCAN_CHARS]
        if text:
            try:
                found = hit.highlights(f"{part}_{lang}", text=text, top=2)
            except Exception:  # noqa: BLE001 - a snippet is never worth a failed page
                found = ""
            if found:
                return _MARK_CLASS_RE.sub("<mark>", found)
    return snippet_text(hit.get("summary") or hit.get("body") or "")


def snippet_text(text: str) -> str:
    """The start of a text, escaped, cut at a word."""
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"
    return str(escape(text))


def _text(value) -> str:
    """Whoosh gives terms as bytes in some places and str in others."""
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
