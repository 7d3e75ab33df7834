"""Top-level commands: translations and the development set-up (demo data)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import current_app
from flask.cli import AppGroup

from app.config import ROOT

translations_cli = AppGroup("translations", help="Extract, update, compile and check catalogs.")
dev_cli = AppGroup("dev", help="Development set-up: demo accounts (never in production).")

CATALOG_DIR = ROOT / "translations"
POT_FILE = CATALOG_DIR / "messages.pot"


def _pybabel(*args: str) -> None:
    """Run one pybabel sub-command in-process."""
    CommandLineInterface().run(["pybabel", "-q", *args])


@translations_cli.command("extract")
def extract_messages() -> None:
    """Extract every translatable string into translations/messages.pot."""
    _pybabel(
        "extract", "-F", str(CATALOG_DIR / "babel.cfg"), "-k", "_l", "-k", "_lp:1c,2",
        "--no-location",
        "--ignore-dirs", ".* __pycache__",  # the default also skips _macros/ and _partials/
        "--sort-output", "-o", str(POT_FILE), str(ROOT),
    )
    click.echo(f"extracted to {POT_FILE.relative_to(ROOT)}")


@translations_cli.command("update")
def update_catalogs() -> None:
    """Extract, then merge new strings into every language's catalog (creating missing ones)."""
    extract_messages.callback()
    for code in translated_languages():
        po = CATALOG_DIR / code / "LC_MESSAGES" / "messages.po"
        verb = "update" if po.exists() else "init"
        _pybabel(verb, "-i", str(POT_FILE), "-d", str(CATALOG_DIR), "-l", code, "--no-wrap")
    click.echo("catalogs updated")


@translations_cli.command("compile")
def compile_catalogs() -> None:
    """Compile the catalogs to .mo files."""
    _pybabel("compile", "-d", str(CATALOG_DIR))
    click.echo("catalogs compiled")


def compile_stale_catalogs(directory: Path = CATALOG_DIR) -> list[Path]:
    """Compile each catalog whose .mo is missing or older than its .po, as `compile` would
    (fuzzy entries left out); the .mo files written. A fresh clone has none: they are build
    products, and bare `pytest` must work."""
    written = []
    for po_path in catalog_paths(directory):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        with mo_path.open("wb") as target:
            write_mo(target, catalog)
        written.append(mo_path)
    return written


def catalog_paths(directory: Path = CATALOG_DIR) -> list[Path]:
    """Every language's .po file."""
    return sorted(directory.glob("*/LC_MESSAGES/messages.po"))


def translated_languages() -> list[str]:
    """Languages with a catalog: all but English, the source language of every msgid."""
    return [code for code in current_app.config["LANGUAGES"] if code != "en"]


@dev_cli.command("demo-accounts")
def demo_accounts() -> None:
    """Create (or refresh) the demo accounts and print their credentials; development only."""
    from app.accounts.demo import create_demo_accounts
    from app.roundtables.demo import create_demo_roundtables

    if current_app.config.get("ENV_MODE") != "development":
        raise click.ClickException("demo accounts exist only in development mode (ENV_MODE).")
    accounts = create_demo_accounts()
    click.echo(f"{'Role':<12} {'Country':<8} {'E-mail':<40} Password")
    for account in accounts:
        role = "expert" if account.kind == "expert" else account.role
        click.echo(f"{role:<12} {account.country:<8} {account.email:<40} {account.password}")
    created = create_demo_roundtables()
    if created:
        click.echo(f"demo roundtables created: {', '.join(r.name for r in created)}")


def main() -> None:
    """`champions ...`: the portal's flask commands without setting FLASK_APP."""
    from flask.cli import FlaskGroup

    from app import create_app
    from app.core.operations import ensure_data_dir

    if _asks_for_help(sys.argv[1:]):
        factory = _app_for_help
    else:
        ensure_data_dir()
        factory = create_app
    FlaskGroup(create_app=factory, help="CHAMPIONs Portal commands.")()


def _asks_for_help(args: list[str]) -> bool:
    """`champions`, `champions --help`, `champions serve --help`: nothing will run."""
    return not args or "--help" in args or "-h" in args


def _app_for_help():
    """An app that only lists commands and options: the production checks (secret key, mail,
    BASE_URL) guard running ones, and an operator reads the help before configuring."""
    from app import create_app

    return create_app({"ENV_MODE": "development"})
