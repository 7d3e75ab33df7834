"""How commits merge Whoosh segments: few segments for fast searches, cheap one-item commits.

Every save commits a segment of one document, and every search pays for every segment (term
lookups, and typo search walks each segment's words). Whoosh's MERGE_SMALL never rewrites the
large segment, so documents replaced by update_document stay there as deleted ones.
Use as `writer.commit(mergetype=merge_policy)`."""

from __future__ import annotations

import math

from whoosh.reading import SegmentReader

MAX_SEGMENTS = 6  # after a commit, counting its new segment
TIER_FACTOR = 4  # this many segments of one size tier are merged into one of the next tier
MAX_DELETED_SHARE = 0.2  # a segment with more deleted documents is rewritten without them


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
    """The lowest tiers while each is full: TIER_FACTOR segments counting the one merged
    from below (for tier 0, the segment being written), which land in the next tier."""
    by_tier: dict[int, list] = {}
    for segment in segments:
        by_tier.setdefault(_tier(segment), []).append(segment)
    chosen: list = []
    for tier in range(max(by_tier, default=0) + 1):
        if len(by_tier.get(tier, [])) + 1 < TIER_FACTOR:
            break
        chosen += by_tier[tier]
    return chosen


def segments_to_merge(segments: list) -> list:
    """The segments a commit rewrites into its new one: those with many deleted documents,
    full tiers of small ones, then the smallest until at most MAX_SEGMENTS remain."""
    chosen = [s for s in segments if deleted_share(s) > MAX_DELETED_SHARE]
    rest = [s for s in segments if s not in chosen]
    chosen += _full_tiers(rest)
    rest = sorted((s for s in rest if s not in chosen), key=live_docs)
    excess = len(rest) + 1 - MAX_SEGMENTS
    return chosen + rest[:max(0, excess)]


def merge_policy(writer, segments: list) -> list:
    """Whoosh merge policy (`writer.commit(mergetype=merge_policy)`): merges the chosen
    segments into the writer's new segment, purging deleted documents; returns the others."""
    chosen = segments_to_merge(segments)
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in chosen]
