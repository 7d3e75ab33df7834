"""`flask accounts ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from app.accounts import services
from app.accounts.choices import COUNTRIES
from app.accounts.forms import PASSWORD_MAX, PASSWORD_MIN
from app.accounts.passwords import password_problem

accounts_cli = AppGroup("accounts", help="Account commands (create an administrator).")


def _check_password(ctx, param, value: str) -> str:
    """Refuse passwords the registration form would refuse."""
    if not PASSWORD_MIN <= len(value) <= PASSWORD_MAX:
        raise click.BadParameter(f"use {PASSWORD_MIN} to {PASSWORD_MAX} characters")
    return value


@accounts_cli.command("create-admin")
@click.option("--email", prompt=True, help="E-mail address used to log in.")
@click.option("--name", prompt=True, help="Name shown to other members.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    callback=_check_password,
    help="At least 12 characters (prompted, hidden, when left out).",
)
@click.option("--country", default="EU", type=click.Choice(list(COUNTRIES)), show_default=True)
def create_admin(email: str, name: str, password: str, country: str) -> None:
    """Create an approved administrator (or promote the account with that address)."""
    if "@" not in email:
        raise click.BadParameter("not an e-mail address", param_hint="--email")
    check = current_app.config["BREACHED_PASSWORD_CHECK"]
    with force_locale("en"):  # the command speaks English, like its other messages
        problem = password_problem(password, email, name, check_breached=check)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    user = services.create_admin(email, name, password, country)
    click.echo(f"Administrator ready: {user.email}")
