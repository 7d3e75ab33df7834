"""`flask alerts ...` commands."""

from flask.cli import AppGroup

alerts_cli = AppGroup("alerts", help="alerts commands")
