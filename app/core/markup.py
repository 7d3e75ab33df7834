"""Markdown rendering with the portal's one sanitising allowlist (applied once, at save)."""

from __future__ import annotations

import re
import threading
import xml.etree.ElementTree as etree
from functools import partial

import bleach
import markdown as md
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

# Bump when the HTML made from the same Markdown changes (a new extension, a new allowlist):
# the content loader hashes it with each file, so `flask content load` renders files again.
MARKUP_VERSION = "2"

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
        "tr", "ul", "img", "sup", "sub", "input", "label",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title"],
    "th": ["align"],
    "td": ["align"],
}
# Attributes allowed only with one value: task-list checkboxes and their list classes.
ALLOWED_VALUES = {
    ("input", "type"): {"checkbox"},
    ("input", "disabled"): {"", "disabled"},
    ("input", "checked"): {"", "checked"},
    ("li", "class"): {"task-list-item"},
    ("ul", "class"): {"task-list"},
    ("ol", "class"): {"task-list"},
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Attribute filter: images only from this site (no tracking pixels from elsewhere), and
    the few fixed values a task list needs."""
    if tag == "img":
        if name == "src":
            return value.startswith("/") and not value.startswith("//")
        return name in {"alt", "title"}
    if (tag, name) in ALLOWED_VALUES:
        return value in ALLOWED_VALUES[(tag, name)]
    return name in ALLOWED_ATTRIBUTES.get(tag, [])


def render_markdown(text: str) -> str:
    """Turn member or file Markdown into safe HTML: raw HTML escaped, links and images checked."""
    html = md.markdown(
        text or "",
        extensions=["extra", "sane_lists", TaskListExtension()],
        output_format="html",
    )
    return _cleaner().clean(html)


# Task lists ("- [ ] text", "- [x] text"), as GitHub shows them -----------------------------

TASK_MARK = re.compile(r"\[([ xX])\]\s+")
BLOCK_TAGS = frozenset({"p", "ul", "ol", "blockquote", "pre", "table", "div", "hr"})


class TaskListExtension(Extension):
    """A list item starting with [ ] or [x] begins with a disabled checkbox in a <label>
    with the item's text (its accessible name; disabled: it stores nothing)."""

    def extendMarkdown(self, md_instance: md.Markdown) -> None:  # noqa: N802 (Markdown's API)
        """Run after the inline patterns, so the item's text is final."""
        md_instance.treeprocessors.register(_TaskListProcessor(md_instance), "task_list", 15)


class _TaskListProcessor(Treeprocessor):
    """Turns the marked list items of every list into task-list items."""

    def run(self, root: etree.Element) -> None:
        """Mark each list holding a task item with class task-list."""
        for listing in (e for e in root.iter() if e.tag in ("ul", "ol")):
            items = [item for item in listing if item.tag == "li" and _make_task(item)]
            if items:
                listing.set("class", "task-list")


def _make_task(item: etree.Element) -> bool:
    """Put a checkbox and the item's first line of text into a label; False if unmarked."""
    loose = item.text is None or not item.text.strip()
    holder = item[0] if loose and len(item) and item[0].tag == "p" else item
    mark = TASK_MARK.match(holder.text or "")
    if mark is None or not (holder.text[mark.end():].strip() or len(holder)):
        return False  # unmarked, or a box with no text to name it
    label = etree.Element("label")
    box = etree.SubElement(label, "input", {"type": "checkbox", "disabled": "disabled"})
    if mark.group(1) != " ":
        box.set("checked", "checked")
    box.tail = " " + holder.text[mark.end():]
    while len(holder) and holder[0].tag not in BLOCK_TAGS:
        child = holder[0]
        holder.remove(child)
        label.append(child)
    holder.text = None
    holder.insert(0, label)
    item.set("class", "task-list-item")
    return True


class _OnlyDisabledCheckboxes(Filter):
    """Sanitiser filter: drop every <input> but a disabled checkbox (a typed <input
    type="text"> loses its type attribute first and would otherwise become a text box)."""

    def __iter__(self):
        """The tokens, without the other inputs."""
        for token in super().__iter__():
            if token.get("name") == "input" and not _disabled_checkbox(token.get("data", {})):
                continue
            yield token


def _disabled_checkbox(attributes: dict) -> bool:
    """True for the attributes of <input type="checkbox" disabled>."""
    return (attributes.get((None, "type")) == "checkbox"
            and (None, "disabled") in attributes)


def _nofollow(attrs: dict, new: bool = False) -> dict:
    """Linkify callback: external links get rel=nofollow noopener."""
    href = attrs.get((None, "href"), "")
    if href.startswith(("http://", "https://")):
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# Sanitise and linkify in one pass: a second pass (bleach.linkify after bleach.clean) escapes
# the entities inside skipped tags again ("<code>&amp;lt;script&amp;gt;").
# A Cleaner keeps parser state while it works and is not thread-safe (bleach says so; four
# threads gave wrong HTML): each thread gets its own, built from the one allowlist.
_THREAD = threading.local()


def _cleaner() -> bleach.Cleaner:
    """This thread's sanitiser."""
    cleaner = getattr(_THREAD, "cleaner", None)
    if cleaner is None:
        cleaner = _THREAD.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allowed_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            filters=[_OnlyDisabledCheckboxes,
                     partial(LinkifyFilter, callbacks=[_nofollow], skip_tags={"pre", "code"})],
        )
    return cleaner


def safe_html(stored_html: str | None) -> Markup:
    """Mark HTML that render_markdown produced at save time as safe for templates."""
    # The one trusted mark: only HTML that passed render_markdown is ever stored here.
    return Markup(stored_html or "")  # noqa: S704


def plain_text(text: str, limit: int = 240) -> str:
    """Markdown reduced to plain text, shortened at a word boundary, for snippets and mails."""
    stripped = bleach.clean(md.markdown(text or ""), tags=set(), strip=True)
    flat = " ".join(stripped.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"
