"""An index that cannot silently diverge: saves during a rebuild, reconciling, an honest
health check, damaged files, leftover folders, and every fallback logged and counted."""

from __future__ import annotations

import errno
import logging
import os
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.search import services, tasks
from app.search.backend import MatchRequest, RelatedQuery, SearchQuery
from app.search.documents import documents_for_rebuild, to_document
from app.search.generations import MB
from app.search.hooks import apply_pending, pending_count, prune_applied_queue
from app.search.models import IndexQueue
from app.search.services import (
    fallback_count,
    get_backend,
    match_documents,
    rebuild_index,
    reconcile_index,
    search_library,
)

DEAD_PID = 4_194_305  # above Linux's largest pid_max: no process can have it
SIMPLER = "Search is running in a simpler mode for now"
REBUILT = "The search index is being rebuilt"
FALLBACK_LOGGER = "app.search.services"


def _titles(text: str) -> list[str]:
    """Titles a search finds."""
    return [hit.title for hit in search_library(SearchQuery(text=text)).hits]


def _rebuild_calling_midway(monkeypatch, midway: Callable[[], object]) -> None:
    """Rebuild from what the database holds now, calling `midway` after the first item (a
    save there reaches the old index through the queue, as one in another process would)."""
    read = list(documents_for_rebuild())

    def reading():
        yield read[0]
        midway()
        yield from read[1:]

    monkeypatch.setattr(services, "documents_for_rebuild", reading)
    rebuild_index()


# Saves during a rebuild ------------------------------------------------------------------


def test_item_published_during_a_rebuild_is_found_after_it(search_corpus, make_item, make_user,
                                                          monkeypatch):
    """A coordinator publishes while `flask search rebuild` runs: the item is searchable."""
    from app.library.publishing import publish_item

    item = make_item(status="in_review", title="Zeppelin mooring mast workshop")
    reviewer = make_user(role="admin")
    _rebuild_calling_midway(monkeypatch, lambda: publish_item(item, reviewer, "http://x"))
    assert _titles("zeppelin") == ["Zeppelin mooring mast workshop"]


def test_edit_during_a_rebuild_is_in_the_new_index(search_corpus, monkeypatch):
    """An edit committed while the rebuild runs is what the new index holds."""
    from app.search.hooks import queue_index_change

    def edit():
        item = search_corpus["hakenkreuz-schule"]
        item.title = "Hakenkreuz im Treppenhaus"
        queue_index_change(item)
        db.session.commit()

    _rebuild_calling_midway(monkeypatch, edit)
    assert _titles("Treppenhaus") == ["Hakenkreuz im Treppenhaus"]


def test_change_applied_while_a_rebuild_swaps_stays_pending(search_corpus, make_item, app,
                                                            monkeypatch):
    """A save that wrote to the index a rebuild just replaced is applied again, not lost."""
    backend = get_backend()
    write = backend.index

    def write_then_swap(documents):
        write(documents)
        backend.primary.rebuild([], 0, lambda _n: None)  # another process's rebuild swaps

    monkeypatch.setattr(backend, "index", write_then_swap)
    make_item(title="Written to the replaced index")
    monkeypatch.undo()
    assert pending_count() == 1
    apply_pending()
    assert _titles("replaced") == ["Written to the replaced index"]


def test_rebuild_does_not_index_again_what_it_read(search_corpus, monkeypatch):
    """Changes committed before the rebuild read the database are not replayed (after
    `flask content load`, that would index the whole library twice)."""
    written: list = []
    monkeypatch.setattr(get_backend(), "index", written.append)
    rebuild_index()
    assert written == []


def test_applied_changes_are_kept_a_day(search_corpus, make_item):
    """Applied changes stay (a rebuild replays them), marked applied, and go after a day."""
    make_item(title="Kept in the queue")
    rows = db.session.scalars(select(IndexQueue).where(IndexQueue.applied_at.is_not(None)))
    assert len(rows.all()) == 8  # the corpus's seven and this one
    assert pending_count() == 0
    assert prune_applied_queue(timedelta(days=1)) == 0
    db.session.execute(update(IndexQueue).values(
        applied_at=IndexQueue.applied_at - timedelta(days=2)))
    db.session.commit()
    assert prune_applied_queue(timedelta(days=1)) == 8


# Reconciling -----------------------------------------------------------------------------


