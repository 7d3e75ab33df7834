"""JSON API: POST /api/v1/match ranks library resources for a text, with no side effects."""

from __future__ import annotations

from flask import current_app, jsonify, request

from app.alerts import api_bp
from app.alerts.choices import ALERT_COUNTRIES, CATEGORY_LABELS, SETTING_LABELS
from app.alerts.matching import api_ranking, match_alert
from app.alerts.services import configured_limit
from app.core.control_characters import first_control_character
from app.core.ratelimit import client_key, hit

MAX_TEXT = 10000


@api_bp.route("/match", methods=["POST"])
def match():
    """Rank matches for {"text", "lang"?, "categories"?, "country"?, "setting"?}."""
    if hit("api-match", client_key(), *configured_limit("ALERT_API_RATE_LIMIT")):
        return jsonify(error="rate_limited", status=429), 429
    payload = request.get_json(silent=True)
    problems, query = parse_match_request(payload)
    if problems:
        return jsonify(error="invalid_request", status=400, problems=problems), 400
    recommendations = match_alert(**query)
    return jsonify(language=query["lang"], matches=api_ranking(recommendations, query["lang"]))


def parse_match_request(payload) -> tuple[dict[str, str], dict]:
    """Validate the JSON body: (problems by field, keyword arguments for match_alert)."""
    if not isinstance(payload, dict):
        return {"body": "expected a JSON object"}, {}
    problems: dict[str, str] = {}
    text = payload.get("text")
    if not isinstance(text, str) or not 3 <= len(text.strip()) <= MAX_TEXT:
        problems["text"] = f"a string of 3 to {MAX_TEXT} characters is required"
    elif first_control_character(text):
        problems["text"] = "control characters (other than tab and line breaks) are not allowed"
    lang = payload.get("lang") or current_app.config["DEFAULT_LANGUAGE"]
    if lang not in current_app.config["LANGUAGES"]:
        problems["lang"] = "one of " + ", ".join(current_app.config["LANGUAGES"])
    categories = payload.get("categories") or []
    if not isinstance(categories, list) or not all(
        isinstance(c, str) and c in CATEGORY_LABELS for c in categories
    ):
        problems["categories"] = "a list of: " + ", ".join(CATEGORY_LABELS)
    problems.update(_optional_key(payload, "country", ALERT_COUNTRIES))
    problems.update(_optional_key(payload, "setting", SETTING_LABELS))
    query = {"text": text, "lang": lang, "categories": categories,
             "country": payload.get("country"), "setting": payload.get("setting")}
    return problems, query


def _optional_key(payload: dict, name: str, allowed) -> dict[str, str]:
    """A problem when an optional key is present but not one of the allowed values."""
    value = payload.get(name)
    if value is None or (isinstance(value, str) and value in allowed):
        return {}
    return {name: "one of " + ", ".join(allowed)}
