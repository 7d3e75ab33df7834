"""Translations on the portal: propose, refuse a taken language, review, coexist with files,
and the coordinators' overview of what each language lacks."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import select

from app.library import translations
from app.library.models import ContentItem
from app.library.publishing import ItemDraft
from tests.fixtures.app import counted_statements

pytestmark = pytest.mark.usefixtures("library_index")

TRANSLATION = {"title": "Zuhörkreise", "summary": "Ein ruhiges Format.",
               "body": "Im **Kreis** sitzen.", "language": "de", "save": "1"}


@pytest.fixture
def original(make_user, make_item):
    """A published English practice by another member, with metadata to carry over."""
    author = make_user(country="DE", name="Olga Original")
    return make_item(type="practice", slug="circles", title="Listening circles",
                     body="Sit in a **circle**.", evidence="evaluated", topics=["schools"],
                     countries=["DE", "PL"], audience=["teacher"], author_id=author.id)


def _url(item: ContentItem, language: str = "de") -> str:
    return f"/en/library/items/{item.id}/translate/{language}"


def _version(db, item: ContentItem, language: str) -> ContentItem | None:
    db.session.expire_all()
    return db.session.scalar(select(ContentItem).where(
        ContentItem.type == item.type, ContentItem.slug == item.slug,
        ContentItem.language == language))


def _metadata_as_posted() -> dict:
    """The metadata fields as the prefilled form posts them back."""
    return {"evidence": "evaluated", "topics": ["schools"], "countries": ["DE", "PL"],
            "audience": ["teacher"]}


# Proposing -----------------------------------------------------------------------------------


def test_the_form_shows_the_original_and_empty_texts_with_metadata(login, make_user, client,
                                                                   original):
    login(make_user())
    html = client.get(_url(original)).get_data(as_text=True)
    assert "Sit in a <strong>circle</strong>." in html
    assert 'value="Listening circles"' not in html
    assert re.search(r'<input checked [^>]*name="evidence"[^>]*value="evaluated">', html)
    assert re.search(r'<input checked [^>]*name="topics"[^>]*value="schools">', html)


def test_saving_creates_a_draft_in_the_group(login, make_user, post_form, db, original):
    translator = make_user(name="Tina Translator")
    login(translator)
    response = post_form(_url(original), {**TRANSLATION, **_metadata_as_posted()})
    draft = _version(db, original, "de")
    assert response.status_code == 302
    assert draft.status == "draft"
    assert draft.author_id == translator.id
    assert draft.title == "Zuhörkreise"
    assert draft.evidence == "evaluated"
    assert draft.topics == ["schools"]
    assert response.headers["Location"].endswith(f"/library/items/{draft.id}/edit")


def test_a_chapter_translation_keeps_its_place_and_drops_prose(db, make_user, make_item):
    chapter = make_item(type="handbook", slug="guide/01-start", handbook_slug="guide",
                        position=1, extra={"handbook_title": "The guide", "sheet": "policy"})
    draft = ItemDraft(type="handbook", language="pl", title="Start", body="Tekst.")
    item = translations.create_translation(chapter, make_user(), draft)
    assert item.handbook_slug == "guide"
    assert item.position == 1
    assert item.extra == {"sheet": "policy"}


def test_a_refused_save_answers_400_and_keeps_the_text(login, make_user, post_form, db,
                                                        original):
    login(make_user())
    response = post_form(_url(original), {**TRANSLATION, "title": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please give a title." in html
    assert "Im **Kreis** sitzen." in html
    assert _version(db, original, "de") is None


def test_another_language_cannot_be_posted(login, make_user, post_form, db, original):
    login(make_user())
    response = post_form(_url(original), {**TRANSLATION, "language": "pl"})
    assert response.status_code == 400
    assert _version(db, original, "pl") is None


# Refusing a language that exists ---------------------------------------------------------------


def test_a_draft_by_someone_else_blocks_the_language(login, make_user, make_item, client,
                                                     original):
    make_item(type="practice", slug="circles", language="de", status="draft",
              author_id=make_user().id)
    login(make_user())
    response = client.get(_url(original), follow_redirects=True)
    assert "A translation into German is already being written." in response.get_data(
        as_text=True)


def test_a_published_version_blocks_the_language(login, make_user, make_item, post_form, db,
                                                 original):
    make_item(type="practice", slug="circles", language="de", title="Schon da")
    login(make_user())
    response = post_form(_url(original, "pl"), TRANSLATION, action=_url(original))
    assert response.status_code == 302
    assert _version(db, original, "de").title == "Schon da"


def test_the_service_refuses_a_second_version(db, make_user, make_item, original):
    make_item(type="practice", slug="circles", language="de", status="in_review")
    draft = ItemDraft(type="practice", language="de", title="Noch einmal", body="Text.")
    with pytest.raises(translations.TranslationExists):
        translations.create_translation(original, make_user(), draft)


# Who may translate -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, original):
    response = client.get(_url(original))
    assert "/login" in response.headers["Location"]


def test_pending_members_are_sent_to_their_status(login, make_user, client, original):
    login(make_user(status="pending"))
    response = client.get(_url(original))
    assert "/status" in response.headers["Location"]


def test_approved_members_get_the_form(login, make_user, client, original):
    login(make_user())
    assert client.get(_url(original)).status_code == 200


def test_someone_elses_draft_cannot_be_translated(login, make_user, make_item, client):
    draft = make_item(type="practice", status="draft", author_id=make_user().id)
    login(make_user())
    assert client.get(_url(draft)).status_code == 404


def test_an_unknown_language_is_not_found(login, make_user, client, original):
    login(make_user())
    assert client.get(_url(original, "xx")).status_code == 404


# The item page -----------------------------------------------------------------------------------


def test_members_see_links_to_translate_the_missing_languages(login, make_user, client,
                                                              original):
    login(make_user())
    html = client.get("/en/library/practice/circles").get_data(as_text=True)
    assert "Translation wanted:" in html
    assert f'href="{_url(original, "hu")}"' in html


def test_visitors_see_the_missing_languages_without_links(client, original):
    html = client.get("/en/library/practice/circles").get_data(as_text=True)
    assert "Hungarian" in html
    assert "/translate/" not in html


def test_review_then_publish_links_both_languages(login, make_user, post_form, db, client,
                                                  original):
    translator = make_user(country="DE")
    login(translator)
    post_form(_url(original), {**TRANSLATION, **_metadata_as_posted()})
    draft = _version(db, original, "de")
    post_form("/en/library/my", {}, action=f"/en/library/items/{draft.id}/submit")
    login(make_user(role="coordinator", country="DE"))
    post_form(f"/en/library/review/{draft.id}", {"action": "publish", "comment": ""})
    english = client.get("/en/library/practice/circles").get_data(as_text=True)
    german = client.get("/de/library/practice/circles").get_data(as_text=True)
    assert 'hreflang="de"' in english
    assert 'hreflang="en"' in german
    assert "Zuhörkreise" in german


# Content files and portal translations -------------------------------------------------------


def _portal_translation(db, make_user) -> ContentItem:
    """A Polish version of the fixture folder's practice, written on the portal."""
    item = ContentItem(type="practice", slug="peer-mediation", language="pl", title="Portal",
                       status="published", evidence="inspiring", author_id=make_user().id)
    item.set_body("Napisane na portalu.")
    db.session.add(item)
    db.session.commit()
    return item


