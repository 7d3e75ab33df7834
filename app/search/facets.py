"""Facet counts from bitsets: each facet value's items as one integer, built once per index
generation, so counting costs a few integer operations per value instead of a library scan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from whoosh.query import Query

from app.search.whoosh_schema import FACET_FIELDS, term_text

KEPT_FIELDS = ("lead",)  # not facets, but read as bitsets too (related items)


def bitset(docnums: Iterable[int], size: int) -> int:
    """An integer whose bit n is set for each document number n."""
    bits = bytearray((size + 8) // 8)
    for docnum in docnums:
        bits[docnum >> 3] |= 1 << (docnum & 7)
    return int.from_bytes(bits, "little")


@dataclass
class FacetTable:
    """The live items and, per facet and value, the items that have the value."""

    live: int
    values: dict[str, dict[str, int]]
    size: int
    orders: dict[tuple[str, bool], list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, searcher) -> FacetTable:
        """Read every facet field's postings once (deleted documents are left out)."""
        reader, size = searcher.reader(), searcher.reader().doc_count_all()
        values = {
            name: {term_text(term): bitset(reader.postings(name, term).all_ids(), size)
                   for term in reader.lexicon(name) if term}
            for name in (*FACET_FIELDS, *KEPT_FIELDS)
        }
        return cls(live=bitset(reader.all_doc_ids(), size), values=values, size=size)

    def matching(self, searcher, query: Query | None) -> int:
        """The items a query matches (all live items for None)."""
        if query is None:
            return self.live
        return bitset(searcher.docs_for_query(query), self.size) & self.live

    def page_in_order(self, searcher, order: tuple[str, bool], listed: int, start: int,
                      count: int) -> list[int]:
        """Document numbers `start` to `start + count` of the listed ones, in an order of a
        sortable field (read once per index generation, then walked only as far as needed)."""
        if order not in self.orders:
            self.orders[order] = _sorted_docnums(searcher, *order, self.size)
        page: list[int] = []
        skipped = 0
        for docnum in self.orders[order]:
            if listed >> docnum & 1:
                if skipped < start:
                    skipped += 1
                    continue
                page.append(docnum)
                if len(page) == count:
                    break
        return page

    def chosen(self, filters: dict[str, list[str]]) -> dict[str, int]:
        """Per filtered facet: the items having any of its chosen values (OR within)."""
        chosen = {}
        for name, wanted in filters.items():
            if name in self.values and wanted:
                union = 0
                for value in wanted:
                    union |= self.values[name].get(value, 0)
                chosen[name] = union
        return chosen

    def counts(self, base: int, filters: dict[str, list[str]]) -> dict[str, list[tuple[str, int]]]:
        """Per facet value: how many items the page lists once the value is added to the
        filters (a chosen value: how many it lists now). AND across facets, OR within."""
        chosen = self.chosen(filters)
        shown = base
        for bits in chosen.values():
            shown &= bits
        counts = {}
        for name in FACET_FIELDS:
            others = base
            for other, bits in chosen.items():
                if other != name:
                    others &= bits
            mine = chosen.get(name, 0)
            pairs = []
            for value, bits in self.values[name].items():
                if value in filters.get(name, []):
                    pairs.append((value, shown.bit_count()))
                elif others & bits:
                    pairs.append((value, (others & (mine | bits)).bit_count()))
            counts[name] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
        return counts


def overlap_tiers(sets: list[int], everything: int) -> list[tuple[int, int]]:
    """(k, documents in exactly k of the sets) from the most shared down, by adding the sets
    as binary counters (bit planes), so the cost does not depend on how many documents."""
    planes: list[int] = []
    for bits in sets:
        carry = bits
        for number, plane in enumerate(planes):
            planes[number], carry = plane ^ carry, plane & carry
            if not carry:
                break
        else:
            if carry:
                planes.append(carry)
    tiers = []
    for k in range(len(sets), 0, -1):
        tier = everything
        for number, plane in enumerate(planes):
            tier &= plane if k >> number & 1 else ~plane
        if k >> len(planes):
            tier = 0
        tiers.append((k, tier))
    return tiers


def _sorted_docnums(searcher, fieldname: str, descending: bool, size: int) -> list[int]:
    """Every document number ordered by a sortable field (ties: document order)."""
    if not size:
        return []
    column = searcher.reader().column_reader(fieldname, translate=True)
    values = [column[docnum] for docnum in range(size)]
    ordered = sorted(range(size), key=values.__getitem__, reverse=descending)
    return ordered
