"""Addresses of library pages, for templates and other features (no view import needed)."""

from __future__ import annotations

from flask import url_for


def library_url(item_type: str, slug: str, **values) -> str:
    """The detail page of an item or handbook chapter (slug "<handbook>/<nn>-<chapter>")."""
    if item_type == "handbook" and "/" in slug:
        handbook, chapter = slug.split("/", 1)
        return url_for("library.show_chapter", handbook=handbook, chapter=chapter, **values)
    if item_type == "handbook":
        return url_for("library.show_handbook", handbook=slug, **values)
    return url_for("library.show_item", item_type=item_type, slug=slug, **values)
