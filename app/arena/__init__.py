"""ARENA: the vetted community's case board, discussions, people and notifications."""

from flask import Blueprint

bp = Blueprint("arena", __name__, url_prefix="/arena")

from app.arena import receivers  # noqa: E402,F401 - connects to ALERT's signals
from app.arena import views  # noqa: E402,F401 - routes attach to bp
