"""Packaging and deployment: the wheel, manage.py, the production server."""
