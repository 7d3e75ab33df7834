"""Fixtures live in tests/fixtures and load as plugins (one place for each fixture)."""

pytest_plugins = [
    "tests.fixtures.arena",
    "tests.fixtures.library",
    "tests.fixtures.app",
    "tests.fixtures.users",
    "tests.fixtures.accounts",
    "tests.fixtures.browser",
    "tests.fixtures.alerts",
    "tests.fixtures.search",
]
