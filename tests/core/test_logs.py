"""Access logs keep no IP addresses, tokens or search words."""

import logging

from app.core.logs import RedactPersonalData


def _redacted(message: str, *args) -> str:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, message, args, None)
    RedactPersonalData().filter(record)
    return record.getMessage()


def test_access_line_loses_address_query_and_token():
    token = "eyJ1c2VyIjo0Mn0.ZmFrZS1zaWduYXR1cmUtdmFsdWUtaGVyZQ"
    line = _redacted('%s - - [24/Nov/2026] "GET /en/confirm/%s?q=swastika HTTP/1.1" 200 -',
                     "203.0.113.7", token)
    assert "203.0.113.7" not in line
    assert token not in line and "swastika" not in line
    assert '"GET /en/confirm/[redacted]?[redacted] HTTP/1.1" 200' in line


def test_ordinary_lines_are_kept():
    assert _redacted("search: index rebuilt in %s s", 4) == "search: index rebuilt in 4 s"
    chapter = "/en/library/handbooks/youth-at-risk/05-referral-and-multi-agency-support-2024"
    assert chapter in _redacted('- - - [24/Nov/2026] "GET %s HTTP/1.1" 200 -', chapter)


def test_the_filter_is_installed_on_the_server_log(app):
    assert any(isinstance(f, RedactPersonalData) for f in logging.getLogger("werkzeug").filters)