def _diverge(search_corpus) -> None:
    """An item lost from the index and a draft in it, as after a crash or a restored backup."""
    backend = get_backend()
    backend.remove(["case:hakenkreuz-schule"])
    backend.index([to_document([search_corpus["unpublished-draft"]])])


def test_reconcile_adds_the_missing_item_and_removes_the_extra_one(search_corpus, caplog):
    """Reconciling repairs both differences and says so in one log line."""
    _diverge(search_corpus)
    with caplog.at_level(logging.WARNING, logger="app.search.services"):
        summary = reconcile_index()
    assert (summary.added, summary.removed) == (1, 1)
    assert _titles("Hakenkreuz") == ["Hakenkreuz an der Schule"]
    assert _titles("Secret draft") == []
    assert "1 items added, 1 removed" in caplog.text


def test_status_shows_differences_and_reconcile_command_repairs(search_corpus, runner):
    """`flask search status` names the differences; `flask search reconcile` removes them."""
    _diverge(search_corpus)
    status = runner.invoke(args=["search", "status"]).output
    assert "1 published items missing from the index, 1 indexed items not published" in status
    result = runner.invoke(args=["search", "reconcile"])
    assert result.exit_code == 0, result.output
    assert "1 added, 1 removed" in result.output
    assert "Differences: none" in runner.invoke(args=["search", "status"]).output


def test_scheduled_tasks_apply_the_queue_and_reconcile(search_corpus, make_item, app,
                                                       monkeypatch):
    """The worker's tasks apply what a failed save left queued and repair differences."""
    def full_disk(_documents):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(get_backend(), "index", full_disk)
    make_item(title="Left queued by a full disk")
    monkeypatch.undo()
    tasks.apply_queue()
    assert _titles("full disk") == ["Left queued by a full disk"]
    _diverge(search_corpus)
    tasks.reconcile()
    assert _titles("Hakenkreuz") == ["Hakenkreuz an der Schule"]


# Health -----------------------------------------------------------------------------------


def _assert_unhealthy_but_searchable(reason: str, runner) -> None:
    """Status and the command say unhealthy, with the reason; searches still use the index."""
    status = get_backend().status()
    assert not status.healthy
    assert status.problem == reason
    assert status.searchable
    assert not search_library(SearchQuery(text="Hakenkreuz")).fallback
    assert f"UNHEALTHY ({reason}" in runner.invoke(args=["search", "status"]).output


def test_read_only_folder_is_unhealthy(search_corpus, runner, monkeypatch):
    """A read-only mount (statvfs reports it, as the kernel does for `mount -o ro`)."""
    real = os.statvfs

    def read_only(path):
        found = list(real(path))
        found[8] |= os.ST_RDONLY  # f_flag
        return os.statvfs_result(found)

    monkeypatch.setattr(os, "statvfs", read_only)
    _assert_unhealthy_but_searchable("index folder is read-only", runner)


def test_unwritable_folder_is_unhealthy(search_corpus, runner, index_dir, monkeypatch):
    """A folder the portal's user may not write to."""
    real_open = os.open

    def refuse_creation(path, flags, *args, **kwargs):
        if flags & os.O_CREAT and Path(path).parent == index_dir:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    index_dir.chmod(0o555)
    if os.geteuid() == 0:  # permission bits do not bind root: answer as the kernel answers others
        monkeypatch.setattr(os, "open", refuse_creation)
    try:
        _assert_unhealthy_but_searchable("index folder is not writable (permission denied)",
                                         runner)
    finally:
        index_dir.chmod(0o755)


def test_nearly_full_folder_is_unhealthy(search_corpus, runner, monkeypatch):
    """Less free space than INDEX_MIN_FREE_MB."""
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: SimpleNamespace(free=12 * MB))
    _assert_unhealthy_but_searchable("index folder has 12 MB free, below 50 MB", runner)


# A damaged segment file ------------------------------------------------------------------


def _in_a_forked_copy(check: Callable[[], bool]) -> int:
    """Run `check` in a forked copy of this process: exit status 0 when it answered True,
    1 when False, 2 when it raised, minus the signal number when it crashed (-7: SIGBUS)."""
    db.session.remove()
    pid = os.fork()
    if pid == 0:  # the copy: its own database connections, and never back into pytest
        code = 2
        try:
            db.engine.dispose(close=False)
            code = 0 if check() else 1
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _truncate_segments(folder: Path) -> None:
    """Cut every segment file of the live index to nothing (a disk full during a copy)."""
    for segment in folder.glob("*.seg"):
        os.truncate(segment, 0)


