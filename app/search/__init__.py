"""Search: the one interface over the index, its views and its CLI."""

from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

from app.search import views  # noqa: E402,F401 - routes attach to bp
