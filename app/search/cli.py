"""`flask search ...` commands: rebuild, optimize, status, apply-queue, reconcile."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.search.documents import published_count

search_cli = AppGroup("search", help="Search index: rebuild, optimize, status, apply the "
                      "queue, reconcile with the database.")


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
    """Say whether the index is usable and healthy, what it holds, how it differs from the
    database and what is queued."""
    from app.search.services import index_differences, index_status

    status = index_status()
    click.echo(f"Index: {status['path']}: {_state(status)}")
    if status["rebuilding"]:
        click.echo("A rebuild is in progress.")
    click.echo(f"Documents: {status['documents']} indexed, {status['published']} published")
    click.echo(f"Differences: {_differences(index_differences())}")
    click.echo(f"Queued changes: {status['queued']}")
    if not status["searchable"]:
        click.echo("Search answers from the database; run `flask search rebuild`.")
    if not status["healthy"]:
        raise SystemExit(1)  # for monitors and scripts: anything short of healthy fails


def _state(status: dict) -> str:
    """healthy, UNHEALTHY (still searchable) or UNUSABLE, with the reason."""
    if status["healthy"]:
        return "healthy"
    if status["searchable"]:
        return f"UNHEALTHY ({status['problem']}; searches still use the index)"
    return f"UNUSABLE ({status['problem']})"


def _differences(found: tuple[int, int] | None) -> str:
    """Published items missing from the index and indexed items no longer published."""
    if found is None:
        return "unknown while the index cannot be read"
    missing, extra = found
    if not missing and not extra:
        return "none"
    return (f"{missing} published items missing from the index, {extra} indexed items not "
            "published; run `flask search reconcile`")


@search_cli.command("apply-queue")
def apply_queue_command() -> None:
    """Apply queued index changes (normally done right after each commit)."""
    from app.search.hooks import apply_pending, pending_count

    done = apply_pending()
    total = pending_count()
    click.echo(f"Applied {done} queued changes; {total} still queued.")
    if total:
        raise SystemExit(1)


@search_cli.command("reconcile")
def reconcile_command() -> None:
    """Apply the queue, then add published items missing from the index and remove items
    that are no longer published (the scheduled task does this every 15 minutes)."""
    from app.search.services import IndexUnavailable, reconcile_index

    try:
        summary = reconcile_index()
    except IndexUnavailable as error:
        raise click.ClickException(f"{error}; run `flask search rebuild` first.") from error
    click.echo(f"Indexed {summary.indexed} items, {summary.published} published: "
               f"{summary.added} added, {summary.removed} removed.")
