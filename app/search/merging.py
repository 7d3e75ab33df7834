"""How commits write and merge Whoosh segments: few segments for fast searches, cheap commits.

Every save commits a segment of one document, and every search pays for every segment (term
lookups, and typo search walks each segment's words). Whoosh's MERGE_SMALL does not rewrite a
large segment, so the documents update_document replaced there stay as deleted ones.
Use as `writer.commit(mergetype=merge_policy)`, with `ix.writer(codec=writing_codec())`."""

from __future__ import annotations

import math

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, W3Segment, _lenfield
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

MAX_SEGMENTS = 6  # after a commit, counting its new segment
TIER_FACTOR = 3  # a tier's segments hold under TIER_FACTOR times the documents of the one below
MAX_DELETED_SHARE = 0.2  # a segment with more deleted documents is rewritten without them
# Larger segments keep their deleted documents until a rebuild or `commit(optimize=True)`:
# rewriting 10,000 items takes a commit 40 CPU-seconds, holding the write lock.
MAX_PURGED_DOCS = 2_000


def live_docs(segment) -> int:
    """Documents of a segment that are not deleted."""
    return segment.doc_count()


def deleted_share(segment) -> float:
    """Share of a segment's documents that are deleted."""
    total = segment.doc_count_all()
    return 1.0 if total == 0 else segment.deleted_count() / total


def _tier(segment) -> int:
    """Size tier: 0 below TIER_FACTOR live documents, 1 below TIER_FACTOR², ..."""
    return int(math.log(max(live_docs(segment), 1), TIER_FACTOR))


def _full_tiers(segments: list) -> list:
    """The segments of the highest full tier (TIER_FACTOR segments, the one being written
    counting in tier 0) and of every tier below it: merged, they move up a tier."""
    tiers = [_tier(segment) for segment in segments]
    full = [tier for tier in set(tiers) | {0}
            if tiers.count(tier) + (tier == 0) >= TIER_FACTOR]
    return [s for s, tier in zip(segments, tiers, strict=True) if full and tier <= max(full)]


def segments_to_merge(segments: list) -> list:
    """The segments a commit rewrites into its new one: those with many deleted documents,
    full tiers of small ones, then the smallest ones while too many would remain."""
    chosen = [s for s in segments if deleted_share(s) > MAX_DELETED_SHARE
              and s.doc_count_all() <= MAX_PURGED_DOCS]
    rest = [s for s in segments if s not in chosen]
    chosen += _full_tiers(rest)
    rest = sorted((s for s in rest if s not in chosen), key=live_docs)
    excess = len(rest) + 1 - MAX_SEGMENTS
    # Merging at least a tier's worth keeps a full index from rewriting a segment per commit.
    return chosen + (rest[:max(excess, TIER_FACTOR - 1)] if excess > 0 else [])


def merge_policy(writer, segments: list) -> list:
    """Whoosh merge policy (`writer.commit(mergetype=merge_policy)`): merges the chosen
    segments into the writer's new segment, purging deleted documents; returns the others."""
    chosen = segments_to_merge(segments)
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in chosen]


# Length bytes -> lengths, as W3PerDocReader.doc_field_length answers (None for no length).
_LENGTH_OF = [None] + [byte_to_length(code) for code in range(1, 256)]


class _LengthsInMemory(W3PerDocReader):
    """W3PerDocReader that reads a field's length column once, not one byte per posting."""

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        """The field's length in a document, as W3PerDocReader gives it."""
        lengths = self.__dict__.setdefault("_lengths", {})
        if fieldname not in lengths:
            column = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            lengths[fieldname] = None if column is None else \
                [_LENGTH_OF[code] for code in column.load()]
        found = lengths[fieldname]
        if found is None:
            return default
        return found[docnum] if docnum < len(found) else None


class WritingCodec(W3Codec):
    """Whoosh's W3Codec, but a commit reads each field's document lengths once while it
    writes postings (a quarter of a rebuild's commit). Its segments name the plain W3Codec,
    so readers, and indexes written before, need nothing of this module."""

    def new_segment(self, storage, indexname) -> W3Segment:
        """A segment that reads with the plain W3Codec of the same settings."""
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit),
                         indexname)

    def per_document_reader(self, storage, segment) -> W3PerDocReader:
        """The lengths reader a commit uses while it writes postings."""
        return _LengthsInMemory(storage, segment)


def writing_codec() -> WritingCodec:
    """The codec for every writer of the index: `ix.writer(codec=writing_codec())`."""
    return WritingCodec()
