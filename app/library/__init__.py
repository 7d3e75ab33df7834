"""Training Yard: browse, read and publish library resources."""

from flask import Blueprint

bp = Blueprint("library", __name__, url_prefix="/library")

from app.library import attachment_views, directory_views, pdf_views, views  # noqa: E402,F401 - routes attach to bp
