"""The Whoosh implementation of SearchBackend: one document per item, facets, lists, rebuild."""

from __future__ import annotations

import gc
import logging
import math
import os
import shutil
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    Not,
    NumericRange,
    Or,
    Phrase,
    Prefix,
    Query,
    Term,
)
from whoosh.searching import Results

from app.core.text import LANGUAGES, words
from app.search.backend import (
    IndexStatus,
    MatchHit,
    MatchRequest,
    Progress,
    RelatedQuery,
    SearchDocument,
    SearchHit,
    SearchPage,
    SearchQuery,
    best_language,
)
from app.search.facets import FacetTable, overlap_tiers
from app.search.merging import merge_policy, writing_codec
from app.search.snippets import marked_snippet, snippet_text
from app.search.whoosh_query import (
    correct_query,
    parse_query,
    query_language,
    sanitise_query,
    widened_query,
)
from app.search.whoosh_schema import (
    FACET_FIELDS,
    LIST_FIELDS,
    NO_DEADLINE,
    SCHEMA_VERSION,
    build_schema,
    document_fields,
    term_text,
)

log = logging.getLogger(__name__)

STAMP_FILE = "SCHEMA_VERSION"
LANGUAGE_BOOST = 0.15  # items in the page language get a small head start
FEW_RESULTS = 5  # below this many items in the library: "did you mean", then some words
_WRITE_LOCK = threading.RLock()  # one writer per process; Whoosh's file lock covers processes


class IndexUnavailable(RuntimeError):
    """The index is missing, corrupt or of another schema version."""


def top_results(searcher, query: Query, limit: int, **options) -> Results:
    """searcher.search without Whoosh's matcher "replacement" (WrappingMatcher.replace ignores
    the boost, so boosted title clauses were pruned) and without block-quality skipping (whose
    count re-runs the query without the filter): totals are exact."""
    collector = searcher.collector(limit=limit, **{"optimize": False, **options})
    inner = collector
    while hasattr(inner, "child"):
        inner = inner.child
    inner.replace = 0
    searcher.search_with_collector(query, collector)
    return collector.results()


def filter_query(query: SearchQuery) -> Query | None:
    """AND across filters, OR within one; donors' open or closed calls on a day."""
    clauses: list[Query] = [
        Or([Term(name, value) for value in values])
        for name, values in query.filters.items()
        if name in FACET_FIELDS + LIST_FIELDS and values
    ]
    if query.open_on:
        day = query.open_on.toordinal()
        clauses.append(Or([Term("rolling", "1"), NumericRange("deadline", day, NO_DEADLINE - 1)]))
    if query.closed_on:
        day = query.closed_on.toordinal()
        clauses.append(And([Term("rolling", "0"), Or([
            NumericRange("deadline", None, day - 1),
            NumericRange("deadline", NO_DEADLINE, None)])]))
    return And(clauses) if clauses else None


