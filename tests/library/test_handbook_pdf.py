"""The handbook as a PDF: contents with page numbers, chapters, translated footers, fonts that
keep every portal language's letters, only published chapters, and the storage cache."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.core.storage import get_storage
from app.extensions import db
from app.library.handbook_pdf import CACHE_AREA, printable_html
from tests.fixtures.handbooks import LETTERS
from tests.fixtures.users import log_in

pytestmark = pytest.mark.usefixtures("library_index")

TITLES = ["Első fejezet: őszinte szavak", "Capitolul doi: școală și țară", "Rozdział trzy: łąka"]


def _pdf(client, url: str) -> PdfReader:
    response = client.get(url)
    assert response.status_code == 200, url
    return PdfReader(io.BytesIO(response.data))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _add_chapter(make_item, position: int, **fields) -> None:
    """One more chapter (or language version) of the handbook "hb"."""
    make_item(
        type="handbook",
        slug=f"hb/{position:02d}-part",
        handbook_slug="hb",
        position=position,
        **fields,
    )


def _stored_pdfs(app) -> list[Path]:
    folder = Path(app.config["STORAGE_DIR"]) / CACHE_AREA
    return sorted(folder.glob("*")) if folder.is_dir() else []


def test_contents_page_lists_every_chapter_with_its_page(client, make_handbook):
    make_handbook("hb", TITLES)
    contents = _pdf(client, "/en/library/handbooks/hb/pdf").pages[1].extract_text()
    assert "Contents" in contents
    for number, title in enumerate(TITLES, start=3):  # title page, contents, then chapters
        assert f"{title} {number}" in contents


def test_contents_longer_than_a_page_continue_on_the_next(client, make_handbook):
    titles = [f"Chapter number {n}" for n in range(1, 31)]  # 30 entries: two contents pages
    make_handbook("hb", titles, body="Text.")
    reader = _pdf(client, "/en/library/handbooks/hb/pdf")
    contents = reader.pages[1].extract_text() + reader.pages[2].extract_text()
    for number, title in enumerate(titles, start=4):
        assert f"{title} {number}" in contents
    assert len(reader.pages) == 3 + len(titles)
    assert "Page 3 of 33" in reader.pages[2].extract_text()


def test_every_chapter_starts_on_its_own_page_under_its_title(client, make_handbook):
    make_handbook("hb", TITLES)
    reader = _pdf(client, "/en/library/handbooks/hb/pdf")
    assert len(reader.pages) > len(TITLES)
    for page, title in zip(reader.pages[2:], TITLES, strict=True):
        assert page.extract_text().startswith(title)


def test_each_chapter_is_a_bookmark(client, make_handbook):
    make_handbook("hb", TITLES)
    outline = _pdf(client, "/en/library/handbooks/hb/pdf").outline
    assert [entry.title for entry in outline if not isinstance(entry, list)] == TITLES


def test_title_page_names_handbook_language_portal_and_date(client, make_handbook):
    make_handbook("hb", TITLES, updated_at=datetime(2026, 3, 5, 10, 0))
    title_page = _pdf(client, "/en/library/handbooks/hb/pdf").pages[0].extract_text()
    assert "Handbook hb" in title_page
    assert "English" in title_page
    assert "CHAMPIONs Portal" in title_page
    assert "March 5, 2026" in title_page


def test_footers_count_pages(client, make_handbook):
    make_handbook("hb", TITLES)
    reader = _pdf(client, "/en/library/handbooks/hb/pdf")
    total = len(reader.pages)
    assert f"Page 1 of {total}" in reader.pages[0].extract_text()
    assert f"Page {total} of {total}" in reader.pages[-1].extract_text()


def test_a_german_page_gets_german_footers_and_date(client, make_handbook):
    make_handbook("hb", TITLES, language="de", updated_at=datetime(2026, 3, 5, 10, 0))
    reader = _pdf(client, "/de/library/handbooks/hb/pdf")
    total = len(reader.pages)
    title_page = reader.pages[0].extract_text()
    assert f"Seite 1 von {total}" in title_page
    assert f"Seite {total} von {total}" in reader.pages[-1].extract_text()
    assert "5. März 2026" in title_page
    assert "Deutsch" in title_page


def test_pdf_declares_its_language_title_and_author(client, make_handbook):
    make_handbook("hb", TITLES, language="hu")
    reader = _pdf(client, "/hu/library/handbooks/hb/pdf")
    assert reader.trailer["/Root"]["/Lang"] == "hu"
    assert reader.metadata.title == "Handbook hb"
    assert reader.metadata.author == "CHAMPIONs Portál"  # the portal, in the page language


def test_central_european_letters_survive(client, make_handbook):
    make_handbook("hb", TITLES)
    text = _text(_pdf(client, "/en/library/handbooks/hb/pdf"))
    for letter in LETTERS.split():
        assert letter in text


def test_only_embedded_dejavu_fonts_are_used(client, make_handbook):
    make_handbook("hb", TITLES)
    reader = _pdf(client, "/en/library/handbooks/hb/pdf")
    fonts = {
        ref.get_object()["/BaseFont"]: ref.get_object()
        for page in reader.pages
        for ref in page["/Resources"]["/Font"].values()
    }
    assert fonts
    for name, font in fonts.items():
        assert "DejaVuSans" in name
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor  # embedded (a subset), not expected on the reader


def test_task_lists_images_and_markup_are_drawn_as_text(client, make_handbook):
    make_handbook("hb", TITLES[:1])
    text = _text(_pdf(client, "/en/library/handbooks/hb/pdf"))
    assert "\u2610 an open task" in text
    assert "\u2611 a done task" in text
    assert "A diagram of the referral path" in text  # the image's alt text
    assert "a NGO." in text  # <abbr> unwrapped, its text kept
    assert "Teacher" in text  # the table
    assert "Talks to the whole class" in text  # a cell with markup, as one text


def test_links_point_to_the_web_version(client, make_handbook):
    make_handbook("hb", TITLES[:1])
    reader = _pdf(client, "/en/library/handbooks/hb/pdf")
    uris = {
        annotation.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    }
    assert "http://localhost/en/library/handbooks/hb" in uris
    assert "http://localhost/en/library/handbooks/hb/01-part" in uris
    assert "http://localhost/en/library/" in uris  # the body's relative link, made absolute


def test_relative_links_are_resolved_and_checkboxes_replaced():
    html = printable_html(
        '<p><a href="../x">x</a> <input type="checkbox" disabled checked>'
        '<img src="a.png" alt="Plan &amp; map"><label>kept</label></p>',
        "https://portal.example/en/library/handbooks/hb/01-part",
    )
    assert html == (
        '<p><a href="https://portal.example/en/library/handbooks/x">x</a> \u2611 '
        "Plan &amp; mapkept</p>"
    )


def test_draft_chapters_stay_out_even_for_their_author(client, make_handbook, make_item, make_user):
    author = make_user()
    make_handbook("hb", TITLES)
    _add_chapter(make_item, 9, title="Draft chapter", status="draft", author_id=author.id)
    log_in(client, author)
    text = _text(_pdf(client, "/en/library/handbooks/hb/pdf"))
    assert "Draft chapter" not in text
    assert TITLES[2] in text


def test_unknown_and_unpublished_handbooks_are_not_found(client, make_handbook):
    make_handbook("drafts", TITLES, status="draft")
    assert client.get("/en/library/handbooks/nothing/pdf").status_code == 404
    assert client.get("/en/library/handbooks/drafts/pdf").status_code == 404


def test_pdf_is_a_named_download(client, make_handbook):
    make_handbook("hb", TITLES)
    response = client.get("/pl/library/handbooks/hb/pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="hb-pl.pdf"'
    assert response.data.startswith(b"%PDF-")


def test_page_language_version_is_used_where_there_is_one(client, make_handbook, make_item):
    make_handbook("hb", TITLES)
    _add_chapter(make_item, 2, language="de", title="Zweites Kapitel", body="Text.")
    text = _text(_pdf(client, "/de/library/handbooks/hb/pdf"))
    assert "Zweites Kapitel" in text
    assert TITLES[1] not in text
    assert TITLES[2] in text  # no German version: the English one


def test_second_request_is_served_from_the_storage(app, client, make_handbook):
    make_handbook("hb", TITLES)
    client.get("/en/library/handbooks/hb/pdf")
    [stored] = _stored_pdfs(app)
    get_storage().save(f"{CACHE_AREA}/{stored.name}", io.BytesIO(b"%PDF-from-the-cache"))
    assert client.get("/en/library/handbooks/hb/pdf").data == b"%PDF-from-the-cache"


def test_a_changed_chapter_gives_a_new_pdf(app, client, make_handbook):
    chapters = make_handbook("hb", TITLES)
    client.get("/en/library/handbooks/hb/pdf")
    chapters[1].title = "A renamed chapter"
    db.session.commit()
    text = _text(_pdf(client, "/en/library/handbooks/hb/pdf"))
    assert "A renamed chapter" in text
    assert len(_stored_pdfs(app)) == 2


def test_each_page_language_is_cached_apart(app, client, make_handbook):
    make_handbook("hb", TITLES)
    client.get("/en/library/handbooks/hb/pdf")
    client.get("/de/library/handbooks/hb/pdf")
    assert len(_stored_pdfs(app)) == 2


@pytest.mark.parametrize("page", ["/en/library/handbooks/hb", "/en/library/handbooks/hb/print"])
def test_handbook_pages_link_to_the_pdf(client, make_handbook, page):
    make_handbook("hb", TITLES)
    html = client.get(page).get_data(as_text=True)
    assert 'href="/en/library/handbooks/hb/pdf"' in html
