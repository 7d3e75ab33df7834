"""The directories kept on the portal: "who is where" (organisations and trainers by country,
city and agency type) and the funding programmes whose deadline passed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import load_only

from app.accounts.models import User
from app.extensions import db
from app.library.directory_access import coordinates_any
from app.library.models import ContentItem
from app.library.services import pick_versions

WHO_TYPES = ("organisation", "trainer")
NO_CITY = ""
# What the who-is-where page shows of an entry (never its body).
WHO_COLUMNS = (
    ContentItem.id,
    ContentItem.type,
    ContentItem.slug,
    ContentItem.language,
    ContentItem.title,
    ContentItem.countries,
    ContentItem.extra,
    ContentItem.status,
)


@dataclass
class CountryGroup:
    """One country's entries by city (cities sorted, "" last) and its count per agency."""

    country: str
    cities: dict[str, list[ContentItem]] = field(default_factory=dict)
    agencies: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        """Entries in this country."""
        return sum(len(items) for items in self.cities.values())


def agency_of(item: ContentItem) -> str:
    """The entry's agency type ("other" when not given)."""
    return (item.extra or {}).get("agency") or "other"


def city_of(item: ContentItem) -> str:
    """The entry's city as typed ("" when not given)."""
    return str((item.extra or {}).get("city") or "").strip()


def who_is_where(
    language: str, country: str | None, agency: str | None, countries: list[str]
) -> list[CountryGroup]:
    """Published organisations and trainers grouped by country then city, one language
    version each (one statement); an entry in several countries is listed in each."""
    rows = db.session.scalars(
        select(ContentItem)
        .options(load_only(*WHO_COLUMNS))
        .where(ContentItem.type.in_(WHO_TYPES), ContentItem.status == "published")
        .order_by(ContentItem.title)
    )
    entries = [i for i in pick_versions(rows, language) if not agency or agency_of(i) == agency]
    groups = {code: CountryGroup(code) for code in countries if not country or code == country}
    for item in entries:
        for code in item.countries or []:
            if code in groups:
                groups[code].cities.setdefault(city_of(item), []).append(item)
                groups[code].agencies[agency_of(item)] += 1
    for group in groups.values():
        group.cities = dict(
            sorted(group.cities.items(), key=lambda pair: (pair[0] == NO_CITY, pair[0].casefold()))
        )
    return [group for group in groups.values() if group.total]


def outdated_donors(user: User, today: date) -> list[ContentItem]:
    """Published programmes this coordinator keeps whose deadline passed (not rolling), the
    longest overdue first: they need a new deadline, "rolling", or retiring."""
    rows = db.session.scalars(
        select(ContentItem)
        .where(
            ContentItem.type == "donor",
            ContentItem.status == "published",
            ContentItem.deadline < today,
        )
        .order_by(ContentItem.deadline, ContentItem.title)
    )
    return [
        item
        for item in rows
        if not (item.extra or {}).get("rolling") and coordinates_any(user, item.countries)
    ]
