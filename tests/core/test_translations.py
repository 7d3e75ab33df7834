"""Every string is really translated, and extraction reaches every part of the app."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from app.cli import CATALOG_DIR, catalog_paths, compile_stale_catalogs
from app.config import ROOT

LANGUAGES = ["de", "pl", "ro", "hu"]
METHODS = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
CALL_RE = re.compile(r"(?<![\w.])_l?\(")
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


@pytest.fixture(scope="module")
def extracted() -> dict[str, set[str]]:
    """msgid -> files it was extracted from, for the whole app, as `translations update` does."""
    found: dict[str, set[str]] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, directory_filter=_not_hidden
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, set()).add(filename)
    return found


def load_catalog(code: str):
    """The parsed .po catalog of one language."""
    with open(CATALOG_DIR / code / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=code)


def test_every_language_has_a_catalog():
    assert {path.parts[-3] for path in catalog_paths()} == set(LANGUAGES)


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_has_no_untranslated_or_fuzzy_entries(code):
    catalog = load_catalog(code)
    missing = [m.id for m in catalog if m.id and not _translated(m.string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{code}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalog_contains_every_extracted_string(code, extracted):
    catalog = load_catalog(code)
    absent = sorted(msgid for msgid in extracted if msgid not in catalog)
    assert not absent, f"{code}: run `flask translations update`; missing {absent[:5]}"


def test_extraction_reaches_every_template_folder(extracted):
    sources = {Path(f).parent.as_posix() for files in extracted.values() for f in files}
    folders = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "app" / "templates").rglob("*")
        if p.is_dir() and any(p.glob("*.html"))
    }
    assert folders, "no template folders found"
    assert not folders - sources, f"no strings extracted from {sorted(folders - sources)}"


def test_extraction_reaches_every_python_package_with_strings(extracted):
    sources = {Path(f).parent.as_posix() for files in extracted.values() for f in files}
    packages = {
        p.parent.relative_to(ROOT).as_posix()
        for p in (ROOT / "app").rglob("*.py")
        if CALL_RE.search(p.read_text(encoding="utf-8"))
    }
    assert not packages - sources, f"no strings extracted from {sorted(packages - sources)}"


def _translated(string) -> bool:
    """True when every form of a (possibly plural) msgstr is filled in."""
    forms = string if isinstance(string, tuple | list) else [string]
    return all(form and form.strip() for form in forms)



def _not_hidden(dirpath: str) -> bool:
    """Walk every folder but hidden ones (babel's default would skip _macros/ too)."""
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def test_missing_or_stale_catalogs_are_compiled_for_bare_pytest(tmp_path):
    """A fresh clone has no .mo files (git-ignored): they are compiled once, then left alone
    until their .po changes; the result is what `pybabel compile` writes."""
    for po in CATALOG_DIR.glob("*/LC_MESSAGES/messages.po"):
        target = tmp_path / po.relative_to(CATALOG_DIR)
        target.parent.mkdir(parents=True)
        shutil.copy(po, target)
    written = compile_stale_catalogs(tmp_path)
    assert {path.parent.parent.name for path in written} == {"de", "pl", "ro", "hu"}
    assert compile_stale_catalogs(tmp_path) == []
    german = tmp_path / "de" / "LC_MESSAGES"
    with (german / "messages.mo").open("rb") as compiled:
        assert read_mo(compiled).get("shared concepts:").string == "gemeinsame Begriffe:"
    os.utime(german / "messages.po", ns=(1, 2 * 10**18))  # the .po changed after compiling
    assert compile_stale_catalogs(tmp_path) == [german / "messages.mo"]
