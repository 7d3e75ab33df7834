"""Content as files: Markdown with YAML front matter -> typed dataclasses -> library items.

The load is all or nothing: every file is parsed and validated first, and only a clean set is
written, in one transaction that also queues the index changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from flask import current_app
from sqlalchemy import select

from app.accounts.choices import COUNTRIES as COUNTRY_LABELS
from app.accounts.choices import PROFESSIONS
from app.content.taxonomy import derive_topics, load_taxonomy, topic_keys
from app.core.markup import MARKUP_VERSION
from app.extensions import db
from app.library.choices import TRAINING_FORMATS as TRAINING_FORMAT_LABELS
from app.library.models import CONTENT_TYPES, EMBED_PREFIXES, EVIDENCE_LABELS, ContentItem
from app.search.hooks import queue_index_change

ITEM_TYPES = tuple(t for t in CONTENT_TYPES if t != "handbook")
HANDBOOK_FOLDERS = ("handbooks", "handbook")
# The keys the portal shows labels for: one list each, shared with the forms and pages.
COUNTRIES = tuple(COUNTRY_LABELS)
AUDIENCES = tuple(PROFESSIONS)
TRAINING_FORMATS = tuple(TRAINING_FORMAT_LABELS)
FILE_STATUSES = ("published", "draft")
LESSON_SHEETS = ("pve_approach", "collaboration", "policy")
ORGANISATION_KINDS = ("ngo", "public_body", "research", "network", "foundation")
# Front-matter addresses shown as links: http(s) only, so no javascript: link reaches a page.
URL_KEYS = ("website", "watch_url")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CHAPTER_RE = re.compile(r"^(\d{1,3})-([a-z0-9]+(?:-[a-z0-9]+)*)$")
# Keys with a column of their own; every other front-matter key goes to `extra`.
COMMON_KEYS = (
    "title", "summary", "topics", "countries", "audience", "links", "organisation",
    "contact", "date", "status", "source", "evidence", "deadline",
)
Progress = Callable[[int], None]


class ContentError(ValueError):
    """A load refused: every problem found, each naming its file and line."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ParsedFile:
    """One content file, validated, ready to become a ContentItem."""

    path: Path
    relative: str
    digest: str
    type: str
    slug: str
    language: str
    title: str
    summary: str = ""
    body: str = ""
    topics: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    audience: list[str] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    organisation: str = ""
    contact: str = ""
    source: str = ""
    evidence: str | None = None
    content_date: date | None = None
    deadline: date | None = None
    status: str = "published"
    handbook_slug: str | None = None
    position: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def identity(self) -> tuple[str, str, str]:
        """Type, slug and language: unique in the library."""
        return (self.type, self.slug, self.language)


@dataclass
class LoadReport:
    """What a load changed, by relative path."""

    root: str
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)
    # Files not loaded because a member wrote that language version on the portal (kept).
    kept_portal: list[str] = field(default_factory=list)
    # Files not loaded because their item was edited on the portal after a load (kept).
    kept_edited: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """How many items the load wrote."""
        return len(self.added) + len(self.updated) + len(self.unpublished)


# Finding files ---------------------------------------------------------------------------


def content_files(root: Path) -> list[Path]:
    """Every Markdown file under root except READMEs, in a stable order."""
    return sorted(
        p for p in root.rglob("*.md") if p.is_file() and not p.name.lower().startswith("readme")
    )


def root_key(root: Path) -> str:
    """The stored identity of a loaded folder (absolute, so X and Y never mix)."""
    return str(root.resolve())


# Parsing ---------------------------------------------------------------------------------


class _FileProblem(Exception):
    """Raised inside parsing; becomes a Problem for the file."""

    def __init__(self, line: int, message: str):
        self.line = line
        super().__init__(message)


# Hashed with every file: when the Markdown pipeline changes, unchanged files render again.
RENDERED_WITH = f"\nmarkup:{MARKUP_VERSION}".encode()


