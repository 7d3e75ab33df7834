"""Training Yard content: one row per item and language (a translation group shares a slug)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User, utcnow
from app.core.markup import render_markdown
from app.extensions import db

CONTENT_TYPES = (
    "handbook", "video", "training", "lesson", "practice", "case",
    "trainer", "donor", "organisation", "expert",
)
STATUSES = ("draft", "in_review", "returned", "published", "unpublished")
EVIDENCE_LABELS = ("inspiring", "evaluated", "peer_reviewed")
# Videos embed only from these privacy-friendly players, and only after a click.
EMBED_PREFIXES = ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")


class ContentItem(db.Model):
    """A library resource in one language (handbook chapters: slug "<handbook>/<nn>-<chapter>")."""

    # Chapters also set handbook_slug and position; the handbook itself has no row.
    __tablename__ = "content_items"
    __table_args__ = (UniqueConstraint("type", "slug", "language", name="uq_content_identity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20), index=True)
    slug: Mapped[str] = mapped_column(String(200), index=True)
    language: Mapped[str] = mapped_column(String(5), index=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")  # Markdown source
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitised once, at save
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)  # taxonomy keys
    countries: Mapped[list[str]] = mapped_column(JSON, default=list)  # DE PL RO HU EU
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)  # profession keys
    links: Mapped[list[dict]] = mapped_column(JSON, default=list)  # [{"title", "url"}]
    organisation: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str | None] = mapped_column(String(20))  # practices only
    # Type-specific fields (video: embed_url, duration, transcript; donor: eligibility,
    # amounts, deadline, link; trainer: languages, formats; case: situation, response,
    # recommendations, outcome ...). Documented in content/README.md.
    extra: Mapped[dict] = mapped_column(JSON, default=dict)
    handbook_slug: Mapped[str | None] = mapped_column(String(120), index=True)
    position: Mapped[int | None]
    content_date: Mapped[date | None]
    deadline: Mapped[date | None]  # donors: the next call's deadline, for "open calls first"
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author: Mapped[User | None] = relationship()
    # Set when the item came from a file: which folder, which file, and its content hash.
    source_root: Mapped[str | None] = mapped_column(String(500), index=True)
    source_path: Mapped[str | None] = mapped_column(String(500))
    source_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    published_at: Mapped[datetime | None]

    def set_body(self, markdown: str) -> None:
        """Store the Markdown and its sanitised HTML: the one place a body is rendered, at save."""
        self.body = markdown
        self.body_html = render_markdown(markdown)

    @property
    def is_published(self) -> bool:
        """Only published items are public and searchable."""
        return self.status == "published"

    @property
    def embed_url(self) -> str | None:
        """The video player address, only when it is one of the allowed embed hosts."""
        url = str((self.extra or {}).get("embed_url") or "")
        return url if url.startswith(EMBED_PREFIXES) else None

    @property
    def doc_id(self) -> str:
        """Stable identifier in the search index."""
        return f"content:{self.id}"

    def __repr__(self) -> str:
        return f"<ContentItem {self.type}/{self.slug}.{self.language} {self.status}>"


ATTACHMENT_KINDS = ("document", "slides", "audio", "video", "image", "captions")


class Attachment(db.Model):
    """A file an expert attached to one language version of an item. The blob lives in
    app.core.storage under `storage_key`; the row's deletion cascades with the item, the
    blob is deleted by app.library.attachments."""

    __tablename__ = "library_attachments"
    # SQLite would reuse a deleted file's id, and its old address would serve the new file.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("content_items.id", ondelete="CASCADE"), index=True)
    item: Mapped[ContentItem] = relationship()
    kind: Mapped[str] = mapped_column(String(20))  # one of ATTACHMENT_KINDS
    # Sanitised; shown and used in Content-Disposition only, never in a path or key.
    file_name: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))  # decided from the content
    size: Mapped[int]  # bytes stored (after metadata was stripped)
    sha256: Mapped[str] = mapped_column(String(64))  # of the stored bytes
    storage_key: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    duration: Mapped[float | None]  # seconds, for audio and MP4 video (from mutagen)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    download_count: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def label(self) -> str:
        """The title, else the file name."""
        return self.title or self.file_name

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.kind} of item {self.item_id}>"
