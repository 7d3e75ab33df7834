"""Thin views for the pages that belong to no single feature."""

from flask import render_template

from app.main import bp


@bp.get("/")
def home():
    """The portal's front door: what ALERT, ARENA and the Training Yard are, and a way in."""
    return render_template("main/home.html")


@bp.get("/privacy")
def privacy():
    """The privacy notice every reporter consents to."""
    return render_template("main/privacy.html")
