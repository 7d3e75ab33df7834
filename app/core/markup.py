"""Markdown rendering with the portal's one sanitising allowlist (applied once, at save)."""

from __future__ import annotations

import threading
from functools import partial

import bleach
import markdown as md
from bleach.linkifier import LinkifyFilter
from markupsafe import Markup

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6",
        "hr", "i", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead",
        "tr", "ul", "img", "sup", "sub",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "abbr": ["title"],
    "img": ["src", "alt", "title"],
    "th": ["align"],
    "td": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def _allow_local_images_only(tag: str, name: str, value: str) -> bool:
    """Attribute filter: images only from this site (no tracking pixels from elsewhere)."""
    if tag == "img":
        if name == "src":
            return value.startswith("/") and not value.startswith("//")
        return name in {"alt", "title"}
    return name in ALLOWED_ATTRIBUTES.get(tag, [])


def render_markdown(text: str) -> str:
    """Turn member or file Markdown into safe HTML: raw HTML escaped, links and images checked."""
    html = md.markdown(
        text or "",
        extensions=["extra", "sane_lists"],
        output_format="html",
    )
    return _cleaner().clean(html)


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
            attributes=_allow_local_images_only,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            filters=[partial(LinkifyFilter, callbacks=[_nofollow], skip_tags={"pre", "code"})],
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