def test_truncated_segment_falls_back_without_crashing(search_corpus, caplog):
    """A warm searcher over a truncated segment: the worker survives (memory-mapped files
    died of SIGBUS), and search and match answer from the database with a logged line."""
    assert _titles("Hakenkreuz") == ["Hakenkreuz an der Schule"]  # warm: files open
    _truncate_segments(get_backend().primary.live_folder())
    status = _in_a_forked_copy(lambda: search_library(SearchQuery(text="Hakenkreuz")).fallback)
    assert status == 0, f"search in a worker with a damaged index ended with {status}"
    with caplog.at_level(logging.WARNING, logger=FALLBACK_LOGGER):
        page = search_library(SearchQuery(text="Hakenkreuz"))
        hits = match_documents(MatchRequest(terms=["Hakenkreuz"], topics=["schools"]))
    assert page.fallback
    assert [hit.title for hit in page.hits] == ["Hakenkreuz an der Schule"]
    assert hits[0].slug == "hakenkreuz-schule"
    assert [r.levelname for r in caplog.records if r.name == FALLBACK_LOGGER] == ["WARNING"] * 2
    assert not get_backend().is_healthy()


def test_a_failed_read_asks_the_worker_to_rebuild_once(search_corpus, app):
    from app.core.jobs import Job, drain
    from app.search.tasks import rebuild_unreadable_index

    app.config["JOBS_INLINE"] = False
    assert rebuild_unreadable_index() is False  # a readable index is left alone
    _truncate_segments(get_backend().primary.live_folder())
    search_library(SearchQuery(text="Hakenkreuz"))
    search_library(SearchQuery(text="Schule"))  # a second failure: still one job
    assert [job.kind for job in db.session.scalars(select(Job))] == ["search.heal"]
    assert drain().done == 1
    page = search_library(SearchQuery(text="Hakenkreuz"))
    assert not page.fallback and [hit.title for hit in page.hits] == ["Hakenkreuz an der Schule"]
    generation = get_backend().generation()
    _truncate_segments(get_backend().primary.live_folder())
    search_library(SearchQuery(text="Hakenkreuz"))
    assert drain().done == 1 and get_backend().generation() == generation  # not twice in 10 min


def test_a_missing_index_is_rebuilt_by_the_scheduled_task(search_corpus, index_dir):
    from app.search.tasks import rebuild_unreadable_index

    (index_dir / "CURRENT").unlink()
    assert rebuild_unreadable_index() is True and not search_library(SearchQuery()).fallback


# Folders ----------------------------------------------------------------------------------


def test_rebuild_leaves_only_the_live_generation(search_corpus, index_dir):
    """Older generations, a crashed rebuild's folder and the old flat layout's files go;
    files the operator keeps there stay."""
    (index_dir / f"building-20200101T000000000000-{DEAD_PID}").mkdir()
    for name in ("SCHEMA_VERSION", "_MAIN_3.toc", "MAIN_x1y2.seg", "MAIN_WRITELOCK"):
        (index_dir / name).write_text("flat layout")
    for name in ("benchmark.md", ".gitignore"):
        (index_dir / name).write_text("kept")
    rebuild_index()
    live = get_backend().primary.live_folder().name
    assert sorted(p.name for p in index_dir.iterdir()) == sorted(
        [".gitignore", "CURRENT", "benchmark.md", live])


def test_rebuild_removes_what_the_old_swap_left_beside_the_folder(search_corpus, index_dir):
    leftovers = [index_dir.parent / f".{index_dir.name}.{kind}-{DEAD_PID}"
                 for kind in ("old", "building")]
    for folder in leftovers:
        folder.mkdir()
    running = index_dir.parent / f".{index_dir.name}.building-{os.getpid()}"
    running.mkdir()  # a live process's: not ours to delete
    rebuild_index()
    assert [folder.exists() for folder in leftovers] == [False, False] and running.exists()


def test_generation_that_cannot_be_deleted_goes_later(search_corpus, monkeypatch):
    """An old generation still busy at the swap is deleted by the hourly task."""
    old = get_backend().primary.live_folder()
    real_rmtree = shutil.rmtree

    def busy(path, *args, **kwargs):
        if Path(path) == old:
            raise OSError(errno.EBUSY, "Device or resource busy", str(path))
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(shutil, "rmtree", busy)
    rebuild_index()
    assert old.exists()
    monkeypatch.undo()
    tasks.prune()
    assert not old.exists()


