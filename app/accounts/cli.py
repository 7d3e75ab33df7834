"""`flask accounts ...` commands."""

from flask.cli import AppGroup

accounts_cli = AppGroup("accounts", help="accounts commands")
