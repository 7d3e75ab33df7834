"""ARENA: the vetted community's case board, discussions, people and notifications."""

from flask import Blueprint

bp = Blueprint("arena", __name__, url_prefix="/arena")

from app.arena import receivers, views  # noqa: E402,F401 - signal receivers; routes attach to bp