def _list_filter(query: SearchQuery) -> Query | None:
    """The filters that are not facets (lists, calls): they narrow the facet counts too."""
    rest = SearchQuery(filters={k: v for k, v in query.filters.items() if k in LIST_FIELDS},
                       open_on=query.open_on, closed_on=query.closed_on)
    return filter_query(rest)


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
        self._stamp = self.path / STAMP_FILE
        self.lock_timeout = lock_timeout
        self.max_terms = max_terms
        self._cached: tuple[tuple, object] | None = None
        self._local = threading.local()  # one reusable searcher (and its facet table) per thread

    # -- opening and health -------------------------------------------------------------
    def _open(self):
        """The open index, re-opened when a rebuild swapped in a new folder."""
        try:
            info = os.stat(self._stamp)
            with open(self._stamp, encoding="ascii") as stamp:
                version = stamp.read().strip()
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
                self._local.table = None
        except Exception as error:  # noqa: BLE001
            self._local.searcher = None
            raise IndexUnavailable(f"cannot read index: {error}") from error
        self._local.searcher = (index, searcher)
        yield searcher

    def _facet_table(self, searcher) -> FacetTable:
        """The facet bitsets of this thread's searcher (built once per index generation)."""
        table = getattr(self._local, "table", None)
        if table is None:
            table = self._local.table = FacetTable.build(searcher)
        return table

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
        """Items in the index."""
        with self._searcher() as searcher:
            return searcher.doc_count()

    def status(self) -> IndexStatus:
        """Health, reason, item count and folder."""
        problem = self.problem()
        return IndexStatus(healthy=problem is None, problem=problem, path=str(self.path),
                           documents=self.doc_count() if problem is None else 0)

    # -- writing -------------------------------------------------------------------------
    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace items (raises whoosh LockError when another writer holds it)."""
        with _WRITE_LOCK:
            writer = self._open().writer(timeout=self.lock_timeout, codec=writing_codec())
            try:
                for doc in documents:
                    writer.update_document(**document_fields(doc))
            except BaseException:
                writer.cancel()
                raise
            writer.commit(mergetype=merge_policy)

    def remove(self, doc_ids: Iterable[str]) -> None:
        """Remove items by document id."""
        with _WRITE_LOCK:
            writer = self._open().writer(timeout=self.lock_timeout, codec=writing_codec())
            for doc_id in doc_ids:
                writer.delete_by_term("doc_id", doc_id)
            writer.commit(mergetype=merge_policy)

    def optimize(self) -> None:
        """Merge every segment into one and purge deleted documents."""
        with _WRITE_LOCK:
            self._open().optimize()

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress: Progress) -> None:
        """Build a fresh index in a sibling folder, then swap it in."""
        building = self.path.with_name(f".{self.path.name}.building-{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        try:
            new_index = whoosh_index.create_in(str(building), build_schema())
            writer = new_index.writer(limitmb=_pool_megabytes(total), codec=writing_codec())
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
        """Answer a search: all words must match, unless that finds too little in the whole
        library (decided without the filters, so a facet link keeps the same words)."""
        with self._searcher() as searcher:
            table = self._facet_table(searcher)
            if not sanitise_query(query.text):
                return self._browse(searcher, table, query)
            parsed = _preloaded(parse_query(searcher.schema, query.text))
            matched = table.matching(searcher, parsed)
            if matched.bit_count() >= FEW_RESULTS:
                written_in = query_language(searcher, query.text, query.language)
                return self._page(searcher, query, parsed, matched, written_in)
            return self._improve(searcher, query, parsed, matched)

    def _improve(self, searcher, query: SearchQuery, parsed, matched: int) -> SearchPage:
        """Few items: offer a spelling correction (used when the words found nothing), then
        widen to items with some of the plain words; NOT, AND and phrases keep their meaning."""
        table = self._facet_table(searcher)
        written_in = query_language(searcher, query.text, query.language)
        languages = list(dict.fromkeys([query.language, written_in]))
        suggestion = correct_query(searcher, query.text, languages)
        text, corrected = query.text, False
        better = _preloaded(parse_query(searcher.schema, suggestion)) if suggestion else None
        if better is not None and query.autocorrect:
            found = table.matching(searcher, better)
            if found.bit_count() >= _correction_needs(matched.bit_count()):
                parsed, text, corrected, matched = better, suggestion, True, found
        broadened, with_every_word = False, matched.bit_count()
        if with_every_word < FEW_RESULTS:
            wider = _preloaded(widened_query(searcher.schema, text, query_topics(text)))
            found = table.matching(searcher, wider) if wider is not None else 0
            if found.bit_count() > with_every_word:
                parsed, matched, broadened = wider, found, True
        page = self._page(searcher, query, parsed, matched, written_in)
        page.suggestion, page.corrected, page.broadened = suggestion, corrected, broadened
        page.with_every_word = with_every_word if broadened else 0
        return page

    def _page(self, searcher, query: SearchQuery, parsed: Query, matched: int,
              written_in: str) -> SearchPage:
        """One page of items for words (`matched`: every item they find), with facet counts;
        each item in the page language, else the language the words were written in."""
        table = self._facet_table(searcher)
        narrowed = self._narrowed(searcher, table, matched, query)
        total = _chosen_in(table, narrowed, query).bit_count()  # the bitsets count; the
        # scorer may then skip blocks that cannot reach the page (Whoosh's block quality)
        scored = AndMaybe(parsed, Term("language", query.language, boost=LANGUAGE_BOOST))
        sortedby, reverse = (None, False) if query.sort == "relevance" else _order_key(query)
        pagenum = max(1, query.page)
        results = top_results(searcher, scored, pagenum * query.per_page, optimize=True,
                              filter=filter_query(query), sortedby=sortedby, reverse=reverse)
        start = (pagenum - 1) * query.per_page
        tokens = _query_tokens(parsed)
        hits = [self._hit(hit, (query.language, written_in), tokens)
                for hit in results[start:start + query.per_page]]
        return SearchPage(
            hits=hits, total=total, page=pagenum,
            pages=math.ceil(total / query.per_page) if total else 0,
            facets=table.counts(narrowed, query.filters) if query.facets else {},
        )

    def _browse(self, searcher, table: FacetTable, query: SearchQuery) -> SearchPage:
        """A page of items without words: the filters as bitsets, walked in the sort order
        kept per index generation, so a page costs what it shows, not the library's size."""
        narrowed = self._narrowed(searcher, table, table.live, query)
        listed = _chosen_in(table, narrowed, query)
        total, pagenum = listed.bit_count(), max(1, query.page)
        start = (pagenum - 1) * query.per_page
        docnums = table.page_in_order(searcher, _order_key(query), listed, start, query.per_page)
        hits = [self._stored_hit(searcher.stored_fields(docnum), query.language)
                for docnum in docnums]
        return SearchPage(
            hits=hits, total=total, page=pagenum,
            pages=math.ceil(total / query.per_page) if total else 0,
            facets=table.counts(narrowed, query.filters) if query.facets else {},
        )

    def _narrowed(self, searcher, table: FacetTable, matched: int, query: SearchQuery) -> int:
        """The matched items within the filters that are not facets (lists, calls)."""
        narrowing = _list_filter(query)
        return matched & table.matching(searcher, narrowing) if narrowing is not None \
            else matched

    def _stored_hit(self, stored: dict, language: str) -> SearchHit:
        """A hit without words: the reader's language, the summary as snippet."""
        versions = stored["versions"]
        shown = best_language(versions, language)
        item_id, title, summary, body = versions[shown]
        return SearchHit(
            doc_id=stored["doc_id"], score=0.0, type=stored["type"], slug=stored["slug"],
            language=shown, title=title, item_id=item_id, languages=sorted(versions),
            snippet=snippet_text(summary or body),
        )

    def _hit(self, hit, preferred: tuple[str, ...], tokens: dict[str, set[str]]) -> SearchHit:
        """A SearchHit in the first preferred language the item has, its snippet marking
        the words."""
        versions = hit["versions"]
        shown = best_language(versions, *preferred)
        item_id, title, summary, body = versions[shown]
        return SearchHit(
            doc_id=hit["doc_id"], score=hit.score or 0.0, type=hit["type"], slug=hit["slug"],
            language=shown, title=title, item_id=item_id, languages=sorted(versions),
            snippet=marked_snippet(summary, body, tokens.get(shown, set())),
        )

    # -- related items and autocomplete -------------------------------------------------------
    def related(self, query: RelatedQuery) -> list[SearchHit]:
        """Items sharing the most topics (one point each), not the item nor its handbook's
        other chapters; ties: the page language, then the title."""
        if not query.topics:
            return []
        with self._searcher() as searcher:
            table = self._facet_table(searcher)
            unwanted = [Term("doc_id", query.doc_id)]
            if query.handbook:
                unwanted.append(Term("handbook", query.handbook))
            wanted = table.live & ~table.matching(searcher, Or(unwanted)) \
                & ~table.values["lead"].get("0", 0)
            topics = [table.values["topic"].get(topic, 0) for topic in query.topics]
            ranked = self._related_docnums(searcher, table, topics, wanted, query)
            return [replace(self._stored_hit(searcher.stored_fields(docnum), query.language),
                            score=float(shared)) for shared, docnum in ranked]

    def _related_docnums(self, searcher, table: FacetTable, topics: list[int], wanted: int,
                         query: RelatedQuery) -> list[tuple[int, int]]:
        """(shared topics, docnum) of the best items: most shared first, then those in the
        page language, then by title."""
        order = _order_key(SearchQuery(language=query.language, sort="title"))
        in_language = table.values["language"].get(query.language, 0)
        ranked: list[tuple[int, int]] = []
        for shared, tier in overlap_tiers(topics, wanted):
            for part in (tier & in_language, tier & ~in_language):
                need = query.limit - len(ranked)
                if need <= 0:
                    return ranked
                ranked += [(shared, d) for d in table.page_in_order(searcher, order, part, 0, need)]
        return ranked

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        """Titles starting with the typed words, page language first, then indexed words."""
        typed = words(prefix)
        if not typed:
            return []
        with self._searcher() as searcher:
            titles = self._title_suggestions(searcher, typed, language, limit)
            terms = self._term_suggestions(searcher, typed, language, limit)
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
        results = searcher.search(And(clauses), limit=limit * 2)
        return [_matching_title(hit["versions"], analyzer, folded, language)
                for hit in results][:limit]

    def _term_suggestions(self, searcher, typed: list[str], language: str,
                          limit: int) -> list[str]:
        """Completions of the last word by words of the page language, most frequent first."""
        last, head = typed[-1], typed[:-1]
        if len(last) < 2:
            return []
        reader, field = searcher.reader(), f"spell_{language}"
        candidates = [term_text(term) for term in reader.expand_prefix(field, last)]
        candidates = [term for term in candidates if len(term) > 2][:200]
        candidates.sort(key=lambda term: -reader.doc_frequency(field, term))
        return [" ".join([*head, term]) for term in candidates[:limit]]

    # -- matching -------------------------------------------------------------------------
    def match(self, request: MatchRequest) -> list[MatchHit]:
        """Rank items for an alert (see whoosh_match), explained."""
        from app.search.whoosh_match import match_in

        with self._searcher() as searcher:
            return match_in(searcher, request, self.max_terms)


