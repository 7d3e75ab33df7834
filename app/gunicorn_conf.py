"""gunicorn settings for the portal (`champions serve`, or `gunicorn -c python:app.gunicorn_conf
'app:create_app()'`): pre-forked sync workers behind a local reverse proxy.

Bind address, workers and timeout come from CHAMPIONS_SERVE_BIND, _WORKERS and _TIMEOUT
(defaults in app/config.py). The access log names neither the client's address nor the
query string, and hides the tokens of e-mailed links (privacy: GDPR data minimisation)."""

from __future__ import annotations

import os
import re

from gunicorn.glogging import Logger

from app.config import Config
from app.core.operations import parse_setting


def _setting(key: str):
    """CHAMPIONS_<key>, JSON-decoded like the app's settings, else the default in Config."""
    return parse_setting(os.environ.get(f"CHAMPIONS_{key}"), getattr(Config, key))


bind = str(_setting("SERVE_BIND"))
workers = int(_setting("SERVE_WORKERS"))
worker_class = "sync"  # one request per process: simple, and a stuck one cannot block others
# A request running longer than this is killed with its worker (SQLite's busy timeout is
# below it, so a locked database fails the request, not the worker).
timeout = int(_setting("SERVE_TIMEOUT"))
graceful_timeout = 30  # on restart or stop, requests in flight get this long to finish
keepalive = 5  # behind nginx, which keeps connections to the clients itself
# Workers are replaced after about this many requests (jitter: not all at once), so a slow
# leak in any library can never grow for months.
max_requests = 2000
max_requests_jitter = 200
# No runtime control socket (gunicorn 25+ puts one in $HOME): systemd signals the master,
# and two instances on one machine would fight over the same path.
control_socket_disable = True
# X-Forwarded-Proto/-For are believed from the reverse proxy on this machine only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Logs go to stderr: journald (systemd) or the container runtime keeps them.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Time, method, path without the query string, status, bytes, duration: no client address,
# no user agent, no referrer (they could carry a search or a receipt).
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
# Paths that carry a secret: the tokens of confirmation and password-reset links, and of
# members' private calendar feeds (/roundtables/calendar/<token>.ics; the feed's settings
# page, /roundtables/calendar/feed, is no secret).
SECRET_PATH = re.compile(
    r"(/(?:confirm|password/reset|roundtables/calendar)/)(?!feed(?:[/?]|$))[^/?]+"
)


def private_path(path: str) -> str:
    """The path with secret tokens replaced by "<token>"."""
    return SECRET_PATH.sub(r"\1<token>", path)


class PrivateLogger(Logger):
    """gunicorn's logger with secret tokens taken out of logged paths."""

    def atoms(self, resp, req, environ, request_time):
        """The access log fields, the path made private."""
        found = super().atoms(resp, req, environ, request_time)
        found["U"] = private_path(found.get("U", ""))
        return found


logger_class = PrivateLogger
