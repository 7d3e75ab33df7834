"""Logging that keeps personal data out: no IP addresses, no secrets carried in URLs."""

from __future__ import annotations

import logging
import re

ADDRESS = re.compile(r"^\S+ - - ")  # werkzeug's access line starts with the client address
# Signed tokens in confirm/reset links: long segments with capitals or dots (slugs have none).
SECRET_SEGMENT = re.compile(r"/(?=[\w\-.]*[A-Z.])[\w\-.]{32,}")
QUERY = re.compile(r"\?[^\s\"]*")  # search words and filters may describe an incident


class RedactPersonalData(logging.Filter):
    """Rewrite access-log lines: drop the address, the query string and token-like segments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message in place; never drop the record."""
        message = record.getMessage()
        redacted = ADDRESS.sub("- - - ", message)
        redacted = SECRET_SEGMENT.sub("/[redacted]", redacted)
        redacted = QUERY.sub("?[redacted]", redacted)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def configure_logging() -> None:
    """Plain level-prefixed logs; the development server's access log without personal data."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactPersonalData) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(RedactPersonalData())