def query_topics(text: str) -> list[str]:
    """Taxonomy topics named in a query in any language ("Runder Tisch" -> roundtables)."""
    from app.content.taxonomy import derive_topics

    return derive_topics(text, limit=3)


def _preloaded(query: Query | None) -> Query | None:
    """The query with every OR preloading its matches: a word is an OR of fifteen fields,
    and Whoosh's binary tree of unions costs far more per matching item on a large index."""
    for node in _all_nodes(query) if query is not None else ():
        if isinstance(node, Or):
            node.matcher_type = Or.ARRAY_MATCHER
    return query


def _all_nodes(query: Query) -> Iterator[Query]:
    """A query and every query inside it."""
    yield query
    for child in query.children():
        yield from _all_nodes(child)


def _chosen_in(table: FacetTable, items: int, query: SearchQuery) -> int:
    """The items having a chosen value of every filtered facet."""
    for bits in table.chosen(query.filters).values():
        items &= bits
    return items


def _order_key(query: SearchQuery) -> tuple[str, bool]:
    """(sortable field, descending) of a sort; titles A-Z unless newest or by deadline."""
    if query.sort == "newest":
        return "date", True
    if query.sort == "deadline":
        return "deadline", False
    language = query.language if query.language in LANGUAGES else "en"
    return f"title_sort_{language}", False