def _add_polish_file(folder) -> None:
    (folder / "practice" / "peer-mediation.pl.md").write_text(
        "---\ntitle: Z pliku\ntopics: [schools]\nevidence: inspiring\n---\nTekst z pliku.\n",
        encoding="utf-8")


def test_the_loader_keeps_a_portal_translation_and_reports_it(db, make_user, content_copy,
                                                              load_content):
    _portal_translation(db, make_user)
    _add_polish_file(content_copy)
    report = load_content(content_copy)[0]
    assert report.kept_portal == ["practice/peer-mediation.pl.md"]
    assert _version(db, ContentItem(type="practice", slug="peer-mediation"), "pl").title == \
        "Portal"


def test_the_load_command_says_which_file_it_left(db, make_user, content_copy, runner):
    _portal_translation(db, make_user)
    _add_polish_file(content_copy)
    result = runner.invoke(args=["content", "load", str(content_copy)])
    assert result.exit_code == 0
    assert "practice/peer-mediation.pl.md: not loaded" in result.output


# The coordinators' overview ------------------------------------------------------------------


def _library(make_item) -> None:
    """Groups in several languages and states, for the overview."""
    for number, languages in enumerate((("en",), ("en", "de"), ("de", "pl"), ("en", "hu"))):
        for language in languages:
            make_item(type="practice" if number % 2 else "video", slug=f"g{number}",
                      language=language)
    make_item(type="practice", slug="g1", language="ro", status="draft")
    make_item(type="lesson", slug="hidden", language="en", status="in_review")


def _expected(db, language: str) -> tuple[Counter, int]:
    """Published items by type in `language`, and published groups without it, counted in
    Python from every row."""
    rows = [r for r in db.session.scalars(select(ContentItem)) if r.status == "published"]
    by_type = Counter(r.type for r in rows if r.language == language)
    groups = {(r.type, r.slug) for r in rows}
    have = {(r.type, r.slug) for r in rows if r.language == language}
    return by_type, len(groups - have)


@pytest.mark.parametrize("language", ["en", "de", "pl", "ro", "hu"])
def test_overview_counts_match_the_rows(db, make_item, language):
    _library(make_item)
    row = {c.language: c for c in translations.coverage(["en", "de", "pl", "ro", "hu"])}
    by_type, missing = _expected(db, language)
    assert row[language].by_type == dict(by_type)
    assert row[language].missing == missing
    assert translations.missing_in(language, "en", 1, 50).total == missing


def test_overview_lists_the_missing_items_for_coordinators(login, make_user, make_item,
                                                           client):
    _library(make_item)
    login(make_user(role="coordinator"))
    html = client.get("/en/library/translations?missing=pl").get_data(as_text=True)
    assert 'href="/en/library/video/g0"' in html
    assert "/library/video/g2" not in html


def test_members_cannot_open_the_overview(login, make_user, client):
    login(make_user())
    assert client.get("/en/library/translations").status_code == 403


def test_overview_statements_do_not_grow_with_the_library(login, make_user, make_item, client):
    login(make_user(role="admin"))
    counts = []
    for start in (0, 30):
        for number in range(start, start + (3 if start == 0 else 30)):
            make_item(slug=f"more-{number}", language="en")
        client.get("/en/library/translations?missing=de")
        with counted_statements() as seen:
            client.get("/en/library/translations?missing=de")
        counts.append(len(seen))
    assert counts[0] == counts[1]
