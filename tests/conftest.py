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
    "tests.fixtures.feedback",
    "tests.fixtures.clock",
    "tests.fixtures.two_factor",
    "tests.fixtures.smtp_server",
    "tests.fixtures.object_store",
    "tests.fixtures.roundtables",
    "tests.fixtures.attachments",
    "tests.fixtures.handbooks",
    "tests.fixtures.insights",
    "tests.fixtures.dashboard",
]


def pytest_sessionstart(session) -> None:
    """Bare `pytest` on a fresh clone: the compiled catalogs are git-ignored build products,
    so the ones missing or older than their .po are compiled first."""
    from app.cli import compile_stale_catalogs

    compile_stale_catalogs()
