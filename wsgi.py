"""WSGI entry point: `app = create_app()` for any WSGI server."""

from app import create_app

app = create_app()
