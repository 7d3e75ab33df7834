"""Top-level commands: translations and the development set-up (demo data)."""

from flask.cli import AppGroup

translations_cli = AppGroup("translations", help="Extract, update and compile catalogs.")
dev_cli = AppGroup("dev", help="Development set-up: demo accounts (never in production).")
