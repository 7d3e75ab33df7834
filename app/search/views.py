"""Search views: the results page and the autocomplete endpoint (thin: parse, call, render)."""

from __future__ import annotations

from flask import current_app, g, jsonify, render_template, request

from app.library import choices
from app.library.browse import active_filters, facet_groups, query_from_args
from app.search import bp, services

MIN_SUGGEST_CHARS = 2


def _language() -> str:
    """The page language."""
    return g.get("lang_code") or current_app.config["DEFAULT_LANGUAGE"]


@bp.get("/")
def results():
    """Results with facets, snippets, did-you-mean and pages; an empty form without a query."""
    query = query_from_args(request.args, _language(), current_app.config["PAGE_SIZE"])
    searched = bool(query.text or query.filters)
    page = services.search_library(query) if searched else None
    return render_template(
        "search/results.html", query=query, page=page,
        facets=facet_groups(page.facets, query, request.args) if page else [],
        chosen=active_filters(query, request.args),
        TYPE_LABELS=choices.TYPE_LABELS, FACET_LABELS=choices.FACET_LABELS,
        SORT_LABELS=choices.SORT_LABELS,
    )


@bp.get("/suggest")
def suggest():
    """JSON {"suggestions": [...]} for the search box's autocomplete."""
    typed = (request.args.get("q") or "").strip()[:100]
    found = services.suggest(typed, _language()) if len(typed) >= MIN_SUGGEST_CHARS else []
    return jsonify(suggestions=found)
