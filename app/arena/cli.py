"""`flask notify ...` commands (the worker runs the same tasks on its own schedule)."""

import click
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="ARENA notification e-mails.")


@notify_cli.command("digest")
def digest_command() -> None:
    """Queue the daily digests (the worker does this once a day itself) and catch up with
    forwarded alerts and reporters' messages; nothing is sent twice."""
    from app.arena.services.notifications import send_owed_mail
    from app.arena.tasks import catch_up_with_alerts

    catch_up_with_alerts()
    queued = send_owed_mail()
    click.echo(f"{queued} e-mails queued; the worker (`flask jobs work`) delivers them.")
