"""Detail pages: languages, fallback notice, handbooks, videos, related resources, drafts."""

from __future__ import annotations

import re


def _page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_item_lists_its_other_languages(client, make_item):
    make_item(slug="mediation", language="en", title="Mediation")
    make_item(slug="mediation", language="de", title="Schlichtung")
    make_item(slug="mediation", language="pl", title="Mediacja", status="draft")
    html = _page(client, "/en/library/practice/mediation")
    assert "<h1>Mediation</h1>" in html
    also = html.split('class="also-available"')[1].split("</nav>")[0]
    assert 'href="/de/library/practice/mediation"' in also
    assert "/pl/" not in also


def test_missing_language_falls_back_to_english_with_a_notice(client, make_item):
    make_item(slug="mediation", language="de", title="Schlichtung")
    make_item(slug="mediation", language="en", title="Mediation")
    html = _page(client, "/hu/library/practice/mediation")
    assert "<h1>Mediation</h1>" in html
    assert 'class="notice"' in html


def test_missing_language_without_english_shows_any_version(client, make_item):
    make_item(slug="only-polish", language="pl", title="Tylko po polsku")
    html = _page(client, "/de/library/practice/only-polish")
    assert "Tylko po polsku" in html and 'class="notice"' in html


def test_page_language_version_has_no_notice(client, make_item):
    make_item(slug="mediation", language="de", title="Schlichtung")
    html = _page(client, "/de/library/practice/mediation")
    assert "Schlichtung" in html and 'class="notice"' not in html


def test_unknown_item_is_404(client):
    _page(client, "/en/library/practice/nothing-here", 404)
    _page(client, "/en/library/podcast/anything", 404)


def test_practice_shows_evidence_label(client, make_item):
    make_item(slug="p", evidence="peer_reviewed")
    assert "Peer-reviewed" in _page(client, "/en/library/practice/p")


def test_case_shows_situation_response_recommendations_outcome(client, make_item):
    make_item(type="case", slug="c", extra={
        "situation": "Graffiti found.", "response": "Police informed.",
        "recommendations": ["Document first"], "outcome": "Workshop held."})
    html = _page(client, "/en/library/case/c")
    for text in ("Situation", "Graffiti found.", "Police informed.", "Document first",
                 "Outcome", "Workshop held."):
        assert text in html


def test_donor_shows_its_fields(client, make_item):
    make_item(type="donor", slug="d", extra={"eligibility": "NGOs only", "amounts": "5,000 EUR",
                                             "rolling": True, "website": "https://example.org"})
    html = _page(client, "/en/library/donor/d")
    assert "NGOs only" in html and "5,000 EUR" in html and "Applications at any time" in html


def test_video_makes_no_third_party_request_before_the_click(client, make_item):
    make_item(type="video", slug="v", body="The transcript says prebunking works.",
              extra={"embed_url": "https://www.youtube-nocookie.com/embed/abc"})
    html = _page(client, "/en/library/video/v")
    sources = re.findall(r'\bsrc="([^"]*)"', html)
    assert sources and all(s.startswith("/") for s in sources)
    assert "<iframe" not in html
    assert 'data-embed="https://www.youtube-nocookie.com/embed/abc"' in html
    assert "The transcript says prebunking works." in html


def test_related_resources_share_topics_and_prefer_the_page_language(client, make_item):
    make_item(slug="main", topics=["schools", "hate_speech"], title="Main item")
    make_item(slug="close", topics=["schools", "hate_speech"], title="Close match")
    make_item(slug="close", language="de", topics=["schools", "hate_speech"], title="Nah dran")
    make_item(slug="far", topics=["families"], title="Unrelated item")
    for n in range(6):
        make_item(slug=f"weak-{n}", topics=["schools"], title=f"Weak match {n}")
    html = _page(client, "/en/library/practice/main")
    related = html.split('id="related-heading"')[1].split("</section>")[0]
    assert "Close match" in related and "Nah dran" not in related
    assert "Unrelated item" not in related
    assert related.count("<li>") == 5
    assert related.index("Close match") < related.index("Weak match 0")  # two topics first
    assert "Main item" not in related