def parse_file(path: Path, root: Path, languages: Iterable[str]) -> ParsedFile:
    """Read and validate one file; raises _FileProblem with the line at fault."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _FileProblem(1, f"not UTF-8 text ({error.reason})") from error
    kind, slug, language, handbook = _identity_from_path(path, languages)
    meta, lines, body = _split_front_matter(text)
    parsed = ParsedFile(
        path=path, relative=path.relative_to(root).as_posix(),
        digest=hashlib.sha256(raw + RENDERED_WITH).hexdigest(), type=kind, slug=slug,
        language=language,
        title=_required_text(meta, lines, "title"), body=body,
    )
    if handbook:
        _apply_chapter(parsed, handbook)
    _apply_common(parsed, meta, lines)
    _apply_type_specific(parsed, meta, lines)
    if "topics" not in meta or not meta["topics"]:
        # Derived topics depend on the taxonomy and thesaurus: a change re-tags these files.
        parsed.digest = hashlib.sha256(raw + RENDERED_WITH + taxonomy_digest().encode()).hexdigest()
    return parsed


def taxonomy_digest() -> str:
    """A hash of the taxonomy file and the thesaurus files in force (computed once per load)."""
    taxonomy = Path(current_app.config["TAXONOMY_FILE"])
    thesaurus = sorted(Path(current_app.config["THESAURUS_FOLDER"]).glob("*.yml"))
    return _digest_of(tuple((str(p), p.stat().st_mtime_ns) for p in (taxonomy, *thesaurus)))


@lru_cache(maxsize=4)
def _digest_of(files: tuple[tuple[str, int], ...]) -> str:
    """A hash of the files' contents (their paths and mtimes are the cache key)."""
    digest = hashlib.sha256()
    for path, _mtime in files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _identity_from_path(path: Path, languages: Iterable[str]) -> tuple[str, str, str, str]:
    """Type, slug, language and handbook slug ("" for items) from the file's place and name."""
    stem, dot, language = path.name[: -len(".md")].rpartition(".")
    if not dot:
        raise _FileProblem(1, "file name must be <slug>.<lang>.md (no language code found)")
    if language not in languages:
        raise _FileProblem(1, f"unknown language '{language}' (expected one of: "
                              f"{', '.join(languages)})")
    folder = path.parent.name
    if path.parent.parent.name in HANDBOOK_FOLDERS:
        if not CHAPTER_RE.match(stem):
            raise _FileProblem(1, "handbook chapter file name must be <nn>-<chapter>.<lang>.md")
        return "handbook", f"{folder}/{stem}", language, folder
    if folder not in ITEM_TYPES:
        raise _FileProblem(1, f"unknown type '{folder}' (the folder name; expected one of: "
                              f"{', '.join(ITEM_TYPES)}, or handbooks/<slug>/)")
    if not SLUG_RE.match(stem):
        raise _FileProblem(1, f"bad slug '{stem}': lower-case letters, digits and hyphens only")
    return folder, stem, language, ""


def _split_front_matter(text: str) -> tuple[dict, dict[str, int], str]:
    """Front matter as a dict, the line of each key, and the Markdown body."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise _FileProblem(1, "missing YAML front matter (the file must start with ---)")
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise _FileProblem(1, "front matter is not closed (no second --- line)")
    source = "".join(lines[1:end])
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
        meta = yaml.safe_load(source) or {}
    except yaml.YAMLError as error:
        raise _FileProblem(_yaml_line(error, end), f"bad YAML: {_yaml_message(error)}") from error
    if not isinstance(meta, dict):
        raise _FileProblem(2, "front matter must be a mapping of keys to values")
    key_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value} if node else {}
    return meta, key_lines, "".join(lines[end + 1:]).strip() + "\n"


def _yaml_line(error: yaml.YAMLError, end: int) -> int:
    """The file line of a YAML error (where the construct began when it ran off the end)."""
    problem = getattr(error, "problem_mark", None)
    context = getattr(error, "context_mark", None)
    if problem is not None and problem.line + 2 < end + 1:
        return problem.line + 2
    return context.line + 2 if context is not None else end + 1


def _yaml_message(error: yaml.YAMLError) -> str:
    """PyYAML's explanation in one line, without its own line numbers."""
    parts = [getattr(error, "context", None), getattr(error, "problem", None)]
    return ", ".join(p for p in parts if p) or str(error).splitlines()[0]


