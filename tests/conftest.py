"""Fixtures live in tests/fixtures and load as plugins (one place for each fixture)."""

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.users",
    "tests.fixtures.browser",
]
