"""Control characters in what people send: forms refuse them on the field (app.core.forms),
the JSON API with 400, and an address (path or query) holding one gets 400 before any view
runs. PostgreSQL cannot store or even compare text with NUL; the others hide text."""

from __future__ import annotations

import re

from flask import Flask, abort, request

# Unicode category Cc (C0, DEL and C1) except tab, line feed and carriage return, which
# text areas legitimately send.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_control_character(text: str) -> str | None:
    """The first forbidden control character in `text`, or None."""
    found = CONTROL_CHARACTER.search(text)
    return found.group() if found else None


def init_control_character_checks(app: Flask) -> None:
    """Check every request's address before its view."""
    app.before_request(refuse_control_characters_in_address)


def refuse_control_characters_in_address() -> None:
    """400 when the path or a query argument (name or value) holds a control character: no
    view takes one as a slug, a filter or a search word."""
    texts = [request.path, *(text for pair in request.args.items(multi=True) for text in pair)]
    if any(map(first_control_character, texts)):
        abort(400)
