"""A whole handbook as a PDF (fpdf2, DejaVu Sans embedded): title page, contents with page
numbers, one chapter per page, outline bookmarks; cached in the file storage by content."""

from __future__ import annotations

import hashlib
import io
import logging
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from flask import url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from fpdf import FPDF, FontFace, TextStyle
from fpdf.enums import XPos, YPos
from fpdf.outline import OutlineSection

from app.core.i18n import LANGUAGE_NAMES
from app.core.storage import get_storage
from app.library.links import library_url
from app.library.models import ContentItem
from app.library.services import handbook_title

# Part of the cache key: raise it whenever the layout changes, so cached PDFs are redrawn.
RENDERER_VERSION = "2"
CACHE_AREA = "handbook-pdf"
FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVuSans"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
UNCHECKED, CHECKED = "\u2610", "\u2611"  # ☐ ☑, for task-list checkboxes
# The contents: heading height, line height, gap between entries, page-number column (mm).
TOC_HEADING, TOC_LINE, TOC_GAP, TOC_NUMBER = 16, 7, 2, 20
LINK_COLOUR = (26, 77, 143)
# Body headings start at h2 (the sanitiser drops h1): smaller than the chapter title.
TAG_STYLES = {
    "h2": TextStyle(
        font_family=FAMILY, font_style="B", font_size_pt=15, color="#1a1a1a", t_margin=5, b_margin=1
    ),
    "h3": TextStyle(
        font_family=FAMILY, font_style="B", font_size_pt=13, color="#1a1a1a", t_margin=4, b_margin=1
    ),
    "h4": TextStyle(
        font_family=FAMILY, font_style="B", font_size_pt=12, color="#1a1a1a", t_margin=3, b_margin=1
    ),
    "h5": TextStyle(
        font_family=FAMILY, font_style="B", font_size_pt=11, color="#1a1a1a", t_margin=3, b_margin=1
    ),
    "h6": TextStyle(
        font_family=FAMILY, font_style="B", font_size_pt=11, color="#1a1a1a", t_margin=3, b_margin=1
    ),
    "blockquote": TextStyle(
        font_family=FAMILY, color="#444444", l_margin=8, t_margin=3, b_margin=3
    ),
    "pre": TextStyle(font_family=FAMILY, color="#333333", t_margin=3),
    "code": FontFace(family=FAMILY, color="#333333"),  # fpdf2's Courier lacks ő, ș, ł ...
}
# Tags fpdf2's write_html draws; anything else the sanitiser lets through is unwrapped.
DRAWN_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
VOID_TAGS = frozenset({"br", "hr"})
CELL_TAGS = frozenset({"td", "th"})
# fpdf2 subsets fonts with fontTools, which logs every glyph list at INFO: noise in the app log.
logging.getLogger("fontTools").setLevel(logging.WARNING)
KEPT_ATTRIBUTES = {"a": ("href",), "td": ("align",), "th": ("align",)}
LIST_LINE_HEIGHT = "1.4"  # fpdf2's default 1.0 lets a wrapped item's lines touch


class HandbookDocument(FPDF):
    """An A4 document whose every page has the translated "Page X of Y" footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text  # with "{page}" and fpdf2's "{nb}" alias in it

    def footer(self) -> None:
        """Page number and total, centred at the bottom."""
        self.set_y(-14)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(90)
        self.cell(0, 6, self.footer_text.replace("{page}", str(self.page_no())), align="C")


def render_handbook_pdf(handbook: str, chapters: list[ContentItem], language: str) -> bytes:
    """The PDF of a handbook's chapters (bodies loaded), in the order given."""
    pdf = new_document(handbook, chapters, language)
    add_title_page(pdf, handbook, chapters, language)
    add_contents(pdf, chapters)
    for chapter in chapters:
        add_chapter(pdf, chapter)
    return bytes(pdf.output())


