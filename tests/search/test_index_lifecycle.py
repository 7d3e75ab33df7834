"""The index follows the database: queue after commit, locks, fallback, rebuild, schema stamp."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from app.extensions import db
from app.search.generations import STAMP_FILE, point_to
from app.search.hooks import apply_pending, pending_count
from app.search.services import get_backend, index_status

NOTICE = "Search is running in a simpler mode for now"


def _live_folder() -> Path:
    return get_backend().primary.live_folder()


def test_new_item_is_searchable_right_after_commit(search_corpus, make_item, search_page):
    """A saved, published item is found at once; nothing stays queued."""
    make_item(title="Fresh practice on sports fans", body="Ultras and hooligans in the stadium.")
    assert "Fresh practice on sports fans" in search_page("hooligans")
    assert pending_count() == 0


def test_unpublished_item_leaves_the_index(search_corpus, search_page):
    """Unpublishing removes an item from search after commit."""
    from app.search.hooks import queue_index_change

    item = search_corpus["preventing-radicalisation"]
    item.status = "unpublished"
    queue_index_change(item)
    db.session.commit()
    assert "Preventing radicalisation in schools" not in search_page("pupil")


def test_rolled_back_change_is_not_queued(search_corpus, make_item):
    """A change that is rolled back leaves no queued index change behind."""
    from app.search.hooks import queue_index_change

    item = search_corpus["hakenkreuz-schule"]
    item.title = "Changed"
    queue_index_change(item)
    db.session.rollback()
    assert pending_count() == 0


def test_locked_index_never_loses_a_save(search_corpus, make_item, search_page, app):
    """While another writer holds the index, saves succeed and wait in the queue."""
    app.extensions["search_backend"].lock_timeout = 0.05
    holder = get_backend().primary._open().writer()  # another process's writer, in effect
    try:
        item = make_item(title="Saved while locked", body="Saved while the index was locked.")
        assert item.id is not None and pending_count() == 1
        assert "Saved while locked" not in search_page("locked")
    finally:
        holder.cancel()
    assert apply_pending() == 1
    assert "Saved while locked" in search_page("locked")


def test_failing_index_never_raises_into_the_save(search_corpus, make_item, app, monkeypatch):
    """An index error during the after-commit step is logged; the item is saved and queued."""

    def broken(_docs):
        raise OSError("disk full")

    monkeypatch.setattr(app.extensions["search_backend"], "index", broken)
    item = make_item(title="Saved despite a broken disk")
    assert db.session.get(type(item), item.id).title == "Saved despite a broken disk"
    assert pending_count() == 1


def test_missing_index_falls_back_to_the_database(search_corpus, search_page, index_dir):
    """With the index folder deleted, the page says so and still lists database results."""
    shutil.rmtree(index_dir)
    html = search_page("Hakenkreuz")
    assert NOTICE in html
    assert "Hakenkreuz an der Schule" in html
    assert re.search(r'<a href="[^"]*type=case[^"]*"\s*>Prior case</a> <span class="count">\(1\)',
                     html)  # facets still rendered as links with counts
    assert not index_status()["healthy"]


def test_fallback_counts_facets_and_filters(search_corpus, index_dir):
    """The database fallback filters JSON facets and counts them like the index does."""
    from app.search.backend import SearchQuery
    from app.search.services import search_library

    shutil.rmtree(index_dir)
    filters = {"topic": ["schools"], "language": ["en", "pl"]}
    page = search_library(SearchQuery(text="", filters=filters))
    assert page.fallback
    assert {hit.slug for hit in page.hits} == {
        "preventing-radicalisation", "radykalizacja-w-szkole"}
    # A chosen language counts what the page lists; another what adding it would list.
    assert dict(page.facets["language"]) == {"de": 3, "en": 2, "hu": 3, "pl": 2}


def test_rebuild_restores_search(search_corpus, search_page, runner, index_dir):
    """`flask search rebuild` builds a new index; the notice disappears and word forms work."""
    shutil.rmtree(index_dir)
    result = runner.invoke(args=["search", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Indexed 6 items" in result.output
    html = search_page("radykalizacji")
    assert NOTICE not in html and "Radykalizacja młodzieży w szkole" in html


def test_schema_version_mismatch_needs_a_rebuild(search_corpus, search_page, index_dir):
    """An index stamped with another schema version is not used until rebuilt."""
    live = _live_folder()
    (live / STAMP_FILE).write_text("0")
    point_to(index_dir, live.name)  # as when another version's rebuild swapped it in
    assert not get_backend().is_healthy()
    assert NOTICE in search_page("Hakenkreuz")


def test_corrupt_index_is_detected(search_corpus, search_page):
    """Garbage in the index files is detected and search falls back."""
    for path in _live_folder().iterdir():
        if path.name != STAMP_FILE:
            path.write_bytes(b"garbage")
    assert not get_backend().is_healthy()
    assert NOTICE in search_page("Hakenkreuz")


def test_status_and_apply_queue_commands(search_corpus, runner, index_dir):
    """`flask search status` reports health and counts; apply-queue empties the queue."""
    output = runner.invoke(args=["search", "status"]).output
    assert ": healthy" in output
    assert "6 indexed, 6 published" in output
    assert "Differences: none" in output
    result = runner.invoke(args=["search", "apply-queue"])
    assert result.exit_code == 0 and "0 still queued" in result.output
    shutil.rmtree(index_dir)
    assert "UNUSABLE" in runner.invoke(args=["search", "status"]).output


def test_first_item_in_an_empty_index_is_found(app, make_item, search_page):
    """A new installation: rebuild on an empty library, then the first saved item is found."""
    from app.search.services import rebuild_index

    rebuild_index()
    assert "Nothing found" in search_page("mediation")
    make_item(title="School mediation", body="Peer mediation in class.")
    html = search_page("mediation")
    assert "School mediation" in html and NOTICE not in html


def test_optimize_merges_segments_and_search_still_works(search_corpus, search_page, runner,
                                                          make_item):
    """Saves one by one leave several segments; `flask search optimize` leaves one."""
    from app.search.services import get_backend

    for number in range(3):
        make_item(slug=f"late-{number}", title=f"Late practice {number} radicalisation")
    index = get_backend().primary._open()
    assert len(index._segments()) > 1
    result = runner.invoke(args=["search", "optimize"])
    assert result.exit_code == 0, result.output
    assert len(get_backend().primary._open()._segments()) == 1
    assert "Late practice 2 radicalisation" in search_page("late practice")
