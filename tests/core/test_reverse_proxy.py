"""Behind a reverse proxy the portal sees the visitor's address and scheme, only when told to."""

from __future__ import annotations

from flask import Flask, request

from app import trust_reverse_proxy

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def _seen_by(hops: int) -> tuple[str, str]:
    """The address and scheme a view sees for a request that went through one proxy."""
    app = Flask(__name__)
    app.config["PROXY_HOPS"] = hops
    app.add_url_rule("/", "who", lambda: f"{request.remote_addr} {request.scheme}")
    trust_reverse_proxy(app)
    response = app.test_client().get("/", headers=FORWARDED,
                                     environ_base={"REMOTE_ADDR": "127.0.0.1"})
    address, scheme = response.get_data(as_text=True).split()
    return address, scheme


def test_one_trusted_proxy_gives_the_visitors_address_and_scheme():
    assert _seen_by(1) == ("203.0.113.7", "https")


def test_without_a_trusted_proxy_forwarded_headers_are_ignored():
    """A visitor cannot pick a fresh address per request to escape the rate limits."""
    assert _seen_by(0) == ("127.0.0.1", "http")
