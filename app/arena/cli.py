"""`flask notify ...` commands."""

from flask.cli import AppGroup

notify_cli = AppGroup("notify", help="notify commands")
