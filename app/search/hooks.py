"""Index changes: queued with the content change, applied after commit by a single writer."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from flask import has_app_context
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.library.models import ContentItem
from app.search.backend import group_key
from app.search.documents import published_versions, to_document
from app.search.models import IndexQueue

log = logging.getLogger(__name__)
_APPLY_LOCK = threading.Lock()  # one applier per process; Whoosh's lock covers processes
_PENDING = "search_queue_pending"
BATCH = 500


def queue_index_change(item: ContentItem, deleted: bool = False) -> None:
    """Queue the index change of the item this version belongs to (call before commit): the
    whole translation group is re-read from the database when the queue is applied."""
    action = "index" if item.is_published and not deleted else "remove"
    db.session.add(IndexQueue(doc_id=group_key(item.type, item.slug), action=action))


def pending_count() -> int:
    """Index changes waiting in the queue."""
    return db.session.scalar(select(func.count(IndexQueue.id))) or 0


def apply_pending(limit: int = BATCH) -> int:
    """Apply every queued change in batches; on a failure the rest stays queued (rows done)."""
    if not _APPLY_LOCK.acquire(timeout=5):
        log.warning("search: another thread is applying the index queue; changes stay queued")
        return 0
    done = 0
    try:
        while batch := _apply_batch(limit):
            done += batch
    except Exception as error:  # noqa: BLE001 - a save must never fail because of the index
        log.warning("search: index not updated, changes stay queued (%s)", error)
    finally:
        _APPLY_LOCK.release()
    return done


def _apply_batch(limit: int) -> int:
    """Read a batch in its own session, write the index, then delete what was applied."""
    from app.search.services import get_backend

    with Session(db.engine) as session:
        rows = session.scalars(select(IndexQueue).order_by(IndexQueue.id).limit(limit)).all()
        if not rows:
            return 0
        documents, removals = _resolve(session, {row.doc_id for row in rows})
        backend = get_backend()
        if documents:
            backend.index(documents)
        if removals:
            backend.remove(removals)
        session.execute(delete(IndexQueue).where(IndexQueue.id.in_([row.id for row in rows])))
        session.commit()
        return len(rows)


def _resolve(session: Session, doc_ids: set[str]) -> tuple[list, list[str]]:
    """The database decides: items with a published version are (re)indexed with all their
    published versions, the others removed."""
    found = published_versions(session, sorted(doc_ids))
    documents = [to_document(versions) for versions in found.values()]
    removals = sorted(doc_ids - found.keys())
    return documents, removals


def clear_queue_before(moment: datetime) -> int:
    """Drop queued changes older than a rebuild's start (the rebuild read the database after)."""
    result = db.session.execute(delete(IndexQueue).where(IndexQueue.queued_at < moment))
    db.session.commit()
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
