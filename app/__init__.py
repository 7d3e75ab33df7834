"""Application factory: create_app reads like a table of contents."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app.config import Config, derive_settings, load_environment, unsafe_setting_reason
from app.core.database import engine_options
from app.core.logs import configure_logging
from app.extensions import babel, csrf, db, login_manager, migrate


def create_app(config: type | dict[str, Any] | None = None) -> Flask:
    """Build the portal: configuration, extensions, blueprints, commands, error pages."""
    app = Flask(__name__, instance_relative_config=False)
    configure_app(app, config)
    trust_reverse_proxy(app)
    configure_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_error_handlers(app)
    register_template_helpers(app)
    return app


def configure_app(app: Flask, config: type | dict[str, Any] | None) -> None:
    """Defaults, then environment, then the caller's overrides; refuse unsafe settings
    outside development mode."""
    app.config.from_object(Config)
    load_environment(app)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                          engine_options(app.config["DATABASE_URL"], app.config))
    derive_settings(app.config)
    reason = unsafe_setting_reason(app.config)
    if reason:
        raise SystemExit(f"Refusing to start in production mode: {reason}")
    configure_logging()


def trust_reverse_proxy(app: Flask) -> None:
    """Behind PROXY_HOPS reverse proxies (nginx: 1), take the client's address and scheme from
    their X-Forwarded-For/-Proto headers, so rate limits count visitors, not the proxy."""
    hops = int(app.config["PROXY_HOPS"])
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def configure_extensions(app: Flask) -> None:
    """Bind the unbound extensions and the cross-cutting hooks."""
    from app import models  # noqa: F401 - every table known to metadata, Alembic, mappers
    from app.core.control_characters import init_control_character_checks
    from app.core.i18n import init_i18n, select_locale
    from app.core.jobs import register_session_hooks as register_job_hooks
    from app.core.security import init_security
    from app.search.services import init_search

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_root() / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_i18n(app)
    init_security(app)
    init_control_character_checks(app)
    init_search(app)
    register_job_hooks()
    _register_tasks()


def _register_tasks() -> None:
    """Import the modules that register jobs and scheduled tasks (search registers its own)."""
    from app.alerts import tasks as alert_tasks  # noqa: F401
    from app.arena import tasks as arena_tasks  # noqa: F401
    from app.core import tasks as core_tasks  # noqa: F401


def register_blueprints(app: Flask) -> None:
    """Every feature package exposes `bp`; language-bound ones live under /<lang_code>."""
    from app.accounts import bp as accounts_bp
    from app.admin import bp as admin_bp
    from app.alerts import api_bp as alerts_api_bp
    from app.alerts import bp as alerts_bp
    from app.arena import bp as arena_bp
    from app.health import bp as health_bp
    from app.insights import bp as insights_bp
    from app.insights.dashboard_views import bp as dashboard_bp
    from app.library import bp as library_bp
    from app.main import bp as main_bp
    from app.roundtables import bp as roundtables_bp
    from app.search.views import bp as search_bp

    for blueprint in (main_bp, accounts_bp, library_bp, search_bp, alerts_bp, arena_bp,
                      roundtables_bp, insights_bp, dashboard_bp, admin_bp):
        app.register_blueprint(blueprint, url_prefix=f"/<lang_code>{blueprint.url_prefix or ''}")
    app.register_blueprint(alerts_api_bp)
    csrf.exempt(alerts_api_bp)
    app.register_blueprint(health_bp)


def register_cli(app: Flask) -> None:
    """Command groups: accounts, content, search, alerts, notify, jobs, storage, translations,
    demo."""
    from app.accounts.cli import accounts_cli
    from app.admin.cli import gdpr_cli
    from app.alerts.cli import alerts_cli
    from app.arena.cli import arena_cli, notify_cli
    from app.cli import dev_cli, translations_cli
    from app.content.cli import content_cli
    from app.core.operations import OPERATIONS_COMMANDS
    from app.core.storage_cli import storage_cli
    from app.core.worker import jobs_cli
    from app.search.cli import search_cli

    for group in (accounts_cli, content_cli, search_cli, alerts_cli, notify_cli, arena_cli,
                  jobs_cli, gdpr_cli, storage_cli, *OPERATIONS_COMMANDS):
        app.cli.add_command(group)
    app.cli.add_command(translations_cli)
    app.cli.add_command(dev_cli)


def register_error_handlers(app: Flask) -> None:
    """Localised 400/403/404/429/500 pages."""
    from app.main.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals shared by every template."""
    from app.core.templating import register

    register(app)


def _root():
    """The checkout's root, or the copy bundled in an installed package (app/config.py)."""
    from app.config import ROOT

    return ROOT
