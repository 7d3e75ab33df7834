"""POST /api/v1/match and `flask alerts match`: the same ranking, no side effects."""

from __future__ import annotations

from sqlalchemy import func, select

from app.alerts.models import Alert
from tests.fixtures.alerts import valid_alert


def test_api_returns_ranked_explained_matches_without_side_effects(client, db, alert_library):
    response = client.post("/api/v1/match", json={
        "text": valid_alert()["description"], "lang": "en",
        "categories": ["extremist_propaganda"], "country": "DE"})
    assert response.status_code == 200
    matches = response.get_json()["matches"]
    assert matches[0]["title"] == "Swastika graffiti in school toilets"
    assert set(matches[0]) >= {"id", "type", "title", "language", "url", "score", "reasons"}
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    assert matches[0]["url"].startswith("/en/")
    assert db.session.scalar(select(func.count(Alert.id))) == 0


def test_api_validation_errors_are_json_400(client):
    for body in ({}, {"text": 5}, {"text": "swastika at school", "lang": "xx"},
                 {"text": "swastika at school", "categories": "hate"},
                 {"text": "swastika at school", "country": "FR"}):
        response = client.post("/api/v1/match", json=body)
        assert response.status_code == 400
        assert response.get_json()["error"] == "invalid_request"
    assert client.post("/api/v1/match", data="not json").status_code == 400


def test_api_is_rate_limited(app, client):
    app.config["ALERT_API_RATE_LIMIT"] = [2, 60]
    codes = [client.post("/api/v1/match", json={"text": "graffiti"}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]


def test_api_limit_is_off_when_rate_limits_are_disabled(app, client):
    app.config["ALERT_API_RATE_LIMIT"] = [1, 60]
    app.config["RATELIMIT_ENABLED"] = False
    codes = {client.post("/api/v1/match", json={"text": "graffiti"}).status_code
             for _ in range(3)}
    assert codes == {200}


def test_cli_prints_the_same_ranking(runner, client, alert_library):
    text = valid_alert()["description"]
    api_titles = [m["title"] for m in client.post("/api/v1/match", json={
        "text": text, "lang": "en", "country": "DE"}).get_json()["matches"]]
    result = runner.invoke(args=["alerts", "match", text, "--lang", "en", "--country", "DE"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line[:3].strip().rstrip(".").isdigit()]
    assert len(lines) == len(api_titles)
    assert api_titles[0] in lines[0]


def test_cli_says_when_an_alert_would_be_forwarded(runner):
    result = runner.invoke(args=["alerts", "match", "nothing relevant here at all", "--lang", "pl"])
    assert result.exit_code == 0
    assert "would go to ARENA" in result.output
