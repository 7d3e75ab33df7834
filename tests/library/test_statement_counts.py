"""Pages ask the database for the rows they show: statements per page do not grow with the
library (lists, related items and facets come from the index)."""

from __future__ import annotations

import pytest

from tests.fixtures.app import counted_statements

PAGES = [
    "/en/library/",
    "/en/library/?q=radicalisation",
    "/pl/library/?q=radykalizacja&type=practice",
    "/en/library/practice/practice-0",
    "/en/library/handbooks/roundtable",
    "/en/library/handbooks/roundtable/01-why",
    "/en/library/trainers",
    "/en/library/donors",
    "/en/library/experts",
]


def add_items(make_item, start: int, count: int) -> None:
    """Practices, trainers, donors and experts in two languages, sharing topics."""
    for number in range(start, start + count):
        for kind in ("practice", "trainer", "donor", "expert"):
            for language in ("en", "pl"):
                make_item(type=kind, slug=f"{kind}-{number}", language=language,
                          title=f"{kind} radicalisation radykalizacja {number}",
                          summary="Schools and radicalisation.", topics=["schools"],
                          countries=["PL"], body="Radicalisation in schools. Radykalizacja.")


def add_handbook(make_item) -> None:
    """A two-chapter handbook in two languages."""
    for position, chapter in ((1, "01-why"), (2, "02-how")):
        for language in ("en", "de"):
            make_item(type="handbook", slug=f"roundtable/{chapter}", language=language,
                      handbook_slug="roundtable", position=position, topics=["schools"],
                      title=f"Roundtable {chapter}", extra={"handbook_title": "Roundtable"})


def statements_per_page(client) -> dict[str, int]:
    """Statements each page runs (each page fetched once first, so caches are warm)."""
    counts = {}
    for url in PAGES:
        assert client.get(url).status_code == 200, url
        with counted_statements() as seen:
            client.get(url)
        counts[url] = len(seen)
    return counts


@pytest.mark.slow
def test_statements_per_page_stay_constant_as_the_library_grows(client, make_item):
    """Five items or eighty-five: every page runs the same number of statements."""
    from app.search.services import rebuild_index

    add_handbook(make_item)
    add_items(make_item, 0, 5)
    rebuild_index()
    small = statements_per_page(client)
    add_items(make_item, 5, 80)
    rebuild_index()
    assert statements_per_page(client) == small
