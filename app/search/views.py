"""Search views: the results page and the autocomplete endpoint (thin: parse, call, render)."""

from __future__ import annotations

from flask import current_app, g, jsonify, redirect, request, url_for

from app.library.browse import KEPT_ARGS
from app.search import bp, services
from app.search.backend import FILTERS

MIN_SUGGEST_CHARS = 2


def _language() -> str:
    """The page language."""
    return g.get("lang_code") or current_app.config["DEFAULT_LANGUAGE"]


@bp.get("/")
def results():
    """The search box's old address: the library is the one results page."""
    args = {key: request.args.getlist(key) for key in (*FILTERS, *KEPT_ARGS, "page")
            if key in request.args}
    return redirect(url_for("library.index", **args), code=301)


@bp.get("/suggest")
def suggest():
    """JSON {"suggestions": [...]} for the search box's autocomplete."""
    typed = (request.args.get("q") or "").strip()[:100]
    found = services.suggest(typed, _language()) if len(typed) >= MIN_SUGGEST_CHARS else []
    return jsonify(suggestions=found)
