"""Publishing items one at a time keeps the index in few segments, without deleted documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from app.search.merging import (
    MAX_DELETED_SHARE,
    MAX_PURGED_DOCS,
    MAX_SEGMENTS,
    deleted_share,
    merge_policy,
    segments_to_merge,
    writing_codec,
)

BASE_DOCS = 100  # built at once, like a rebuild
COMMITS = 200  # then one item per commit; every third replaces an item of the base


@dataclass
class History:
    """An index after the one-item commits, and what each commit left behind."""

    index: object
    segments: list[int] = field(default_factory=list)  # segments after each commit
    worst_deleted: list[float] = field(default_factory=list)  # highest deleted share
    rewritten: list[int] = field(default_factory=list)  # documents merged into its segment


@dataclass
class FakeSegment:
    """What a merge policy reads of a segment."""

    docs: int
    deleted: int = 0

    def doc_count_all(self) -> int:
        return self.docs

    def deleted_count(self) -> int:
        return self.deleted

    def doc_count(self) -> int:
        return self.docs - self.deleted


def publish_one_at_a_time(folder: Path, commit_options: dict) -> History:
    """A base index, then COMMITS single-item commits with the given commit options."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), Schema(doc_id=ID(unique=True, stored=True),
                                                    body=TEXT(stored=True)))
    with ix.writer() as writer:
        for number in range(BASE_DOCS):
            writer.add_document(doc_id=f"base-{number}", body=f"first version number{number}")
    history = History(ix)
    for number in range(COMMITS):
        writer = ix.writer()
        doc_id = f"base-{number // 3}" if number % 3 == 0 else f"new-{number}"
        writer.update_document(doc_id=doc_id, body=f"edited version number{number}")
        writer.commit(**commit_options)
        segments = ix._segments()
        history.segments.append(len(segments))
        history.worst_deleted.append(max(deleted_share(s) for s in segments))
        history.rewritten.append(segments[-1].doc_count_all() - 1)  # the new segment is last
    return history


@pytest.fixture(scope="module")
def with_policy(tmp_path_factory) -> History:
    return publish_one_at_a_time(tmp_path_factory.mktemp("merging") / "policy",
                                 {"mergetype": merge_policy})


@pytest.fixture(scope="module")
def with_default(tmp_path_factory) -> History:
    return publish_one_at_a_time(tmp_path_factory.mktemp("merging") / "default", {})


def test_segments_stay_few_with_the_policy(with_policy):
    assert max(with_policy.segments) <= MAX_SEGMENTS


def test_segments_pile_up_with_whooshs_default(with_default):
    assert max(with_default.segments) > MAX_SEGMENTS


def test_deleted_documents_are_purged_with_the_policy(with_policy):
    assert max(with_policy.worst_deleted) <= MAX_DELETED_SHARE


def test_deleted_documents_stay_with_whooshs_default(with_default):
    assert with_default.worst_deleted[-1] > MAX_DELETED_SHARE


def test_commits_rewrite_about_as_much_as_with_whooshs_default(with_policy, with_default):
    # Merging whole tiers at once; capping alone (smallest first) rewrites twice as much.
    assert sum(with_policy.rewritten) <= 1.25 * sum(with_default.rewritten)


def test_every_item_is_found_once_in_its_latest_version(with_policy):
    replaced = COMMITS // 3 + 1
    with with_policy.index.searcher() as searcher:
        parser = QueryParser("body", searcher.schema)
        assert searcher.doc_count() == BASE_DOCS + COMMITS - replaced
        edited = searcher.search(parser.parse('"edited version number3"'))
        assert [hit["doc_id"] for hit in edited] == ["base-1"]
        assert len(searcher.search(parser.parse('"first version number1"'))) == 0


def test_a_commit_next_to_a_large_and_a_small_segment_merges_nothing():
    assert segments_to_merge([FakeSegment(10_000), FakeSegment(1)]) == []


def test_a_segment_with_many_deleted_documents_is_rewritten():
    worn = FakeSegment(MAX_PURGED_DOCS, deleted=MAX_PURGED_DOCS // 4)
    assert segments_to_merge([FakeSegment(10_000), worn, FakeSegment(1)]) == [worn]


def test_a_large_segment_keeps_its_deleted_documents_for_a_rebuild():
    large = FakeSegment(MAX_PURGED_DOCS + 1, deleted=MAX_PURGED_DOCS // 2)
    assert segments_to_merge([large, FakeSegment(1)]) == []


def test_too_many_segments_merge_the_smallest_ones():
    sizes = [10_000, 3_000, 700, 150, 40, 1]
    chosen = segments_to_merge([FakeSegment(size) for size in sizes])
    assert sorted(segment.docs for segment in chosen) == [1, 40]


def test_a_full_tier_is_merged():
    sizes = [10_000, 5, 4, 3]  # tier 1 of TIER_FACTOR 3: 3 to 8 documents
    chosen = segments_to_merge([FakeSegment(size) for size in sizes])
    assert sorted(segment.docs for segment in chosen) == [3, 4, 5]


def term_facts(folder: Path, codec) -> list[tuple]:
    """Every term of an index written with a codec: its statistics and postings."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), Schema(doc_id=ID(stored=True), body=TEXT,
                                                    title=TEXT(phrase=False)))
    with ix.writer(codec=codec) as writer:
        for number in range(300):
            title = {"title": f"title {number % 7}"} if number % 3 else {}
            writer.add_document(doc_id=str(number), **title,
                                body=" ".join(f"w{(number * k) % 50}" for k in range(number % 40)))
    with ix.reader() as reader:
        return [term_fact(reader, field, text) for field, text in reader.all_terms()]


def term_fact(reader, field: str, text: bytes) -> tuple:
    """A term's statistics (the lengths are what the codec reads) and its postings."""
    info = reader.term_info(field, text)
    return (field, text, info.weight(), info.doc_frequency(), info.min_length(),
            info.max_length(), info.max_weight(), list(reader.postings(field, text).all_items()))


def test_the_writing_codec_writes_the_same_index(tmp_path):
    assert term_facts(tmp_path / "writing", writing_codec()) == \
        term_facts(tmp_path / "plain", W3Codec())


def test_segments_written_with_the_writing_codec_read_with_whooshs(tmp_path):
    ix = whoosh_index.create_in(str(tmp_path), Schema(body=TEXT))
    with ix.writer(codec=writing_codec()) as writer:
        writer.add_document(body="one document")
    assert type(ix._segments()[0].codec()) is W3Codec
