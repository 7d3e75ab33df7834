"""`flask search ...` commands: rebuild, optimize, status, apply-queue."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.search.documents import published_count

search_cli = AppGroup("search", help="Search index: rebuild, optimize, status, apply the queue.")


@search_cli.command("rebuild")
def rebuild_command() -> None:
    """Build a fresh index from the database and swap it in."""
    from app.search.services import rebuild_index

    with click.progressbar(length=published_count(), label="Indexing") as bar:
        summary = rebuild_index(progress=bar.update)
    click.echo(f"Indexed {summary.count} items in {summary.seconds:.1f} s.")


@search_cli.command("optimize")
def optimize_command() -> None:
    """Merge the index into one segment and purge deleted items (a nightly job; saves keep
    the segment count bounded themselves)."""
    from app.search.services import get_backend

    get_backend().optimize()
    click.echo("Index merged into one segment.")


@search_cli.command("status")
def status_command() -> None:
    """Say whether the index is usable, how many documents it holds and what is queued."""
    from app.search.services import index_status

    status = index_status()
    state = "healthy" if status["healthy"] else f"UNUSABLE ({status['problem']})"
    click.echo(f"Index: {status['path']}: {state}")
    click.echo(f"Documents: {status['documents']} indexed, {status['published']} published")
    click.echo(f"Queued changes: {status['queued']}")
    if not status["healthy"]:
        click.echo("Search answers from the database; run `flask search rebuild`.")


@search_cli.command("apply-queue")
def apply_queue_command() -> None:
    """Apply queued index changes (normally done right after each commit)."""
    from app.search.hooks import apply_pending, pending_count

    done = apply_pending()
    total = pending_count()
    click.echo(f"Applied {done} queued changes; {total} still queued.")
    if total:
        raise SystemExit(1)
