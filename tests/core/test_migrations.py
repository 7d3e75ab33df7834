"""`flask db upgrade` builds exactly the schema the models describe, on an empty database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import TestConfig
from app.extensions import db


@contextmanager
def empty_database(tmp_path) -> Iterator[str]:
    """A brand-new database of the kind under test (PostgreSQL or SQLite)."""
    base = os.environ.get("CHAMPIONS_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    name = f"champions_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def migrated_app(tmp_path):
    """An app whose database was created by the migrations alone."""
    with empty_database(tmp_path) as url:
        application = create_app({"TESTING": True, "DATABASE_URL": url,
                                  "INDEX_DIR": str(tmp_path / "index"),
                                  "MAIL_BACKEND": TestConfig.MAIL_BACKEND,
                                  "ENV_MODE": TestConfig.ENV_MODE})
        with application.app_context():
            upgrade()
            yield application
            db.session.remove()
            db.engine.dispose()


def test_upgrade_creates_every_table_the_models_define(migrated_app):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables


def test_migrations_match_the_models_exactly(migrated_app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], "models changed without a migration: flask db migrate"


def test_downgrade_to_base_removes_the_schema(migrated_app):
    downgrade(revision="base")
    remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert remaining == set()
