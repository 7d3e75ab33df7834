"""Health endpoints: no language prefix, no session, no personal data."""

from __future__ import annotations

import hmac

from flask import abort, current_app, jsonify, request

from app.health import bp, services


@bp.get("/healthz")
def alive():
    """Liveness: the process answers (no database call, so a slow database restarts nothing)."""
    return jsonify(status="alive")


@bp.get("/readyz")
def ready():
    """Readiness: 200 while the database answers (the index may be in fallback), else 503."""
    state = services.readiness()
    return jsonify(state.as_dict()), 200 if state.ready else 503


@bp.get("/metrics")
def metrics():
    """The same figures for Prometheus; with METRICS_TOKEN set, only for its bearer."""
    token = current_app.config.get("METRICS_TOKEN") or ""
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and not hmac.compare_digest(given.encode(), token.encode()):
        abort(404)
    body = services.metrics_text(services.readiness())
    return body, 200, {"Content-Type": "text/plain; version=0.0.4; charset=utf-8"}


@bp.after_request
def never_cache(response):
    """A monitor must see the state of now."""
    response.headers["Cache-Control"] = "no-store"
    return response
