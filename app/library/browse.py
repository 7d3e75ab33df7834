"""The browse page's query and facets, built from URL arguments (so every view is bookmarkable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from app.accounts.choices import COUNTRIES, PROFESSIONS
from app.core.i18n import LANGUAGE_LABELS, translated
from app.library.choices import EVIDENCE_LABELS, SORT_LABELS, TYPE_LABELS, topic_label
from app.search.backend import FACETS, SearchQuery

MAX_PAGE = 1000
KEPT_ARGS = ("q", "sort", "spell")  # arguments besides the facets that a facet link keeps
ALL_LANGUAGES = "all"  # ?language=all (older bookmarks): the same as no language filter


@dataclass
class FacetValue:
    """One value of a facet with its count and the URL arguments that toggle it."""

    value: str
    label: str
    count: int
    selected: bool
    args: dict[str, list[str]]
    href: str = ""  # the library page with `args` (built without the router: pages have many)


@dataclass
class FacetGroup:
    """A facet (e.g. topic) with its values, most frequent first."""

    name: str
    values: list[FacetValue] = field(default_factory=list)


def query_from_args(args: MultiDict, language: str, per_page: int) -> SearchQuery:
    """A SearchQuery from ?q=&type=&topic=...&sort=&page= (unknown values ignored)."""
    filters = {name: _clean(args.getlist(name)) for name in FACETS if args.getlist(name)}
    if ALL_LANGUAGES in filters.get("language", []):
        del filters["language"]
    sort = args.get("sort", "relevance")
    try:
        page = min(max(int(args.get("page", 1)), 1), MAX_PAGE)
    except ValueError:
        page = 1
    return SearchQuery(
        text=(args.get("q") or "").strip()[:200], language=language, filters=filters,
        sort=sort if sort in SORT_LABELS else "relevance", page=page, per_page=per_page,
        autocorrect=args.get("spell") != "off",  # the "Search instead for ..." link
    )


def _clean(values: list[str]) -> list[str]:
    """Distinct, short, non-empty filter values."""
    return list(dict.fromkeys(v.strip()[:60] for v in values if v.strip()))


def facet_label(name: str, value: str, language: str) -> str:
    """The translated label of a facet value."""
    tables = {"type": TYPE_LABELS, "country": COUNTRIES, "language": LANGUAGE_LABELS,
              "audience": PROFESSIONS, "evidence": EVIDENCE_LABELS}
    if name == "topic":
        return topic_label(value, language)
    return translated(tables.get(name, {}), language).get(value, value)


def facet_groups(
    counts: dict[str, list[tuple[str, int]]], query: SearchQuery, args: MultiDict
) -> list[FacetGroup]:
    """Facets in a fixed order, each value with toggle arguments (page reset to 1)."""
    groups, base = [], url_for("library.index")
    for name in FACETS:
        selected = query.filters.get(name, [])
        pairs = dict(counts.get(name, []))
        for value in selected:
            pairs.setdefault(value, 0)  # a chosen value stays visible, so it can be removed
        values = [
            _linked(FacetValue(value, facet_label(name, value, query.language), count,
                               value in selected, toggled_args(args, name, value, selected)),
                    base)
            for value, count in sorted(pairs.items(), key=lambda p: (-p[1], p[0]))
        ]
        if values:
            groups.append(FacetGroup(name, values))
    return groups


def toggled_args(
    args: MultiDict, name: str, value: str, selected: list[str]
) -> dict[str, list[str]]:
    """The current arguments with one facet value added to or removed from `selected` (the
    facet's values in force, defaults included), back on page 1."""
    # Only known keys: url_for would take "_external", "_scheme" or "_method" as options.
    result = {key: list(args.getlist(key)) for key in (*FACETS, *KEPT_ARGS) if key in args}
    chosen = [v for v in selected if v != value] if value in selected else [*selected, value]
    result[name] = chosen
    return {key: values for key, values in result.items() if values}


def _linked(value: FacetValue, base: str) -> FacetValue:
    """The value with the address of the library page (`base`) its arguments give."""
    query = urlencode([(key, item) for key, items in value.args.items() for item in items])
    value.href = base + (f"?{query}" if query else "")
    return value


def active_filters(query: SearchQuery, args: MultiDict) -> list[FacetValue]:
    """The chosen filters, as removable chips."""
    base = url_for("library.index")
    return [
        _linked(FacetValue(value, facet_label(name, value, query.language), 0, True,
                           toggled_args(args, name, value, values)), base)
        for name, values in query.filters.items() for value in values
    ]
