"""/healthz, /readyz and /metrics: honest states for load balancers, no personal data."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from app.core.jobs import enqueue
from app.extensions import db


def test_liveness_needs_nothing_but_the_process(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "alive"}
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_with_an_index_in_fallback_and_the_queue_counted(app, client):
    app.config["JOBS_INLINE"] = False
    enqueue("mail", {"to": "member@example.org", "subject": "Hello", "body": "Private"})
    db.session.commit()
    response = client.get("/readyz")
    body = response.json
    assert response.status_code == 200 and body["status"] == "ready"
    assert body["database"] == "ok" and body["index"]["state"] == "fallback"  # none built
    assert (body["jobs"]["queued"], body["jobs"]["due"], body["jobs"]["mail_owed"]) == (1, 1, 1)
    assert body["alerts"] == {"undecided": 0}
    text = response.get_data(as_text=True)
    assert "member@example.org" not in text and app.config["INDEX_DIR"] not in text


def test_ready_with_a_built_index(client, make_item):
    from app.search.services import rebuild_index

    make_item(title="Talking with pupils about conspiracy myths")
    rebuild_index()
    index = client.get("/readyz").json["index"]
    assert (index["state"], index["documents"], index["published"]) == ("healthy", 1, 1)


def test_not_ready_when_the_database_does_not_answer(client, monkeypatch):
    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_metrics_for_prometheus_and_behind_a_token_when_one_is_set(app, client):
    text = client.get("/metrics").get_data(as_text=True)
    assert "champions_database_up 1\n" in text and "champions_jobs_due 0\n" in text
    assert "champions_search_fallbacks_total " in text
    app.config["METRICS_TOKEN"] = "s3cret-token"
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert allowed.status_code == 200 and allowed.content_type.startswith("text/plain")
