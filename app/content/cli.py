"""`flask content ...` commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.loader import ContentError, content_files, load_folders

content_cli = AppGroup("content", help="Load the library from content files.")


@content_cli.command("load")
@click.argument("paths", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
def load_command(paths: tuple[Path, ...]) -> None:
    """Load content folders (default: CONTENT_DIRS); all or nothing."""
    roots = list(paths) or [Path(p) for p in current_app.config["CONTENT_DIRS"]]
    total = sum(len(content_files(r)) for r in roots if r.is_dir())
    try:
        with click.progressbar(length=total, label="Reading content files") as bar:
            reports = load_folders(roots, progress=bar.update)
    except ContentError as error:
        click.echo(f"Nothing loaded: {len(error.problems)} problem(s).", err=True)
        for problem in error.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(1) from error
    for report in reports:
        click.echo(
            f"{report.root}: {len(report.added)} added, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged, {len(report.unpublished)} unpublished"
        )
        for path in report.kept_portal:
            click.echo(f"  {path}: not loaded: a member wrote this language version on the "
                       "portal, and the portal version is kept")
        for path in report.kept_edited:
            click.echo(f"  {path}: not loaded: edited on the portal, the portal version is kept")
