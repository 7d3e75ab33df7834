"""Configuration: defaults for the embedded set-up, overridden by CHAMPIONS_* variables."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask.helpers import get_debug_flag

# An installed wheel carries content/, handbooks/, translations/ (compiled) and migrations/
# in app/_bundled/ (setup.py copies them at build time); a checkout keeps them beside app/.
PACKAGE_DIR = Path(__file__).resolve().parent


def source_root(package_dir: Path) -> Path:
    """Where content/, handbooks/, translations/ and migrations/ are read: the checkout when
    app/ sits in one, else the copy bundled in the installed package."""
    checkout = package_dir.parent
    if (checkout / "manage.py").is_file() and (checkout / "content" / "taxonomy.yml").is_file():
        return checkout
    return package_dir / "_bundled"


def default_data_dir(root: Path, environ: Mapping[str, str]) -> Path:
    """Where runtime data goes (never site-packages): CHAMPIONS_DATA_DIR; else the checkout's
    root, as always; else, installed, the user's data folder (~/.local/share/champions-portal)."""
    configured = environ.get("CHAMPIONS_DATA_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    if root.name != "_bundled":
        return root
    base = environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "champions-portal"


ROOT = source_root(PACKAGE_DIR)
DATA_ROOT = default_data_dir(ROOT, os.environ)
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production
# Shortest SECRET_KEY production accepts (secrets.token_hex(32) gives 64 characters).
MIN_SECRET_KEY_LENGTH = 32
# The values STORAGE_BACKEND may take (app/core/storage.py).
STORAGE_BACKENDS = ("local", "s3")


class Config:
    """Defaults (production mode: unsafe ones are refused); every key can be overridden by
    CHAMPIONS_<KEY>."""

    # Signs sessions, CSRF tokens and e-mail links; production refuses the default and any
    # key shorter than MIN_SECRET_KEY_LENGTH.
    SECRET_KEY = DEFAULT_SECRET_KEY
    # "production" (the default: anything but "development") refuses to start with unsafe
    # settings (unsafe_setting_reason). Only an explicit "development" (`manage.py run` and
    # `manage.py test` set it) allows the default key, console or memory mail, a plain-http
    # BASE_URL and demo accounts: an instance started without CHAMPIONS_* is safe or stopped.
    ENV_MODE = "production"
    DEBUG = False
    # SQLAlchemy URL of the source of truth (CHAMPIONS_DATABASE_URL).
    DATABASE_URL = f"sqlite:///{DATA_ROOT / 'instance' / 'champions.sqlite'}"
    # Folder of the Whoosh index, rebuilt from the database at any time (CHAMPIONS_INDEX_DIR).
    INDEX_DIR = str(DATA_ROOT / "search_index")
    # SQLite only: how long (ms) a write waits for another connection's write to finish
    # before failing with "database is locked" (a burst of alerts queues instead of failing);
    # below gunicorn's 30 s worker timeout, so a stuck lock fails a request, not the worker.
    SQLITE_BUSY_TIMEOUT_MS = 20000
    # Seconds a save waits for the index writer lock before leaving its change queued.
    SEARCH_LOCK_TIMEOUT = 1.0
    # Free space (MB) below which the index folder counts as unhealthy: a rebuild writes a
    # whole new generation beside the live one, and a save that finds the disk full fails.
    INDEX_MIN_FREE_MB = 50
    # Folders the content loader reads by default.
    CONTENT_DIRS = [str(ROOT / "content"), str(ROOT / "handbooks")]
    # The multilingual taxonomy always in force.
    TAXONOMY_FILE = str(ROOT / "content" / "taxonomy.yml")
    # The concept thesaurus (one YAML file per group), always in force like the taxonomy.
    THESAURUS_FOLDER = str(ROOT / "content" / "thesaurus")
    # Where compiled translation catalogs live (anchored to the root, not app/).
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    # Languages offered, in menu order, and the fallback.
    LANGUAGES = ["en", "de", "pl", "ro", "hu"]
    DEFAULT_LANGUAGE = "en"
    # Absolute address used in e-mailed links.
    BASE_URL = "http://127.0.0.1:5000"
    # Mail: "console" prints, "smtp" sends, "memory" keeps mails in app.extensions for tests.
    MAIL_BACKEND = "console"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_SENDER = "CHAMPIONs Portal <no-reply@champions.local>"
    # Seconds the worker waits for the mail server before the mail job is retried later.
    MAIL_TIMEOUT = 10
    # Jobs (mail, forwarding) are done by a worker process (`flask jobs work`); inline runs
    # them right after the commit that queued them, in the same process (tests only: a slow
    # mail server would then hold the request).
    JOBS_INLINE = False
    # A failed job is tried again after 30 s, 60 s, 120 s ... (at most an hour apart), and
    # kept as "failed" for an operator after this many attempts.
    JOBS_MAX_ATTEMPTS = 8
    JOBS_RETRY_SECONDS = 30
    # /metrics answers only with "Authorization: Bearer <token>" when this is set (the figures
    # are counts, never personal data; /healthz and /readyz stay open for load balancers).
    METRICS_TOKEN = ""
    # Whether anyone may register as a practitioner or expert.
    REGISTRATION_OPEN = True
    # Rate limits on login, receipts, alerts and the API; off only for tests and benchmarks.
    RATELIMIT_ENABLED = True
    # Lifetime of e-mail confirmation and password reset links, in seconds.
    TOKEN_MAX_AGE = 2 * 24 * 3600
    # Results per page in lists.
    PAGE_SIZE = 20
    # ALERT: minimum normalised score for a "strong" match and for any match at all.
    MATCH_STRONG_THRESHOLD = 0.55
    MATCH_MIN_THRESHOLD = 0.25
    # ALERT: how many key terms a match query uses (concepts carry most of the cross-lingual
    # signal; 12 ranked the evaluation set as 15 did, and each word costs 15 field look-ups).
    MATCH_MAX_TERMS = 12
    # ALERT: feedback ("helped" / "did not help") moves an item's score by at most this share
    # of the score itself, so it never outweighs relevance: with 0.1, an item overtakes only
    # items less than 22% more relevant (0.9 / 1.1); at least this many votes (for the alert's
    # topics, else for any topic at half weight) before it moves anything; the votes are also
    # smoothed by as many pseudo-votes, so 3 of 3 "helped" give half the maximum shift.
    FEEDBACK_MAX_SHARE = 0.1
    FEEDBACK_MIN_VOTES = 3
    # ARENA: an urgent case nobody acknowledged within this many minutes is escalated to the
    # admins; the channels that reach coordinators at once ("portal" and "email"; SMS later).
    URGENT_ESCALATE_MINUTES = 120
    URGENT_CHANNELS = ["portal", "email"]
    # ALERT rate limits per address (hashed, never stored), as [attempts, seconds]:
    # reports sent, wrong receipt codes, live previews while typing, POST /api/v1/match.
    # Reports saying someone is in danger have their own, higher limit, so a reporter who
    # used up the first one can still send the report that matters most.
    ALERT_RATE_LIMIT = [5, 3600]
    ALERT_DANGER_RATE_LIMIT = [20, 3600]
    ALERT_RECEIPT_RATE_LIMIT = [10, 3600]
    ALERT_PREVIEW_RATE_LIMIT = [120, 600]
    ALERT_API_RATE_LIMIT = [60, 60]
    # Session cookie flags. Secure follows BASE_URL (on for https) unless set explicitly;
    # production refuses it off.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = None
    # Flask-WTF CSRF tokens live as long as the session, so a slow reporter loses nothing.
    WTF_CSRF_TIME_LIMIT = None
    # Index changes are applied after commit; tests may set "sync" as well, same path.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # --- Production (issue 11) -------------------------------------------------------
    # Where a deployment keeps its data: the SQLite file, the index and backups default to
    # folders under it (CHAMPIONS_DATA_DIR, read when the process starts; a checkout uses the
    # repository root, an installed package ~/.local/share/champions-portal).
    DATA_DIR = str(DATA_ROOT)
    # Uploaded files (library attachments): "local" keeps them in STORAGE_DIR (empty:
    # <DATA_DIR>/files), outside the web root; "s3" in an S3-compatible object store.
    STORAGE_BACKEND = "local"
    STORAGE_DIR = ""
    # Library attachments: the largest file of each kind, in MB, checked after the portal
    # has decided the kind from the file's content (the name and the browser's claim count
    # for nothing).
    ATTACHMENT_LIMITS_MB = {"document": 25, "slides": 50, "image": 10, "audio": 100,
                            "video": 500, "captions": 1}
    # The largest of those: the body limit of the upload route only (every other route keeps
    # MAX_CONTENT_LENGTH), so an oversized upload is refused while it is read, before it
    # fills the disk. deploy/nginx/champions.conf allows the same for that location.
    ATTACHMENT_MAX_MB = 500
    # "s3": the bucket (required), a prefix for the portal's objects, the endpoint of a
    # non-AWS store (MinIO, Ceph, Garage ...; empty: AWS itself) and the region. Credentials
    # never go here: boto3 reads its standard chain (AWS_ACCESS_KEY_ID and
    # AWS_SECRET_ACCESS_KEY in the environment, ~/.aws, an instance role).
    STORAGE_S3_BUCKET = ""
    STORAGE_S3_PREFIX = "champions/"
    STORAGE_S3_ENDPOINT_URL = ""
    STORAGE_S3_REGION = ""
    # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto headers are trusted
    # (nginx on the same host: 1). 0 trusts none: the rate limits would count the proxy.
    PROXY_HOPS = 0
    # `champions serve`: address, worker processes and request timeout (seconds).
    SERVE_BIND = "127.0.0.1:8000"
    SERVE_WORKERS = 4
    SERVE_TIMEOUT = 30
    # Mail over TLS: MAIL_USE_TLS upgrades a plain connection with STARTTLS (port 587),
    # MAIL_USE_SSL connects with TLS from the start (port 465; it wins when both are set).
    # Both verify the certificate and the host name against the system's trust store
    # (SSL_CERT_FILE names another bundle, e.g. a private CA's).
    MAIL_USE_SSL = False

    # --- Accounts (issue 11) ----------------------------------------------------------
    # Roles that must use a second factor (TOTP) before seeing anything; members may opt in.
    TWO_FACTOR_REQUIRED_ROLES = ["coordinator", "admin"]
    # Issuer name shown in authenticator apps.
    TWO_FACTOR_ISSUER = "CHAMPIONs Portal"
    # Refuse passwords found in the offline list of breached passwords.
    BREACHED_PASSWORD_CHECK = True
    # A session ends after this many seconds without a request (by role), and in any case
    # this many seconds after the login.
    SESSION_IDLE_SECONDS = {"member": 8 * 3600, "coordinator": 30 * 60, "admin": 30 * 60}
    SESSION_ABSOLUTE_SECONDS = 24 * 3600
    # Login throttling per account + address: after this many failures, every further attempt
    # waits twice as long as the one before (from LOGIN_DELAY_BASE seconds, at most
    # LOGIN_DELAY_MAX); an address trying many accounts is limited as [attempts, seconds].
    LOGIN_FREE_FAILURES = 5
    LOGIN_DELAY_BASE = 2
    LOGIN_DELAY_MAX = 900
    LOGIN_ADDRESS_RATE_LIMIT = [50, 3600]

    # --- GDPR (issue 11) --------------------------------------------------------------
    # The data controller named in the privacy notice (fill these for every deployment).
    PRIVACY_CONTROLLER = ""
    PRIVACY_CONTACT = ""
    PRIVACY_DPO_CONTACT = ""
    PRIVACY_LEGAL_BASIS = "public_interest"
    # Alert text, place, contact and messages are purged this many days after the case
    # closed or the alert was answered; the country's coordinators are warned this many days
    # before; the access log is kept this many days.
    RETENTION_ALERT_DAYS = 180
    RETENTION_WARNING_DAYS = 14
    RETENTION_ACCESS_LOG_DAYS = 365

    # Roundtables (issue 12): messages to a roundtable's secretariat from its public profile,
    # per address and window ([count, seconds]); how many days ahead the public calendar and
    # a member's calendar feed reach, and how far back a feed keeps past meetings.
    ROUNDTABLE_CONTACT_RATE_LIMIT = [5, 3600]
    CALENDAR_DAYS_AHEAD = 365
    CALENDAR_FEED_DAYS_BACK = 90

    # Public trends (issue 13): alerts by month, category and setting for the network and
    # each country, on /trends. False hides the pages (404) and every link to them.
    TRENDS_ENABLED = True
    # Every published figure is at least this many alerts; smaller ones, and the ones that
    # would let a reader subtract their way to a smaller one, are hidden (app/insights/trends.py).
    TRENDS_MIN_COUNT = 5


class TestConfig(Config):
    """Settings for the test suite: memory mail, temporary paths set by fixtures."""

    TESTING = True
    # Explicitly development: the tests use the default key, memory mail and http addresses
    # (tests/core/test_production_checks.py covers production mode).
    ENV_MODE = "development"
    MAIL_BACKEND = "memory"
    JOBS_INLINE = True
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True
    # Most tests log coordinators and admins in without an authenticator app; the two-factor
    # tests (tests/accounts/test_two_factor.py) switch the requirement on themselves.
    TWO_FACTOR_REQUIRED_ROLES: list[str] = []


def load_environment(app) -> None:
    """Apply CHAMPIONS_* variables (JSON-decoded: true, 5, ["en"])."""
    app.config.from_prefixed_env("CHAMPIONS")


def derive_settings(config: dict) -> None:
    """Settings that follow others, once every override is in: Secure cookies over https."""
    if config.get("SESSION_COOKIE_SECURE") is None:
        config["SESSION_COOKIE_SECURE"] = str(config.get("BASE_URL", "")).startswith("https://")


def unsafe_setting_reason(config: Mapping[str, Any]) -> str | None:
    """The one-line reason the portal must not start with `config`, naming the variable to
    set, or None when it may: outside development mode every production check must pass."""
    if config.get("ENV_MODE") == "development":
        return None
    for check in PRODUCTION_CHECKS:
        reason = check(config)
        if reason:
            return reason
    return None


def _secret_key_reason(config: Mapping[str, Any]) -> str | None:
    """Anyone who knows the key forges sessions (an admin's) and e-mail links."""
    key = str(config.get("SECRET_KEY") or "")
    if not key or key == DEFAULT_SECRET_KEY:
        return ("CHAMPIONS_SECRET_KEY is missing or the public development default; set a "
                f"random one of at least {MIN_SECRET_KEY_LENGTH} characters "
                "(python3 -c 'import secrets; print(secrets.token_hex(32))').")
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return (f"CHAMPIONS_SECRET_KEY has {len(key)} characters; set a random one of at "
                f"least {MIN_SECRET_KEY_LENGTH}.")
    return None


def _debug_reason(config: Mapping[str, Any]) -> str | None:
    """The debugger shows source and settings, and runs code for whoever reaches it
    (`flask run --debug` sets FLASK_DEBUG, which the configuration does not show)."""
    if config.get("DEBUG") or get_debug_flag():
        return ("Debug mode is on; set CHAMPIONS_DEBUG=false and unset FLASK_DEBUG (no "
                "--debug).")
    return None


def _mail_reason(config: Mapping[str, Any]) -> str | None:
    """Console mail prints password-reset links into the log; memory mail sends nothing."""
    backend = config.get("MAIL_BACKEND")
    if backend in ("console", "memory"):
        return (f"CHAMPIONS_MAIL_BACKEND is {backend!r}, which never delivers mail (console "
                "prints reset links into the log); set CHAMPIONS_MAIL_BACKEND=smtp and "
                "CHAMPIONS_MAIL_SERVER.")
    return None


def _base_url_reason(config: Mapping[str, Any]) -> str | None:
    """Links in mails and the cookies' Secure flag follow BASE_URL: it must be https."""
    if not str(config.get("BASE_URL", "")).startswith("https://"):
        return ("CHAMPIONS_BASE_URL is not an https:// address; set it to the portal's public "
                "https address (e-mailed links and Secure cookies follow it).")
    return None


def _cookie_reason(config: Mapping[str, Any]) -> str | None:
    """Without Secure, the browser would send the session cookie over plain http too."""
    if not config.get("SESSION_COOKIE_SECURE"):
        return ("CHAMPIONS_SESSION_COOKIE_SECURE is false, so session cookies could travel "
                "over plain http; remove it (it follows the https CHAMPIONS_BASE_URL).")
    return None


def _privacy_controller_reason(config: Mapping[str, Any]) -> str | None:
    """The privacy notice must name who is responsible for the reports (GDPR art. 13)."""
    missing = [key for key in ("PRIVACY_CONTROLLER", "PRIVACY_CONTACT")
               if not str(config.get(key) or "").strip()]
    if missing:
        return (f"CHAMPIONS_{missing[0]} is empty; the privacy notice must name the data "
                "controller and how to reach them (CHAMPIONS_PRIVACY_CONTROLLER, "
                "CHAMPIONS_PRIVACY_CONTACT).")
    return None


def _storage_reason(config: Mapping[str, Any]) -> str | None:
    """Uploads would fail at the first attachment, long after the start looked fine."""
    backend = config.get("STORAGE_BACKEND") or "local"
    if backend not in STORAGE_BACKENDS:
        return (f"CHAMPIONS_STORAGE_BACKEND is {backend!r}, which the portal does not know; "
                "set it to local or s3.")
    if backend == "s3" and not str(config.get("STORAGE_S3_BUCKET") or "").strip():
        return ("CHAMPIONS_STORAGE_BACKEND is s3 but CHAMPIONS_STORAGE_S3_BUCKET is empty; "
                "set the bucket's name.")
    return None


PRODUCTION_CHECKS: tuple[Callable[[Mapping[str, Any]], str | None], ...] = (
    _secret_key_reason, _debug_reason, _mail_reason, _base_url_reason, _cookie_reason,
    _privacy_controller_reason, _storage_reason,
)