def _line(lines: dict[str, int], key: str) -> int:
    """The line of a key, or the front matter's first line when the key is absent."""
    return lines.get(key, 1)


def _required_text(meta: dict, lines: dict[str, int], key: str) -> str:
    """A non-empty string value, or a problem naming the key."""
    value = meta.get(key)
    if value is None or not str(value).strip():
        raise _FileProblem(_line(lines, key), f"missing {key}")
    return str(value).strip()


def _optional_text(meta: dict, key: str) -> str:
    """A string value or ""."""
    value = meta.get(key)
    return "" if value is None else str(value).strip()


def _string_list(meta: dict, lines: dict[str, int], key: str) -> list[str]:
    """A list of strings (a single string is accepted as a one-item list)."""
    value = meta.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise _FileProblem(_line(lines, key), f"{key} must be a list of words")
    return [str(v).strip() for v in value if str(v).strip()]


def _checked_list(meta: dict, lines: dict, key: str, allowed: Iterable[str], what: str) -> list:
    """A list whose every value is one of `allowed`."""
    values = _string_list(meta, lines, key)
    allowed = tuple(allowed)
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise _FileProblem(_line(lines, key), f"unknown {what} {', '.join(map(repr, wrong))}")
    return values


def _date(meta: dict, lines: dict[str, int], key: str) -> date | None:
    """A YYYY-MM-DD date or None."""
    value = meta.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise _FileProblem(_line(lines, key), f"{key} must be a date like 2024-05-01")


def _choice(meta: dict, lines: dict, key: str, allowed: Iterable[str], what: str) -> str | None:
    """One value out of `allowed`, or None when absent."""
    value = meta.get(key)
    if value in (None, ""):
        return None
    allowed = tuple(allowed)
    if value not in allowed:
        raise _FileProblem(_line(lines, key), f"bad {what} {value!r} (expected one of: "
                                              f"{', '.join(allowed)})")
    return value


def _links(meta: dict, lines: dict[str, int]) -> list[dict]:
    """Further-reading links: a list of {title, url} with an http(s) url."""
    links = meta.get("links") or []
    ok = isinstance(links, list) and all(
        isinstance(link, dict) and str(link.get("url", "")).startswith(("http://", "https://"))
        for link in links
    )
    if not ok:
        raise _FileProblem(_line(lines, "links"), "links must be a list of {title, url} with "
                                                  "http(s) addresses")
    return [{"title": str(link.get("title") or link["url"]), "url": str(link["url"])}
            for link in links]


def _apply_chapter(parsed: ParsedFile, handbook: str) -> None:
    """Chapter position and handbook slug from the file name."""
    number = CHAPTER_RE.match(parsed.slug.split("/", 1)[1])
    parsed.handbook_slug = handbook
    parsed.position = int(number.group(1))


def _apply_common(parsed: ParsedFile, meta: dict, lines: dict[str, int]) -> None:
    """The keys every type shares."""
    parsed.summary = _optional_text(meta, "summary")
    parsed.topics = _checked_list(meta, lines, "topics", topic_keys(), "topic key")
    countries = [c.upper() for c in _string_list(meta, lines, "countries")]
    parsed.countries = _checked_list({"countries": countries}, lines, "countries", COUNTRIES,
                                     "country")
    parsed.audience = _checked_list(meta, lines, "audience", AUDIENCES, "audience key")
    parsed.links = _links(meta, lines)
    parsed.organisation = _optional_text(meta, "organisation")
    parsed.contact = _optional_text(meta, "contact")
    parsed.source = _optional_text(meta, "source")
    parsed.content_date = _date(meta, lines, "date")
    parsed.status = _choice(meta, lines, "status", FILE_STATUSES, "status") or "published"
    parsed.evidence = _choice(meta, lines, "evidence", EVIDENCE_LABELS, "evidence label")
    parsed.deadline = _date(meta, lines, "deadline")
    parsed.extra = {k: _jsonable(v) for k, v in meta.items() if k not in COMMON_KEYS}
    if not parsed.topics:
        text = "\n".join((parsed.title, parsed.summary, parsed.body))
        parsed.topics = list(derive_topics(text, [parsed.language]))


