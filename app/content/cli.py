"""`flask content ...` commands."""

from flask.cli import AppGroup

content_cli = AppGroup("content", help="content commands")
