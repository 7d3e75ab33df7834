"""Logging that keeps personal data out: no IP addresses, no secrets carried in URLs, no
exception messages (a database error's text quotes what people typed)."""

from __future__ import annotations

import logging
import re
import secrets
import traceback
from types import TracebackType

from flask import g, has_request_context, request

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


# A proxy's request id (nginx: $request_id, 32 hex digits) is kept when it looks like one.
REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def request_id() -> str:
    """This request's id for logs and the error page: the proxy's X-Request-ID when it is
    well formed, else a new random one ("-" outside a request)."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.match(given) else secrets.token_hex(8)
    return g.request_id


def describe_failure(exc_info: ExcInfo) -> str:
    """An unhandled exception as the log may keep it: its type (and the types of its
    causes), the endpoint, the request id and the code lines it passed through. Never its
    message, the path, the query string, form data or the client's address."""
    kind, error, trace = exc_info
    endpoint = request.endpoint if has_request_context() else None
    lines = [f"unhandled {_type_name(kind)} at {endpoint or '-'} (request {request_id()})"]
    cause, seen = error.__cause__ or error.__context__, {id(error)}
    while cause is not None and id(cause) not in seen:  # a chain may loop back
        lines.append(f"caused by {_type_name(type(cause))}")
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    frames = traceback.format_list(traceback.extract_tb(trace))
    return "\n".join(lines) + ("\nTraceback (code only):\n" + "".join(frames)).rstrip()


def _type_name(kind: type) -> str:
    """`sqlalchemy.exc.DataError`, `ValueError` (builtins stay short)."""
    if kind.__module__ == "builtins":
        return kind.__qualname__
    return f"{kind.__module__}.{kind.__qualname__}"


class OnlyFailureType(logging.Filter):
    """For the application's logger, where Flask logs unhandled exceptions as "Exception on
    <path> [<method>]" with the traceback, whose last line is the exception's message: a
    record with an exception becomes describe_failure's text, without the exception."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite records carrying an exception; never drop a record."""
        if record.exc_info and record.exc_info[0] is not None:
            record.msg, record.args = describe_failure(record.exc_info), ()
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def keep_failures_private(logger: logging.Logger) -> None:
    """Install OnlyFailureType on a logger (once)."""
    if not any(isinstance(f, OnlyFailureType) for f in logger.filters):
        logger.addFilter(OnlyFailureType())


def configure_logging() -> None:
    """Plain level-prefixed logs; the development server's access log without personal data."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, RedactPersonalData) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(RedactPersonalData())
