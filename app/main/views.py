"""Thin views for the pages that belong to no single feature."""

from flask import current_app, render_template

from app.main import bp
from app.main.privacy import privacy_facts


@bp.get("/")
def home():
    """The portal's front door: what ALERT, ARENA and the Training Yard are, and a way in."""
    return render_template("main/home.html")


@bp.get("/privacy")
def privacy():
    """The privacy notice every reporter consents to, filled from the configuration."""
    return render_template("main/privacy.html", facts=privacy_facts(current_app.config))