def test_drafts_are_private_to_their_author(client, make_item, make_user, login):
    author = make_user(country="DE")
    make_item(slug="draft", status="draft", author_id=author.id, title="My draft")
    _page(client, "/en/library/practice/draft", 404)
    login(make_user())
    _page(client, "/en/library/practice/draft", 404)
    login(make_user(role="coordinator", country="DE"))
    _page(client, "/en/library/practice/draft", 404)
    login(author)
    assert "My draft" in _page(client, "/en/library/practice/draft")


def test_items_in_review_are_seen_by_their_reviewers_only(client, make_item, make_user, login):
    author = make_user(country="DE")
    make_item(slug="review", status="in_review", author_id=author.id, title="Please review")
    login(make_user(role="coordinator", country="PL"))
    _page(client, "/en/library/practice/review", 404)
    login(make_user(role="coordinator", country="DE"))
    assert "Please review" in _page(client, "/en/library/practice/review")
    login(make_user(role="admin", country="EU"))
    assert "Please review" in _page(client, "/en/library/practice/review")


def _handbook(make_item):
    """A handbook of three chapters; the first in English and German."""
    for position, name, title in ((1, "01-overview", "Overview"), (2, "02-invite", "Invite"),
                                  (3, "03-follow-up", "Follow-up")):
        make_item(type="handbook", slug=f"hb/{name}", handbook_slug="hb", position=position,
                  title=title, extra={"handbook_title": "Roundtables"} if position == 1 else {})
    make_item(type="handbook", slug="hb/01-overview", language="de", handbook_slug="hb",
              position=1, title="Überblick", extra={"handbook_title": "Runde Tische"})


def test_handbook_contents_list_chapters_in_order(client, make_item):
    _handbook(make_item)
    html = _page(client, "/en/library/handbooks/hb")
    assert "Roundtables" in html
    assert html.index("Overview") < html.index("Invite") < html.index("Follow-up")
    assert 'href="/en/library/handbooks/hb/02-invite"' in html


def test_handbook_chapter_has_previous_and_next(client, make_item):
    _handbook(make_item)
    html = _page(client, "/en/library/handbooks/hb/02-invite")
    assert re.search(r'rel="prev" href="/en/library/handbooks/hb/01-overview"', html)
    assert re.search(r'rel="next" href="/en/library/handbooks/hb/03-follow-up"', html)
    first = _page(client, "/en/library/handbooks/hb/01-overview")
    assert 'rel="prev"' not in first


def test_handbook_in_german_mixes_german_overview_and_english_chapters(client, make_item):
    _handbook(make_item)
    html = _page(client, "/de/library/handbooks/hb")
    assert "Runde Tische" in html and "Überblick" in html and "Invite" in html
    chapter = _page(client, "/de/library/handbooks/hb/02-invite")
    assert 'class="notice"' in chapter


def test_loaded_library_pages_render(client, load_content, content_copy):
    load_content(content_copy)
    for url in ("/en/library/", "/en/library/practice/peer-mediation",
                "/en/library/case/graffiti-at-school", "/en/library/video/explainer",
                "/en/library/handbooks/demo-handbook",
                "/pl/library/handbooks/demo-handbook/03-follow-up",
                "/en/library/donor/open-fund", "/en/library/trainer/training-collective",
                "/en/library/trainers", "/en/library/donors", "/en/library/experts"):
        _page(client, url)


def test_chosen_version_is_shown_without_a_missing_language_notice(client, make_item):
    make_item(slug="mediation", language="en", title="Mediation")
    make_item(slug="mediation", language="de", title="Schlichtung")
    html = _page(client, "/en/library/practice/mediation?version=de")
    assert "<h1>Schlichtung</h1>" in html and 'class="notice"' not in html


def test_video_from_another_host_gets_no_embed_button(client, make_item):
    make_item(type="video", slug="v", extra={"embed_url": "https://evil.example/embed/x"})
    html = _page(client, "/en/library/video/v")
    assert "data-embed" not in html and "evil.example" not in html


def test_video_without_embed_address_shows_the_transcript_with_a_note(client, make_item):
    make_item(type="video", slug="v", body="Teachers asked how to respond.",
              extra={"embed_url": ""})
    html = _page(client, "/en/library/video/v")
    assert "cannot be played on the portal" in html
    assert "Teachers asked how to respond." in html
    assert "data-embed" not in html and "Load the video" not in html
