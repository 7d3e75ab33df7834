"""Configuration: defaults for the embedded set-up, overridden by CHAMPIONS_* variables."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production


class Config:
    """Development defaults; every key can be overridden by CHAMPIONS_<KEY>."""

    # Signs sessions, CSRF tokens and e-mail links; production refuses the default.
    SECRET_KEY = DEFAULT_SECRET_KEY
    # "development" allows demo accounts and console mail; "production" enforces safe settings.
    ENV_MODE = "development"
    DEBUG = False
    # SQLAlchemy URL of the source of truth (CHAMPIONS_DATABASE_URL).
    DATABASE_URL = f"sqlite:///{ROOT / 'instance' / 'champions.sqlite'}"
    # Folder of the Whoosh index, rebuilt from the database at any time (CHAMPIONS_INDEX_DIR).
    INDEX_DIR = str(ROOT / "search_index")
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
    ALERT_RATE_LIMIT = [5, 3600]
    ALERT_RECEIPT_RATE_LIMIT = [10, 3600]
    ALERT_PREVIEW_RATE_LIMIT = [120, 600]
    ALERT_API_RATE_LIMIT = [60, 60]
    # Session cookie flags (Secure is set when BASE_URL is https).
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    # Flask-WTF CSRF tokens live as long as the session, so a slow reporter loses nothing.
    WTF_CSRF_TIME_LIMIT = None
    # Index changes are applied after commit; tests may set "sync" as well, same path.
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024

    # --- Production (issue 11) -------------------------------------------------------
    # Where a deployment keeps its data: the SQLite file, the index and backups default to
    # folders under it (CHAMPIONS_DATA_DIR; a checkout uses the repository root).
    DATA_DIR = ""
    # `champions serve`: address, worker processes and request timeout (seconds).
    SERVE_BIND = "127.0.0.1:8000"
    SERVE_WORKERS = 4
    SERVE_TIMEOUT = 30
    # Mail over TLS: "starttls" upgrades a plain connection, "ssl" connects with TLS; both
    # verify the certificate and the host name against the system's trust store.
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


class TestConfig(Config):
    """Settings for the test suite: memory mail, temporary paths set by fixtures."""

    TESTING = True
    MAIL_BACKEND = "memory"
    JOBS_INLINE = True
    WTF_CSRF_ENABLED = True
    RATELIMIT_ENABLED = True


def load_environment(app) -> None:
    """Apply CHAMPIONS_* variables (JSON-decoded: true, 5, ["en"]) and derive cookie security."""
    app.config.from_prefixed_env("CHAMPIONS")
    if str(app.config.get("BASE_URL", "")).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True


def check_production(config: dict) -> str | None:
    """Return the one-line reason production mode must not start, or None when it may."""
    if config.get("ENV_MODE") != "production":
        return None
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        return "CHAMPIONS_SECRET_KEY is missing or the development default; set a long random one."
    if config.get("DEBUG"):
        return "Debug mode is on; production must run with CHAMPIONS_DEBUG=false."
    if config.get("MAIL_BACKEND") == "memory":
        return "CHAMPIONS_MAIL_BACKEND=memory would drop every mail; use smtp."
    return None