def test_rebuild_works_when_the_index_folder_is_a_mount_point(search_corpus, index_dir,
                                                             make_item, monkeypatch):
    """A volume mounted at INDEX_DIR cannot be renamed (EBUSY): the rebuild never tries."""
    real_rename = os.rename

    def rename(source, target, *args, **kwargs):
        if Path(source) == index_dir:
            raise OSError(errno.EBUSY, "Device or resource busy", str(source))
        return real_rename(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    shutil.rmtree(get_backend().primary.live_folder())  # only a rebuild brings search back
    rebuild_index()
    assert _titles("Hakenkreuz") == ["Hakenkreuz an der Schule"]
    assert not search_library(SearchQuery(text="Hakenkreuz")).fallback


# Fallbacks ---------------------------------------------------------------------------------

READS = {
    "search": lambda: search_library(SearchQuery(text="Hakenkreuz")),
    "match": lambda: match_documents(MatchRequest(terms=["Hakenkreuz"])),
    "related": lambda: services.related_items(RelatedQuery(
        doc_id="case:hakenkreuz-schule", topics=["schools"], language="en")),
    "suggest": lambda: services.suggest("Hakenkreuz", "en"),
}


@pytest.mark.parametrize("method", sorted(READS))
def test_every_fallback_is_logged_once_and_counted(search_corpus, index_dir, caplog, method):
    """With the index gone, each read logs one line (the method, no query) and counts."""
    shutil.rmtree(index_dir)
    before = fallback_count()
    with caplog.at_level(logging.WARNING, logger=FALLBACK_LOGGER):
        READS[method]()
    lines = [r.getMessage() for r in caplog.records if r.name == FALLBACK_LOGGER]
    assert fallback_count() == before + 1
    assert len(lines) == 1
    assert f"search: the database answered a {method} call" in lines[0]
    assert "Hakenkreuz" not in caplog.text


def test_failing_index_is_logged_by_error_class_only(search_corpus, caplog, monkeypatch):
    """An unexpected error: the log names its class, never its message (it may hold words)."""

    def failing(_query):
        raise ValueError("could not parse 'Hakenkreuz'")

    monkeypatch.setattr(get_backend().primary, "search", failing)
    with caplog.at_level(logging.WARNING, logger=FALLBACK_LOGGER):
        assert search_library(SearchQuery(text="Hakenkreuz")).fallback
    assert "the index could not (ValueError)" in caplog.text
    assert "Hakenkreuz" not in caplog.text


def test_page_says_rebuilt_only_while_a_rebuild_runs(search_corpus, search_page, index_dir,
                                                     monkeypatch):
    """Without an index the page says search is simpler for now; "being rebuilt" only while
    a rebuild really runs."""
    shutil.rmtree(index_dir)
    idle = search_page("Hakenkreuz")
    during: list[str] = []
    _rebuild_calling_midway(monkeypatch, lambda: during.append(search_page("Hakenkreuz")))
    assert SIMPLER in idle
    assert REBUILT not in idle
    assert REBUILT in during[0]
    assert SIMPLER not in during[0]



def _index_files_holding(folder: Path, word: bytes) -> list[Path]:
    """Files of the index folder whose bytes hold the word (case-insensitive)."""
    return [f for f in folder.rglob("*") if f.is_file() and word in f.read_bytes().lower()]


def test_the_purge_job_leaves_no_file_with_a_replaced_versions_text(app, make_item):
    from app.core.jobs import enqueue
    from app.search.hooks import queue_index_change
    from app.search.services import PURGE_JOB, rebuild_index

    for number in range(30):
        make_item(title=f"Talking circles {number}", body="Sit in a circle and listen. " * 20)
    secret = make_item(title="Quorbelstein at the lockers", body="Quorbelstein was pushed.")
    rebuild_index()  # one large segment holds the secret
    secret.title = "[…] at the lockers"
    secret.set_body("[…] was pushed.")
    queue_index_change(secret)
    db.session.commit()
    apply_pending()
    folder = Path(app.config["INDEX_DIR"])
    assert _index_files_holding(folder, b"quorbelstein")  # the old segment keeps it
    enqueue(PURGE_JOB, {})
    db.session.commit()  # jobs run inline after the commit in tests
    assert _index_files_holding(folder, b"quorbelstein") == []
    assert _titles("lockers") == ["[…] at the lockers"]
