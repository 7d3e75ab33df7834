"""Accounts: registration, confirmation, login, profile, password reset."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from app.accounts import views  # noqa: E402,F401 - routes attach to bp
from app.accounts import session  # noqa: E402,F401 - registers the user loader
