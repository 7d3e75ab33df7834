"""Helpers run as separate processes beside the server: `python -m tests.load.actors ACTION`.

immediate-mail  every approved member gets new cases by e-mail at once (set-up)
hold-lock DIR   hold the Whoosh writer lock of the index in DIR until stopped
edit-library    save, submit and publish library items (as the demo expert and coordinator)
                until stopped

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
    """Create, submit and publish items; every third round also edit a published one (it
    leaves search until published again). Neutral texts: no alert should be matched to them.
    A failed round (e.g. the database is locked) is counted, rolled back and not retried."""
    stop = stop_event()
    with create_app().app_context():
        author, reviewer = find_by_email(AUTHOR), find_by_email(REVIEWER)
        published, failed = [], 0
        while not stop.is_set():
            try:
                _edit_round(author, reviewer, published)
            except Exception as error:  # noqa: BLE001 - the editor goes on, like a person
                db.session.rollback()
                failed += 1
                print(f"round failed: {type(error).__name__}", flush=True)
            time.sleep(PAUSE)
        print(f"editor: {len(published)} items published, {failed} rounds failed", flush=True)


def _edit_round(author: User, reviewer: User, published: list) -> None:
    """One new item published; every third round an edit of an earlier one, published again."""
    number = len(published)
    item = create_item(author, _draft(number))
    _publish(item, author, reviewer)
    published.append(item)
    print(f"published {len(published)} ", flush=True)
    if number % 3 == 2:
        edited = update_item(published[number // 3], author, _draft(number))
        _publish(edited, author, reviewer, submitted=True)


def _publish(item, author, reviewer, submitted: bool = False) -> None:
    """Submit (unless an edit already put it in review) and publish."""
    if not submitted:
        submit_for_review(item, author, LINK)
    publish_item(item, reviewer, LINK)


def _draft(number: int) -> ItemDraft:
    """A neutral practice text."""
    return ItemDraft(
        type="practice", language="en", title=f"Staff room timetable note {number}",
        summary="Where the staff room timetable hangs and who updates it each term.",
        body=f"The timetable is pinned next to the coffee machine. Revision {number}.",
    )


ACTIONS = {"immediate-mail": immediate_mail, "hold-lock": hold_lock, "edit-library": edit_library}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ACTIONS:
        sys.exit(__doc__)
    ACTIONS[sys.argv[1]](*sys.argv[2:])
