"""The content loader: files become library items, all or nothing, folder by folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.content.loader import ContentError
from app.library.models import ContentItem
from tests.fixtures.library import CONTENT_FIXTURES

BAD = CONTENT_FIXTURES / "bad"


def _items(db) -> dict[tuple[str, str, str], ContentItem]:
    """Every item by (type, slug, language)."""
    return {(i.type, i.slug, i.language): i for i in db.session.scalars(select(ContentItem))}


def _problem(load_content, folder: str):
    """The single problem reported for a bad fixture folder."""
    with pytest.raises(ContentError) as caught:
        load_content(BAD / folder)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


@pytest.mark.parametrize(
    ("folder", "file_name", "line", "words"),
    [
        ("unknown-type", "episode.en.md", 1, "unknown type 'podcast'"),
        ("missing-title", "untitled.en.md", 1, "missing title"),
        ("unknown-language", "klingon.tlh.md", 1, "unknown language 'tlh'"),
        ("bad-yaml", "broken.en.md", 5, "bad YAML"),
        ("unknown-topic", "unknown-topic.en.md", 4, "unknown topic key 'knitting'"),
        ("bad-evidence", "bad-evidence.en.md", 5, "bad evidence label 'proven'"),
    ],
)
def test_each_bad_file_is_refused_naming_file_line_and_problem(
    load_content, db, folder, file_name, line, words
):
    problem = _problem(load_content, folder)
    assert problem.path.name == file_name
    assert problem.line == line
    assert words in problem.message
    assert str(problem).startswith(f"{problem.path}:{line}: ")
    assert db.session.scalar(select(func.count(ContentItem.id))) == 0


def test_practice_without_evidence_label_is_refused(load_content, tmp_path):
    folder = tmp_path / "x" / "practice"
    folder.mkdir(parents=True)
    (folder / "no-label.en.md").write_text("---\ntitle: No label\ntopics: [schools]\n---\nText\n")
    with pytest.raises(ContentError, match="missing evidence label"):
        load_content(tmp_path / "x")


def test_valid_folder_loads_every_file_with_rendered_html(load_content, content_copy, db):
    report = load_content(content_copy)[0]
    items = _items(db)
    assert len(report.added) == len(items) == 12
    practice = items[("practice", "peer-mediation", "en")]
    assert practice.status == "published" and practice.published_at is not None
    assert "<strong>listen</strong>" in practice.body_html
    assert practice.evidence == "evaluated"
    assert practice.source_root == str(content_copy.resolve())
    chapter = items[("handbook", "demo-handbook/02-who-to-invite", "en")]
    assert (chapter.handbook_slug, chapter.position) == ("demo-handbook", 2)
    case = items[("case", "graffiti-at-school", "en")]
    assert case.extra["recommendations"][0].startswith("Photograph")


def test_second_load_changes_nothing(load_content, content_copy, db):
    load_content(content_copy)
    before = {k: (i.updated_at, i.source_hash) for k, i in _items(db).items()}
    report = load_content(content_copy)[0]
    assert report.changed == 0
    assert len(report.unchanged) == len(before)
    db.session.expire_all()
    assert {k: (i.updated_at, i.source_hash) for k, i in _items(db).items()} == before


def test_changed_file_updates_its_item_only(load_content, content_copy, db):
    load_content(content_copy)
    path = content_copy / "practice" / "peer-mediation.en.md"
    path.write_text(path.read_text().replace("Peer mediation against", "Peer mediation versus"))
    report = load_content(content_copy)[0]
    assert report.updated == ["practice/peer-mediation.en.md"]
    assert report.added == [] and report.unpublished == []
    title = _items(db)[("practice", "peer-mediation", "en")].title
    assert title == "Peer mediation versus hate speech in schools"


def test_bad_file_aborts_the_whole_load_and_leaves_the_library_as_it_was(
    load_content, content_copy, db
):
    load_content(content_copy)
    path = content_copy / "practice" / "peer-mediation.en.md"
    path.write_text(path.read_text().replace("Peer mediation against", "Changed"))
    (content_copy / "trainer" / "training-collective.en.md").unlink()
    (content_copy / "practice" / "broken.en.md").write_text("---\ntitle: [oops\n---\n")
    with pytest.raises(ContentError, match="broken.en.md:2: bad YAML"):
        load_content(content_copy)
    db.session.expire_all()
    items = _items(db)
    assert items[("practice", "peer-mediation", "en")].title.startswith("Peer mediation against")
    assert items[("trainer", "training-collective", "en")].status == "published"


def test_removed_file_unpublishes_its_item(load_content, content_copy, db):
    load_content(content_copy)
    (content_copy / "donor" / "closed-fund.en.md").unlink()
    report = load_content(content_copy)[0]
    assert report.unpublished == ["donor/closed-fund.en.md"]
    assert _items(db)[("donor", "closed-fund", "en")].status == "unpublished"


def test_file_put_back_is_published_again(load_content, content_copy, db):
    load_content(content_copy)
    path = content_copy / "donor" / "closed-fund.en.md"
    text = path.read_text()
    path.unlink()
    load_content(content_copy)
    path.write_text(text)
    report = load_content(content_copy)[0]
    assert report.updated == ["donor/closed-fund.en.md"]
    assert _items(db)[("donor", "closed-fund", "en")].status == "published"


def test_loading_folder_y_never_touches_items_from_folder_x(load_content, content_copy, db):
    load_content(content_copy)
    report = load_content(CONTENT_FIXTURES / "other")[0]
    assert report.added == ["practice/other-practice.en.md"]
    assert report.unpublished == []
    statuses = {i.status for k, i in _items(db).items() if k[1] != "other-practice"}
    assert statuses == {"published"}


def test_same_item_in_two_folders_is_refused(load_content, content_copy, tmp_path):
    load_content(content_copy)
    twin = tmp_path / "twin" / "practice"
    twin.mkdir(parents=True)
    source = content_copy / "practice" / "peer-mediation.en.md"
    (twin / "peer-mediation.en.md").write_text(source.read_text())
    with pytest.raises(ContentError, match="already exists, loaded from folder"):
        load_content(tmp_path / "twin")


def test_file_without_topics_gets_topics_from_the_taxonomy(load_content, content_copy, db):
    load_content(content_copy)
    topics = _items(db)[("lesson", "without-topics", "en")].topics
    assert "hate_speech" in topics and "antigypsyism" in topics


def test_draft_status_in_front_matter_keeps_the_item_private(load_content, content_copy, db):
    path = content_copy / "trainer" / "training-collective.en.md"
    path.write_text(path.read_text().replace("title:", "status: draft\ntitle:", 1))
    load_content(content_copy)
    assert _items(db)[("trainer", "training-collective", "en")].status == "draft"


def test_cli_shows_summary_and_errors(runner, content_copy, db):
    result = runner.invoke(args=["content", "load", str(content_copy)])
    assert result.exit_code == 0, result.output
    assert "12 added, 0 updated, 0 unchanged, 0 unpublished" in result.output
    result = runner.invoke(args=["content", "load", str(content_copy)])
    assert "0 added, 0 updated, 12 unchanged, 0 unpublished" in result.output
    result = runner.invoke(args=["content", "load", str(BAD / "missing-title")])
    assert result.exit_code == 1
    assert "untitled.en.md:1: missing title" in result.output


def test_cli_defaults_to_configured_content_dirs(app, runner, content_copy, db):
    app.config["CONTENT_DIRS"] = [str(content_copy), str(CONTENT_FIXTURES / "other")]
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(ContentItem.id))) == 13


@pytest.mark.slow
def test_bundled_library_loads_cleanly(load_content, app):
    from app.config import ROOT

    reports = load_content(Path(ROOT / "content"), Path(ROOT / "handbooks"))
    assert sum(len(r.added) for r in reports) > 0


@pytest.mark.parametrize(
    ("folder", "front", "words"),
    [
        ("case", "categories: [hate_speech, shouting]", "unknown alert category 'shouting'"),
        ("case", "setting: moon", "bad alert setting 'moon'"),
        ("training", "format: podcast", "bad training format 'podcast'"),
        ("expert", "expertise: [knitting]", "unknown topic key 'knitting'"),
        ("video", "embed_url: https://evil.example/x", "embed_url must start with"),
        ("lesson", "countries: [FR]", "unknown country 'FR'"),
        ("donor", "website: javascript:alert(1)", "website must be an http(s) address"),
        ("video", "watch_url: ftp://example.org/v", "watch_url must be an http(s) address"),
    ],
)
def test_type_specific_keys_are_checked(load_content, tmp_path, folder, front, words):
    target = tmp_path / "lib" / folder
    target.mkdir(parents=True)
    (target / "probe.en.md").write_text(f"---\ntitle: Probe\ntopics: [schools]\n{front}\n---\nx\n")
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path / "lib")
    assert f"probe.en.md:4: {words}" in str(caught.value)


@pytest.mark.usefixtures("library_index")
def test_loaded_items_are_searchable_and_removed_ones_leave_the_index(
    load_content, content_copy
):
    from app.search.backend import SearchQuery
    from app.search.services import search_library

    def titles(text: str) -> list[str]:
        page = search_library(SearchQuery(text=text))
        assert not page.fallback
        return [hit.title for hit in page.hits]

    load_content(content_copy)
    assert "Open Prevention Fund" in titles("prevention fund")
    (content_copy / "donor" / "open-fund.en.md").unlink()
    load_content(content_copy)
    assert "Open Prevention Fund" not in titles("prevention fund")


def test_changed_taxonomy_retags_files_without_topics(app, load_content, content_copy, db,
                                                      tmp_path):
    load_content(content_copy)
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(Path(app.config["TAXONOMY_FILE"]).read_text() + "\n# changed\n")
    app.config["TAXONOMY_FILE"] = str(taxonomy)
    report = load_content(content_copy)[0]
    assert "lesson/without-topics.en.md" in report.updated
    assert "practice/peer-mediation.en.md" in report.unchanged
