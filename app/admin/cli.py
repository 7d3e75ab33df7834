"""`flask gdpr ...`: the retention policy by hand (a cron job or a dry look first)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.admin.retention import RetentionRun, preview_retention, run_retention

gdpr_cli = AppGroup("gdpr", help="GDPR operations: retention purge.")


@gdpr_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would happen; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Warn coordinators, purge alerts past the retention period, prune the access log."""
    run = preview_retention() if dry_run else run_retention()
    click.echo(_summary(run, dry_run))


def _summary(run: RetentionRun, dry_run: bool) -> str:
    """Counts only: never a text, an address or an id."""
    verb = "would be" if dry_run else "were"
    return (f"{run.warned} alerts {verb} announced to coordinators; "
            f"{run.purged} alerts {verb} purged; "
            f"{run.access_log_pruned} access log entries {verb} pruned.")