def _pool_megabytes(items: int) -> int:
    """Memory for the rebuild's posting pool: about 70 MB per 1,000 items (below that Whoosh
    spills every posting to temporary files), 128 MB at least, 1 GB at most."""
    return max(128, min(1024, 70 * items // 1000))


def _correction_needs(found: int) -> int:
    """Items the corrected words must find to replace the typed ones: any when those found
    nothing, else clearly more ("radicalisaton" matched two items by chance)."""
    return 1 if found == 0 else max(FEW_RESULTS, 3 * found)


def _matching_title(versions: dict, analyzer, folded: list[str], language: str) -> str:
    """The title of the version the typed words were found in, the page language first."""
    order = sorted(versions, key=lambda code: code != language)
    for code in order:
        title = versions[code][1]
        tokens = [token.text for token in analyzer(title)]
        if all(any(t.startswith(word) for t in tokens) for word in folded):
            return title
    return versions[order[0]][1]


def _query_tokens(parsed: Query | None) -> dict[str, set[str]]:
    """Per language, the analysed words a query looks for (what a snippet marks); words
    under NOT are left out."""
    tokens: dict[str, set[str]] = {}
    for fieldname, text in _positive_terms(parsed):
        part, _, lang = fieldname.partition("_")
        if lang in LANGUAGES and part in ("title", "summary", "body"):
            tokens.setdefault(lang, set()).add(term_text(text))
    return tokens


def _positive_terms(query: Query | None) -> Iterator[tuple[str, str]]:
    """(field, word) of every term and phrase word in a query, outside NOT."""
    if query is None or isinstance(query, Not):
        return
    if isinstance(query, AndNot):
        yield from _positive_terms(query.a)
        return
    if isinstance(query, Term):
        yield query.fieldname, query.text
    elif isinstance(query, Phrase):
        yield from ((query.fieldname, word) for word in query.words)
    for child in query.children():
        yield from _positive_terms(child)
