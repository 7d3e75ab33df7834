"""The Whoosh implementation of SearchBackend: one document per item, facets, lists, rebuild."""

from __future__ import annotations

import gc
import logging
import math
import os
import shutil
import threading
import warnings
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
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
from app.search.generations import (
    STAMP_FILE,
    building_now,
    built_name,
    current_generation,
    folder_problem,
    new_folder_name,
    point_to,
    remove_stale,
)
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

# No memory mapping: a truncated or damaged segment file then raises an error (the database
# answers) instead of killing the worker with SIGBUS.
MEMORY_MAP = False
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


def _close_searchers(searchers: dict) -> None:
    """Close every thread's searcher (the backend is going away)."""
    for searcher in list(searchers.values()):
        _close_quietly(searcher)
    searchers.clear()


def _close_quietly(searcher) -> None:
    """Close a searcher and its files, whatever state a damaged index left it in."""
    try:
        if searcher is not None:
            searcher.close()
    except Exception:  # noqa: BLE001, S110 - it is being dropped anyway
        pass


def _storage(folder: Path) -> FileStorage:
    """Whoosh's storage of one generation folder (files read, never memory-mapped)."""
    return FileStorage(str(folder), supports_mmap=MEMORY_MAP)


def _open_generation(folder: Path):
    """Open one generation; another schema stamp or any unreadable file: IndexUnavailable."""
    try:
        version = (folder / STAMP_FILE).read_text(encoding="ascii").strip()
    except OSError as error:
        raise IndexUnavailable("index generation has no schema stamp") from error
    if version != SCHEMA_VERSION:
        raise IndexUnavailable(f"index schema {version}, expected {SCHEMA_VERSION}")
    return _readable(_storage(folder).open_index, "cannot open index")


def _readable(open_it: Callable, what: str):
    """open_it(), or IndexUnavailable naming the error's class (an unreadable index is
    "corrupt"); Whoosh leaves the broken file open, closed here quietly."""
    problem = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            return open_it()
        except Exception as error:  # noqa: BLE001
            problem = f"{what}: {type(error).__name__}"
        gc.collect()
    raise IndexUnavailable(problem)


def _up_to_date(searcher) -> bool:
    """Whether a searcher sees the latest commit (False when that cannot be told)."""
    try:
        return searcher.up_to_date()
    except Exception:  # noqa: BLE001
        return False


