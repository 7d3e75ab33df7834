"""Index changes: queued with the content change, applied after commit by a single writer,
and kept a day once applied so that a rebuild can replay the ones it may have missed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

from flask import has_app_context
from sqlalchemy import delete, event, func, select, update
from sqlalchemy.orm import Session

from app.accounts.models import utcnow
from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import SearchBackend, group_key
from app.search.documents import published_versions, to_document
from app.search.models import IndexQueue
from app.search.whoosh_backend import IndexUnavailable

log = logging.getLogger(__name__)
_APPLY_LOCK = threading.Lock()  # one applier per process; Whoosh's lock covers processes
_PENDING = "search_queue_pending"
BATCH = 500
_UNAPPLIED = IndexQueue.applied_at.is_(None)


def queue_index_change(item: ContentItem, deleted: bool = False) -> None:
    """Queue the index change of the item this version belongs to (call before commit): the
    whole translation group is re-read from the database when the queue is applied."""
    action = "index" if item.is_published and not deleted else "remove"
    db.session.add(IndexQueue(doc_id=group_key(item.type, item.slug), action=action))


def pending_count() -> int:
    """Index changes waiting in the queue (not applied yet)."""
    return db.session.scalar(select(func.count(IndexQueue.id)).where(_UNAPPLIED)) or 0


def apply_pending(limit: int = BATCH) -> int:
    """Apply every pending change in batches; on a failure the rest stays pending."""
    if not _APPLY_LOCK.acquire(timeout=5):
        log.warning("search: another thread is applying the index queue; changes stay queued")
        return 0
    done = 0
    try:
        while batch := _apply_batch(limit):
            done += batch
    except IndexUnavailable as error:  # no index yet (first load) or a broken one
        log.info("search: no usable index (%s); changes stay queued until a rebuild", error)
    except Exception as error:  # noqa: BLE001 - a save must never fail because of the index
        log.warning("search: index not updated, changes stay queued (%s)", type(error).__name__)
    finally:
        _APPLY_LOCK.release()
    return done


def _apply_batch(limit: int) -> int:
    """Read a batch in its own session, write the index, then mark the rows applied; unless
    a rebuild swapped in a new index meanwhile (the rows stay pending for that one)."""
    from app.search.services import get_backend

    with Session(db.engine) as session:
        rows = session.scalars(select(IndexQueue).where(_UNAPPLIED)
                               .order_by(IndexQueue.id).limit(limit)).all()
        if not rows:
            return 0
        backend = get_backend()
        written_to = backend.generation()
        _write(session, backend, {row.doc_id for row in rows})
        session.execute(update(IndexQueue).where(IndexQueue.id.in_([row.id for row in rows]))
                        .values(applied_at=utcnow()))
        # Checked after the update, before the commit: a rebuild replays rows once it has
        # swapped, and its replay waits for this transaction, so no change falls between.
        if backend.generation() != written_to:
            return 0  # not committed: the rows stay pending for the new index
        session.commit()
        return len(rows)


def refresh_items(doc_ids: list[str], batch: int = BATCH) -> None:
    """Write items to the index as the database has them now (removed when unpublished)."""
    from app.search.services import get_backend

    backend = get_backend()
    with Session(db.engine) as session:
        for ids in _batches(doc_ids, batch):
            _write(session, backend, set(ids))


def _write(session: Session, backend: SearchBackend, doc_ids: set[str]) -> None:
    """The database decides: items with a published version are (re)indexed with all their
    published versions, the others removed."""
    found = published_versions(session, sorted(doc_ids))
    documents = [to_document(versions) for versions in found.values()]
    removals = sorted(doc_ids - found.keys())
    if documents:
        backend.index(documents)
    if removals:
        backend.remove(removals)


def committed_since(moment: datetime) -> set[int]:
    """Ids of the changes queued since the moment and committed by now: a rebuild that reads
    the database after this call sees what they changed."""
    with Session(db.engine) as session:
        return set(session.scalars(select(IndexQueue.id).where(IndexQueue.queued_at >= moment)))


def settle_after_rebuild(moment: datetime, seen: set[int]) -> int:
    """After a rebuild swapped in: the changes it saw committed (and older ones) count as
    applied; those committed while it read are pending again, to be replayed on the new
    index (a save may have applied them to the old one). Returns how many are replayed."""
    with Session(db.engine) as session:
        recent = session.scalars(select(IndexQueue.id).where(IndexQueue.queued_at >= moment))
        replayed = sorted(set(recent) - seen)
        done = update(IndexQueue).where(_UNAPPLIED).values(applied_at=utcnow())
        session.execute(done.where(IndexQueue.queued_at < moment))
        for ids in _batches(sorted(seen)):
            session.execute(done.where(IndexQueue.id.in_(ids)))
        for ids in _batches(replayed):
            session.execute(update(IndexQueue).where(IndexQueue.id.in_(ids))
                            .values(applied_at=None))
        session.commit()
        return len(replayed)


def _batches(values: list, size: int = BATCH) -> Iterator[list]:
    """The values in lists of at most `size` (bounded IN lists)."""
    for start in range(0, len(values), size):
        yield values[start:start + size]


def prune_applied_queue(older_than: timedelta) -> int:
    """Delete changes applied longer ago than `older_than` (a rebuild replays minutes only)."""
    with Session(db.engine) as session:
        result = session.execute(delete(IndexQueue).where(
            IndexQueue.applied_at < utcnow() - older_than))
        session.commit()
        return result.rowcount or 0


def _note_queued(session: Session, flush_context) -> None:
    """after_flush: remember that this transaction queued index changes."""
    if any(isinstance(obj, IndexQueue) for obj in session.new):
        session.info[_PENDING] = True


def _apply_after_commit(session: Session) -> None:
    """after_commit: apply the queue (never raises into the request)."""
    if session.info.pop(_PENDING, False) and has_app_context():
        apply_pending()


def _forget_queued(session: Session, previous_transaction=None) -> None:
    """after_rollback: the queued rows were rolled back with the change."""
    session.info.pop(_PENDING, None)


def register_session_hooks() -> None:
    """Listen on db.session once per process (every app shares the scoped session)."""
    for name, listener in (
        ("after_flush", _note_queued),
        ("after_commit", _apply_after_commit),
        ("after_rollback", _forget_queued),
    ):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