def _apply_type_specific(parsed: ParsedFile, meta: dict, lines: dict[str, int]) -> None:
    """Checks that only apply to one type."""
    if parsed.type == "practice" and not parsed.evidence:
        raise _FileProblem(_line(lines, "evidence"), "missing evidence label (practices need "
                                                     f"one of: {', '.join(EVIDENCE_LABELS)})")
    if parsed.type == "video":
        embed = _optional_text(meta, "embed_url")
        if embed and not embed.startswith(EMBED_PREFIXES):
            raise _FileProblem(_line(lines, "embed_url"), "embed_url must start with "
                                                          f"{' or '.join(EMBED_PREFIXES)}")
    for key in URL_KEYS:
        if meta.get(key) and not str(meta[key]).startswith(("http://", "https://")):
            raise _FileProblem(_line(lines, key), f"{key} must be an http(s) address")
    if parsed.type == "handbook" and parsed.extra.get("handbook_title") is not None:
        parsed.extra["handbook_title"] = str(parsed.extra["handbook_title"]).strip()
    for key, many, allowed, what in _type_rules(parsed.type):
        if many:
            _checked_list(meta, lines, key, allowed, what)
        else:
            _choice(meta, lines, key, allowed, what)


def _type_rules(kind: str) -> list[tuple[str, bool, tuple[str, ...], str]]:
    """(key, is a list, allowed values, what it is) for the keys of one type."""
    from app.roundtables.choices import AGENCY_LABELS  # late: roundtables imports features

    taxonomy = load_taxonomy()
    languages = tuple(current_app.config["LANGUAGES"])
    agency = ("agency", False, tuple(AGENCY_LABELS), "agency type")
    rules = {
        "case": [("categories", True, tuple(taxonomy.categories), "alert category"),
                 ("setting", False, tuple(taxonomy.settings), "alert setting")],
        "training": [("format", False, TRAINING_FORMATS, "training format")],
        "lesson": [("sheet", False, LESSON_SHEETS, "lesson sheet")],
        "trainer": [("languages", True, languages, "language"), agency],
        "expert": [("languages", True, languages, "language"),
                   ("expertise", True, tuple(taxonomy.topics), "topic key")],
        "organisation": [("kind", False, ORGANISATION_KINDS, "organisation kind"), agency],
    }
    return rules.get(kind, [])


def _jsonable(value: Any) -> Any:
    """Front-matter values as JSON-storable data (dates become ISO strings)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


# Validating a whole folder ---------------------------------------------------------------


def parse_folder(root: Path, progress: Progress | None = None) -> list[ParsedFile]:
    """Parse every file of a folder; raise ContentError listing every problem found."""
    languages = tuple(current_app.config["LANGUAGES"])
    parsed, problems = [], []
    for path in content_files(root):
        try:
            parsed.append(parse_file(path, root, languages))
        except _FileProblem as problem:
            problems.append(Problem(path, problem.line, str(problem)))
        if progress:
            progress(1)
    problems.extend(_conflicts(parsed, root_key(root)))
    if problems:
        raise ContentError(problems)
    return parsed


def _conflicts(parsed: list[ParsedFile], root: str) -> list[Problem]:
    """Identities claimed twice, or already owned by another folder (a portal author's item
    is no conflict: the load keeps it and reports the file, see _upsert_all)."""
    problems, seen = [], {}
    for item in parsed:
        if item.identity in seen:
            problems.append(Problem(item.path, 1, f"same item as {seen[item.identity]}"))
        seen[item.identity] = item.relative
    owners = _owners([p.identity for p in parsed])
    for item in parsed:
        owner = owners.get(item.identity, root)
        if owner not in (root, None):
            problems.append(Problem(item.path, 1, f"{item.type}/{item.slug}.{item.language} "
                                                  f"already exists, loaded from folder {owner}"))
    return problems


def _owners(identities: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], str | None]:
    """The source_root of each existing item among `identities`."""
    slugs = {slug for _, slug, _ in identities}
    if not slugs:
        return {}
    rows = db.session.execute(
        select(ContentItem.type, ContentItem.slug, ContentItem.language, ContentItem.source_root)
        .where(ContentItem.slug.in_(slugs))
    )
    wanted = set(identities)
    return {(t, s, lang): r for t, s, lang, r in rows if (t, s, lang) in wanted}


def _edited_on_portal(identities: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Among portal items, those once loaded from a file (source_path kept when an edit on the
    portal released them from their folder, see publishing.mark_portal_edit)."""
    slugs = {slug for _, slug, _ in identities}
    if not slugs:
        return set()
    rows = db.session.execute(
        select(ContentItem.type, ContentItem.slug, ContentItem.language)
        .where(ContentItem.slug.in_(slugs), ContentItem.source_root.is_(None),
               ContentItem.source_path.is_not(None)))
    return set(identities) & {tuple(row) for row in rows}