class WhooshBackend:
    """SearchBackend over a Whoosh index: generations in a folder, CURRENT names the live one."""

    def __init__(self, path: str, lock_timeout: float = 2.0, max_terms: int = 15,
                 min_free_mb: int = 50) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self.max_terms = max_terms
        self.min_free_mb = min_free_mb
        self._cached: tuple[tuple, object] | None = None
        self._local = threading.local()  # one reusable searcher (and its facet table) per thread
        # Every thread's searcher, closed with the backend: unmapped segment files stay open.
        self._searchers: dict[int, object] = {}
        weakref.finalize(self, _close_searchers, self._searchers)

    # -- opening and health -------------------------------------------------------------
    def _open(self):
        """The open index of the generation CURRENT names, re-opened when a rebuild points
        CURRENT elsewhere."""
        try:
            name, key = current_generation(self.path)
        except OSError as error:
            raise IndexUnavailable("no index") from error
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, _open_generation(self.path / name))
        return self._cached[1]

    def live_folder(self) -> Path:
        """The folder of the generation searches read."""
        try:
            return self.path / current_generation(self.path)[0]
        except OSError as error:
            raise IndexUnavailable("no index") from error

    def generation(self) -> str:
        """The name of the live generation ("" without one); changes with every rebuild."""
        try:
            return current_generation(self.path)[0]
        except OSError:
            return ""

    @contextmanager
    def _searcher(self) -> Iterator:
        """This thread's searcher, refreshed to the latest commit; opening one reads every
        segment file, which costs more than a whole match on 10,000 documents."""
        index = self._open()
        cached = getattr(self._local, "searcher", None)
        if cached is None or cached[0] is not index or not _up_to_date(cached[1]):
            # Not shared between threads, and not refreshed: Whoosh's refresh(reuse=) fails
            # on an empty index.
            _close_quietly(self._searchers.pop(threading.get_ident(), None))
            self._local.searcher = self._local.table = None
            cached = (index, _readable(index.searcher, "cannot read index"))
            self._local.searcher = cached
            self._searchers[threading.get_ident()] = cached[1]
        try:
            yield cached[1]
        except Exception:
            self._forget_searcher()
            raise

    def _forget_searcher(self) -> None:
        """After a failed read (a damaged file, say), open the index afresh next time."""
        self._local.searcher, self._local.table, self._cached = None, None, None
        _close_quietly(self._searchers.pop(threading.get_ident(), None))

    def _facet_table(self, searcher) -> FacetTable:
        """The facet bitsets of this thread's searcher (built once per index generation)."""
        table = getattr(self._local, "table", None)
        if table is None:
            table = self._local.table = FacetTable.build(searcher)
        return table

    def is_healthy(self) -> bool:
        """False when the index is missing, corrupt, of an old schema version, or its folder
        cannot take saves (read-only, not writable, nearly full)."""
        return self.problem() is None

    def problem(self) -> str | None:
        """Why the index is unusable or unhealthy, or None when all is well."""
        return self.read_problem() or self.write_problem()

    def read_problem(self) -> str | None:
        """Why searches cannot use the index, or None when they can."""
        try:
            with self._searcher() as searcher:
                searcher.doc_count()
                searcher.reader().doc_frequency("type", "x")
        except Exception as error:  # noqa: BLE001
            return str(error) if isinstance(error, IndexUnavailable) else type(error).__name__
        return None

    def write_problem(self) -> str | None:
        """Why saves and rebuilds would fail in the index folder, or None (no folder yet:
        a rebuild creates it)."""
        return folder_problem(self.path, self.min_free_mb) if self.path.is_dir() else None

    def rebuilding(self) -> bool:
        """True while a live process builds a new generation in the folder."""
        return building_now(self.path)

    def doc_count(self) -> int:
        """Items in the index."""
        with self._searcher() as searcher:
            return searcher.doc_count()

    def indexed_ids(self) -> set[str]:
        """The document ids of every item in the index (deleted ones left out)."""
        with self._searcher() as searcher:
            return {fields["doc_id"] for fields in searcher.reader().all_stored_fields()}

    def status(self) -> IndexStatus:
        """Health (searchable and writable), reason, item count, folder, rebuild under way."""
        unreadable, unwritable = self.read_problem(), self.write_problem()
        return IndexStatus(
            healthy=not (unreadable or unwritable), problem=unreadable or unwritable,
            path=str(self.path), documents=0 if unreadable else self.doc_count(),
            searchable=unreadable is None, writable=unwritable is None,
            rebuilding=self.rebuilding(),
        )

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
            writer = self._open().writer(timeout=self.lock_timeout, codec=writing_codec())
            writer.commit(optimize=True)

    def rebuild(self, documents: Iterable[SearchDocument], total: int, progress: Progress) -> None:
        """Build a new generation inside the folder, point CURRENT at it, then delete the
        older ones (INDEX_DIR itself is never renamed: it may be a mount point)."""
        building = self.path / new_folder_name("building")
        building.mkdir(parents=True)
        try:
            _build(building, documents, total, progress)
            built = building.with_name(built_name(building.name))
            os.rename(building, built)
            with _WRITE_LOCK:
                point_to(self.path, built.name)
                self._cached = None
        finally:
            shutil.rmtree(building, ignore_errors=True)
        self.remove_stale()

    def remove_stale(self) -> int:
        """Delete old generations, dead builds and the old flat layout's files; returns how
        many entries went (the rest is tried again later)."""
        return remove_stale(self.path)

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


def _build(folder: Path, documents: Iterable[SearchDocument], total: int,
           progress: Progress) -> None:
    """Write every document into a new index in the folder, then stamp its schema."""
    new_index = _storage(folder).create_index(build_schema())
    writer = new_index.writer(limitmb=_pool_megabytes(total), codec=writing_codec())
    for doc in documents:
        writer.add_document(**document_fields(doc))
        progress(1)
    writer.commit()
    (folder / STAMP_FILE).write_text(SCHEMA_VERSION, encoding="ascii")


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
