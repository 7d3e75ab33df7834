"""`flask notify ...` commands (the worker runs the same tasks on its own schedule)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="ARENA notification e-mails.")
arena_cli = AppGroup("arena", help="ARENA lessons: how well cases are de-identified.")
LABELLED_SET = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "deidentify"


@notify_cli.command("digest")
def digest_command() -> None:
    """Queue the daily digests (the worker does this once a day itself) and catch up with
    forwarded alerts and reporters' messages; nothing is sent twice."""
    from app.arena.services.notifications import send_owed_mail
    from app.arena.tasks import catch_up_with_alerts

    catch_up_with_alerts()
    queued = send_owed_mail()
    click.echo(f"{queued} e-mails queued; the worker (`flask jobs work`) delivers them.")


@arena_cli.command("escalate")
def escalate_command() -> None:
    """Escalate urgent cases nobody acknowledged in time to the admins (the worker does this
    every 5 minutes itself; for a systemd timer): each case once, even beside the worker."""
    from app.arena.services.notifications import queue_immediate_mail
    from app.arena.services.urgent import escalate_overdue
    from app.extensions import db

    escalated = escalate_overdue()
    queue_immediate_mail()
    db.session.commit()
    click.echo(f"{escalated} urgent cases escalated.")


@arena_cli.command("deidentify-eval")
@click.option("--folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=LABELLED_SET, show_default=True, help="labelled texts, <lang>.yaml")
@click.option("--bundled", is_flag=True,
              help="read the common words from the content folders instead of the library")
@click.option("--show-errors", is_flag=True, help="list the missed spans and wrong removals")
def deidentify_eval_command(folder: Path, bundled: bool, show_errors: bool) -> None:
    """Per language: the share of marked identifying spans removed and of other words removed
    by mistake (README: goals 95 % and at most 3 %)."""
    from app.arena.services.lesson_words import evaluate_labelled
    from app.core.deidentify.evaluation import table

    dirs = current_app.config["CONTENT_DIRS"] if bundled else None
    scores = evaluate_labelled(folder, dirs)
    click.echo(table(scores))
    if show_errors:
        for found in scores:
            click.echo(f"{found.language}: missed {found.missed}; "
                       f"wrongly removed {found.wrongly_removed}")
