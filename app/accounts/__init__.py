"""Accounts: registration, confirmation, login, profile, password reset."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

from app.accounts import session, views  # noqa: E402,F401 - user loader and routes attach on import
