"""Helpers run as separate processes beside the server: `python -m tests.load.actors ACTION`.

set-up          every approved member gets new cases by e-mail at once; the editor's items
                are created and published (before the index is built)
hold-lock DIR   hold the Whoosh writer lock of the index in DIR until stopped
edit-library    edit and publish again the editor's items in turn (as the demo expert and
                coordinator) until stopped

The app is configured by the CHAMPIONS_* variables the caller sets.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import select

from app import create_app
from app.accounts.models import User
from app.accounts.services import find_by_email
from app.arena.services.notifications import set_preferences
from app.extensions import db
from app.library.models import ContentItem
from app.library.publishing import (
    ItemDraft,
    create_item,
    publish_item,
    submit_for_review,
    update_item,
)

AUTHOR = "expert-1@demo.example.org"  # an approved member in DE
REVIEWER = "coordinator-de@demo.example.org"
LINK = "http://127.0.0.1/"
PAUSE = 0.3  # seconds between two saves: a busy editorial team, not a flood
EDITED_ITEMS = 4  # the editor's own items, published at set-up and edited in turn


def stop_event() -> threading.Event:
    """Set by SIGTERM or SIGINT."""
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_args: stop.set())
    return stop


def immediate_mail() -> None:
    """Every approved member asks for new cases by e-mail at once (so forwarding mails)."""
    with create_app().app_context():
        members = db.session.scalars(select(User).where(User.status == "approved")).all()
        for member in members:
            set_preferences(member, {"new_case": "immediate"})
        db.session.commit()
        print(f"{len(members)} members get new cases at once", flush=True)


def hold_lock(index_dir: str) -> None:
    """Take the index's writer lock as another process would, and keep it until stopped."""
    from whoosh import index

    import app.search.whoosh_schema  # noqa: F401 - the schema's analysers, to open the index
    from tests.load.faults import live_index

    stop = stop_event()
    writer = index.open_dir(str(live_index(Path(index_dir)))).writer(timeout=30)
    print("locked", flush=True)
    stop.wait()
    writer.cancel()


def edit_library() -> None:
    """Save and publish the editor's items in turn: each edit takes the item out of search
    (in review) until it is published again. The library keeps its size, so alerts are matched
    against the same library as in the reference run. A failed round (e.g. the database is
    locked) is counted, rolled back and not retried."""
    stop = stop_event()
    with create_app().app_context():
        author, reviewer = find_by_email(AUTHOR), find_by_email(REVIEWER)
        items = db.session.scalars(select(ContentItem).where(ContentItem.author_id == author.id)
                                   .order_by(ContentItem.id)).all()
        rounds, failed = 0, 0
        while items and not stop.is_set():
            try:
                _edit_round(items[rounds % len(items)], author, reviewer, rounds)
                rounds += 1
                print(f"published {rounds} ", flush=True)
            except Exception as error:  # noqa: BLE001 - the editor goes on, like a person
                db.session.rollback()
                failed += 1
                print(f"round failed: {type(error).__name__}", flush=True)
            time.sleep(PAUSE)
        print(f"editor: {rounds} edits published, {failed} failed", flush=True)


def _edit_round(item: ContentItem, author: User, reviewer: User, revision: int) -> None:
    """Edit a published item (back to review, out of search), then publish it again."""
    edited = update_item(item, author, _draft(_item_number(item), revision))
    publish_item(edited, reviewer, LINK)


def _item_number(item: ContentItem) -> int:
    """The number in the title of one of the editor's items."""
    return int(item.title.rsplit(" ", 1)[1])


def set_up() -> None:
    """Before the index is built: members get new cases at once; the editor's items exist,
    published."""
    immediate_mail()
    with create_app().app_context():
        author, reviewer = find_by_email(AUTHOR), find_by_email(REVIEWER)
        for number in range(EDITED_ITEMS):
            item = create_item(author, _draft(number, 0))
            submit_for_review(item, author, LINK)
            publish_item(item, reviewer, LINK)
        print(f"{EDITED_ITEMS} items for the editor published", flush=True)


def _draft(number: int, revision: int) -> ItemDraft:
    """A neutral practice text: nothing an alert would be matched to."""
    return ItemDraft(
        type="practice", language="en", title=f"Staff room timetable note {number}",
        summary="Where the staff room timetable hangs and who updates it each term.",
        body=f"The timetable is pinned next to the coffee machine. Revision {revision}.",
    )


ACTIONS = {"set-up": set_up, "hold-lock": hold_lock, "edit-library": edit_library}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ACTIONS:
        sys.exit(__doc__)
    ACTIONS[sys.argv[1]](*sys.argv[2:])