def new_document(handbook: str, chapters: list[ContentItem], language: str) -> HandbookDocument:
    """An empty document with the fonts, the metadata and the footer in the page language."""
    footer = _("Page %(page)s of %(pages)s", page="{page}", pages="{nb}")
    pdf = HandbookDocument(footer)
    for style, name in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(FONT_DIR / name))
    pdf.set_lang(language)
    pdf.set_title(handbook_title(chapters) or handbook)
    pdf.set_author(_("CHAMPIONs Portal"))
    pdf.set_creator(_("CHAMPIONs Portal"))
    pdf.set_creation_date(datetime.combine(newest_change(chapters), datetime.min.time(), UTC))
    pdf.set_auto_page_break(auto=True, margin=20)
    return pdf


def newest_change(chapters: list[ContentItem]):
    """The day the most recently changed chapter was saved."""
    return max(chapter.updated_at for chapter in chapters).date()


def add_title_page(pdf: FPDF, handbook: str, chapters: list[ContentItem], language: str) -> None:
    """Title, language, portal, date and the address of the web version."""
    pdf.add_page()
    pdf.set_y(80)
    pdf.set_font(FAMILY, "B", 26)
    pdf.multi_cell(
        0, 12, handbook_title(chapters) or handbook, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(10)
    pdf.set_font(FAMILY, "", 14)
    for line in (
        LANGUAGE_NAMES.get(language, language),
        _("CHAMPIONs Portal"),
        format_date(newest_change(chapters), format="long"),
    ):
        pdf.cell(0, 9, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(10)
    web = url_for("library.show_handbook", handbook=handbook, _external=True)
    pdf.set_font(FAMILY, "", 10)
    pdf.set_text_color(*LINK_COLOUR)
    pdf.cell(
        0,
        7,
        _("Read this handbook online"),
        align="C",
        link=web,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0)


def add_contents(pdf: FPDF, chapters: list[ContentItem]) -> None:
    """A placeholder of exactly the pages the contents will fill, drawn once every chapter's
    page is known (fpdf2 refuses contents that end on another page than reserved)."""
    pdf.add_page()
    pages = len({page for page, _top in contents_layout(pdf, [c.title for c in chapters])})
    pdf.insert_toc_placeholder(draw_contents, pages=pages)


def contents_layout(pdf: FPDF, titles: list[str]) -> list[tuple[int, float]]:
    """Where each contents entry goes: (page offset from the first contents page, top y).
    Long titles wrap; an entry never splits across pages."""
    pdf.set_font(FAMILY, "", 12)
    page, top, places = 0, pdf.t_margin + TOC_HEADING, []
    for title in titles:
        height = entry_height(pdf, title)
        if top + height > pdf.page_break_trigger:
            page, top = page + 1, pdf.t_margin
        places.append((page, top))
        top += height + TOC_GAP
    return places or [(0, top)]


def entry_height(pdf: FPDF, title: str) -> float:
    """The height of one contents entry in the current font."""
    lines = pdf.multi_cell(pdf.epw - TOC_NUMBER, TOC_LINE, title, dry_run=True, output="LINES")
    return TOC_LINE * max(1, len(lines))


def draw_contents(pdf: FPDF, outline: list[OutlineSection]) -> None:
    """The contents: every chapter with its page number, both linked to the chapter."""
    pdf.set_font(FAMILY, "B", 20)
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.cell(0, TOC_HEADING - 4, _("Contents"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    chapters = [section for section in outline if section.level == 0]
    page = 0
    for section, (entry_page, top) in zip(
        chapters, contents_layout(pdf, [s.name for s in chapters]), strict=False
    ):
        if entry_page > page:
            page = entry_page
            pdf.add_page()
        draw_contents_entry(pdf, section, top)


def draw_contents_entry(pdf: FPDF, section: OutlineSection, top: float) -> None:
    """One chapter title (wrapped) and its page number at the right, both links."""
    link = pdf.add_link(page=section.page_number)
    pdf.set_xy(pdf.l_margin, top)
    pdf.multi_cell(pdf.epw - TOC_NUMBER, TOC_LINE, section.name, link=link)
    pdf.set_xy(pdf.l_margin + pdf.epw - TOC_NUMBER, top)
    pdf.cell(TOC_NUMBER, TOC_LINE, str(section.page_number), align="R", link=link)


def add_chapter(pdf: FPDF, chapter: ContentItem) -> None:
    """A new page, the chapter title (a bookmark and a contents entry), a link, the body.
    The title is drawn here, not by section title styles: fpdf2 refuses those beside
    write_html, whose h2-h6 become the chapter's sub-bookmarks."""
    if pdf.y > pdf.t_margin:  # not the fresh page the contents placeholder leaves behind
        pdf.add_page()
    pdf.start_section(chapter.title, level=0)
    pdf.set_font(FAMILY, "B", 20)
    pdf.multi_cell(0, 10, chapter.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    web = library_url("handbook", chapter.slug, _external=True)
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(*LINK_COLOUR)
    pdf.cell(0, 6, _("Read this chapter online"), link=web, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 11)
    pdf.write_html(
        printable_html(chapter.body_html, web),
        font_family=FAMILY,
        tag_styles=TAG_STYLES,
        li_prefix_color=(60, 60, 60),
        table_line_separators=True,
    )


class PrintableHtml(HTMLParser):
    """Sanitised chapter HTML reduced to what write_html draws: checkboxes become ☐/☑,
    images their alt text, links absolute, other tags unwrapped (their text kept). A table
    cell becomes one run of plain text: fpdf2 draws no tags inside cells."""

    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base_url = base_url
        self.parts: list[str] = []
        self.cell: list[str] | None = None  # the text of the table cell being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input":
            self.add_text((CHECKED if "checked" in values else UNCHECKED) + " ")
        elif tag == "img":
            self.add_text(values.get("alt") or "")
        elif self.cell is not None:
            self.cell.append(" " if tag == "br" else "")
        elif tag in DRAWN_TAGS:
            self.parts.append(f"<{tag}{self.kept_attributes(tag, values)}>")
            self.cell = [] if tag in CELL_TAGS else None

    def handle_endtag(self, tag: str) -> None:
        if tag in CELL_TAGS and self.cell is not None:
            self.parts.append(escape("".join(self.cell).strip(), quote=False))
            self.cell = None
        if tag in DRAWN_TAGS and tag not in VOID_TAGS and self.cell is None:
            self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.add_text(data)

    def add_text(self, text: str) -> None:
        """Text into the current cell, or escaped into the output."""
        if self.cell is not None:
            self.cell.append(text)
        else:
            self.parts.append(escape(text, quote=False))

    def kept_attributes(self, tag: str, values: dict[str, str | None]) -> str:
        """The attributes write_html uses; link targets made absolute."""
        kept = {name: values[name] or "" for name in KEPT_ATTRIBUTES.get(tag, ()) if name in values}
        if tag in ("ul", "ol"):
            kept["line-height"] = LIST_LINE_HEIGHT
        if tag == "ul" and "task-list" in (values.get("class") or ""):
            kept["type"] = "\u00a0"  # the checkbox is the item's mark, not a bullet
        if "href" in kept:
            kept["href"] = urljoin(self.base_url, kept["href"])
        return "".join(f' {name}="{escape(value)}"' for name, value in kept.items())


def printable_html(body_html: str, base_url: str) -> str:
    """The chapter body as write_html can draw it (relative links resolved against base_url)."""
    parser = PrintableHtml(base_url)
    parser.feed(body_html or "")
    parser.close()
    return "".join(parser.parts)


# Cache -----------------------------------------------------------------------------------


def cache_key(handbook: str, chapters: list[ContentItem], language: str) -> str:
    """A storage key that changes with any chapter, the page language, the interface language
    (footer, title page) and the renderer; the site address is in the links."""
    parts = [
        RENDERER_VERSION,
        handbook,
        language,
        str(get_locale()),
        url_for("library.show_handbook", handbook=handbook, _external=True),
    ]
    parts += [f"{chapter.id}:{chapter.updated_at.isoformat()}" for chapter in chapters]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return f"{CACHE_AREA}/{digest}"


def handbook_pdf(handbook: str, chapters: list[ContentItem], language: str) -> bytes:
    """The handbook's PDF from the storage, rendered and stored first when it is not there."""
    storage, key = get_storage(), cache_key(handbook, chapters, language)
    try:
        with storage.open(key) as stored:
            return stored.read()
    except FileNotFoundError:
        data = render_handbook_pdf(handbook, chapters, language)
        storage.save(key, io.BytesIO(data))
        return data