# Writing ---------------------------------------------------------------------------------


def load_folder(root: Path, progress: Progress | None = None) -> LoadReport:
    """Validate a whole folder, then upsert it in one transaction (nothing written on error)."""
    return load_folders([root], progress)[0]


def load_folders(roots: Iterable[Path], progress: Progress | None = None) -> list[LoadReport]:
    """Load several folders, all validated before any is written, in one transaction."""
    roots = [Path(r) for r in roots]
    missing = [Problem(r, 0, "no such folder") for r in roots if not r.is_dir()]
    if missing:
        raise ContentError(missing)
    batches, problems = [], []
    for root in roots:
        try:
            batches.append((root, parse_folder(root, progress)))
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    reports = [LoadReport(root=root_key(root)) for root, _ in batches]
    try:
        for (_, parsed), report in zip(batches, reports, strict=True):
            _upsert_all(parsed, report)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return reports


def _upsert_all(parsed: list[ParsedFile], report: LoadReport) -> None:
    """Add, update or leave each file's item; unpublish items whose file is gone; never
    overwrite a version written on the portal (the file is reported as kept_portal)."""
    owners = _owners([p.identity for p in parsed])
    existing = {
        (i.type, i.slug, i.language): i
        for i in db.session.scalars(
            select(ContentItem).where(ContentItem.source_root == report.root)
        )
    }
    kept = [p for p in parsed if p.identity in owners and owners[p.identity] is None]
    edited = _edited_on_portal([p.identity for p in kept])
    for item in kept:
        (report.kept_edited if item.identity in edited else report.kept_portal).append(
            item.relative)
    for item in parsed:
        if item.identity not in owners or owners[item.identity] is not None:
            _upsert_one(item, existing.pop(item.identity, None), report)
    for gone in existing.values():
        if gone.status != "unpublished":
            gone.status = "unpublished"
            queue_index_change(gone)
            report.unpublished.append(gone.source_path or gone.slug)
    db.session.flush()


def _upsert_one(parsed: ParsedFile, item: ContentItem | None, report: LoadReport) -> None:
    """Write one file's item when it is new or its file changed."""
    if item is not None and item.source_hash == parsed.digest and item.status == parsed.status:
        report.unchanged.append(parsed.relative)
        return
    if item is None:
        item = ContentItem(type=parsed.type, slug=parsed.slug, language=parsed.language)
        db.session.add(item)
        report.added.append(parsed.relative)
    else:
        report.updated.append(parsed.relative)
    _copy_into(parsed, item)
    item.source_root = report.root
    db.session.flush()  # the index queue needs the item's id
    queue_index_change(item)


def _copy_into(parsed: ParsedFile, item: ContentItem) -> None:
    """Copy a parsed file onto its item; Markdown rendered here, once."""
    for name in ("title", "summary", "topics", "countries", "audience", "links",
                 "organisation", "contact", "source", "evidence", "content_date", "deadline",
                 "handbook_slug", "position", "extra"):
        setattr(item, name, getattr(parsed, name))
    item.set_body(parsed.body)
    item.source_path = parsed.relative
    item.source_hash = parsed.digest
    if parsed.status == "published" and item.status != "published":
        item.published_at = datetime.now(UTC)
    item.status = parsed.status
