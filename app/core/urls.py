"""Links to the current page with some arguments changed (language switcher, pagination)."""

from __future__ import annotations

from flask import request, url_for


def query_args() -> dict[str, list[str]]:
    """The query string, minus names url_for would take as instructions (_method, _anchor ...)."""
    return {k: v for k, v in request.args.to_dict(flat=False).items() if not k.startswith("_")}


def current_url(**changes: object) -> str:
    """The current endpoint with path arguments and query kept, `changes` applied on top."""
    args: dict[str, object] = dict(query_args())
    args.update(request.view_args or {})
    args.update(changes)
    return url_for(request.endpoint, **args)
