"""`flask notify ...` commands (for cron)."""

import click
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="ARENA notification e-mails.")


@notify_cli.command("digest")
def digest_command() -> None:
    """Send daily digests and retry immediate e-mails that failed; nothing is sent twice."""
    from app.arena.services.cases import sync_forwarded_alerts, sync_reporter_messages
    from app.arena.services.notifications import send_owed_mail
    from app.extensions import db

    sync_forwarded_alerts()
    sync_reporter_messages()
    db.session.commit()
    sent, failed = send_owed_mail()
    click.echo(f"{sent} e-mails sent, {failed} failed (kept for the next run).")
    if failed:
        raise SystemExit(1)
