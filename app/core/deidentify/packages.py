"""Name and place knowledge that ships with well-kept packages: first names, last names,
cities and streets from Faker's locale providers, and country, language, month and weekday
names from Babel's CLDR data (Babel comes with Flask-Babel). Read once per process."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

from app.core.text import fold

# Faker locales per portal language; names travel, so every list is read for every language.
FAKER_LOCALES = {
    "en": ("en_GB", "en_US", "en_IE"),
    "de": ("de_DE", "de_AT", "de_CH"),
    "pl": ("pl_PL",),
    "ro": ("ro_RO",),
    "hu": ("hu_HU",),
}
# Other neighbours' names that turn up in the portal's cases (Ukrainian, Turkish, Arabic,
# Czech, Slovak).
EXTRA_NAME_LOCALES = ("uk_UA", "tr_TR", "ar_AA", "cs_CZ", "sk_SK", "ru_RU")
_PERSON_LISTS = ("first_names", "first_names_male", "first_names_female", "last_names",
                 "male_last_names", "unisex_last_names", "last_names_male", "last_names_female")
_PLACE_LISTS = ("cities", "real_city_names", "streets", "street_names", "frequent_street_names")


@dataclass(frozen=True)
class PackageWords:
    """Folded lower-case words: names of people, places, and the coarse words always kept."""

    first_names: frozenset[str]
    last_names: frozenset[str]
    places: frozenset[str]
    coarse: frozenset[str]  # countries, regions, languages, months, weekdays (one language)


@lru_cache(maxsize=1)
def _people_and_places() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """First names, last names and places of every locale the portal reads."""
    first: set[str] = set()
    last: set[str] = set()
    places: set[str] = set()
    locales = [loc for group in FAKER_LOCALES.values() for loc in group] + list(EXTRA_NAME_LOCALES)
    for locale in locales:
        person = _provider("person", locale)
        for name in _PERSON_LISTS:
            target = first if name.startswith("first") else last
            target.update(_folded_words(getattr(person, name, ())))
        address = _provider("address", locale)
        for name in _PLACE_LISTS:
            places.update(_folded_words(getattr(address, name, ())))
    return frozenset(first), frozenset(last - {"doe"}), frozenset(places)


def _provider(kind: str, locale: str):
    """Faker's provider class of a kind ("person", "address") for a locale (None if absent)."""
    try:
        return importlib.import_module(f"faker.providers.{kind}.{locale}").Provider
    except ModuleNotFoundError:
        return None


def _folded_words(values) -> set[str]:
    """The single words of a Faker list (a tuple, list or weighted dict), folded."""
    found: set[str] = set()
    for value in values or ():
        for part in str(value).replace("-", " ").split():
            if part[:1].isupper() and len(part) > 1:
                found.add(fold(part))
    return found


@lru_cache(maxsize=8)
def _coarse_names(language: str) -> tuple[str, ...]:
    """Countries, regions, languages, months and weekdays in a language (CLDR via Babel)."""
    from babel import Locale

    locale = Locale.parse(language)
    names: list[str] = [*locale.territories.values(), *locale.languages.values()]
    for table in (locale.months, locale.days):
        for context in table.values():
            for width in context.values():
                names.extend(width.values())
    return tuple(names)


def package_words(language: str) -> PackageWords:
    """What the packages know, for a text in `language`."""
    first, last, places = _people_and_places()
    return PackageWords(first_names=first, last_names=last, places=places,
                        coarse=_coarse_words(language))


@lru_cache(maxsize=8)
def _coarse_words(language: str) -> frozenset[str]:
    """The words of the coarse names; of a name of several words ("Wyspy Świętego Tomasza")
    only those no name list has (in any inflected form)."""
    from app.core.deidentify.rules import rules_for

    first, last, _places = _people_and_places()
    names = first | last
    rules = rules_for(language)
    found: set[str] = set()
    for phrase in (*_coarse_names(language), *_coarse_names("en")):
        parts = [part for part in phrase.replace("-", " ").split() if part]
        found.update(fold(part) for part in parts if len(parts) == 1 or not (
            {fold(base) for base in rules.bases(part)} & names))
    return frozenset(found)
