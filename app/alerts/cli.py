"""`flask alerts ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.alerts.choices import ALERT_COUNTRIES, CATEGORY_LABELS
from app.alerts.matching import api_ranking, match_alert

alerts_cli = AppGroup("alerts", help="alerts commands")


@alerts_cli.command("match")
@click.argument("text")
@click.option("--lang", default="en", help="Page language of the reporter (en, de, pl, ro, hu).")
@click.option("--country", type=click.Choice(list(ALERT_COUNTRIES)), default=None)
@click.option("--category", "categories", multiple=True,
              type=click.Choice(list(CATEGORY_LABELS)), help="Alert category (repeatable).")
@click.option("--setting", default=None, help="Alert setting key (school, online, ...).")
def match_command(text, lang, country, categories, setting):
    """Print the ranking ALERT and POST /api/v1/match give for TEXT (nothing is stored)."""
    if lang not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"unknown language {lang}", param_hint="--lang")
    with current_app.test_request_context():  # url_for needs a request to build paths
        ranking = api_ranking(match_alert(text, lang, list(categories), country, setting), lang)
    if not ranking:
        click.echo("No match above the minimum threshold: this alert would go to ARENA.")
    for number, row in enumerate(ranking, 1):
        topics = ", ".join(t["label"] for t in row["reasons"]["topics"]) or "-"
        concepts = ", ".join(c["label"] for c in row["reasons"]["concepts"]) or "-"
        words = ", ".join(row["reasons"]["matched_terms"]) or "-"
        click.echo(f"{number:2}. {row['score']:.3f} {row['level']:<7} {row['type']:<12} "
                   f"[{row['language']}] {row['title']}")
        click.echo(f"    concepts: {concepts} | topics: {topics} | words: {words}")
        click.echo(f"    {row['url'] or row['id']}")
