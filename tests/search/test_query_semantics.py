"""A widened or corrected query keeps its meaning: NOT excludes, AND and "phrases" require."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index

from app.search.backend import SearchDocument, Version
from app.search.whoosh_query import (
    correct_query,
    parse_query,
    query_language,
    sanitise_query,
    widened_query,
)
from app.search.whoosh_schema import build_schema, document_fields

# One document per item; "police" is frequent so that only the page language picks "policja".
ITEMS = [
    ("berlin", "en", "symbols", "Swastika graffiti on a school wall in Berlin, police informed"),
    ("dresden", "en", "symbols", "Swastika stickers on a tram in Dresden; the police came"),
    ("munich", "en", "symbols", "Graffiti mural near the wall of a school in Munich"),
    ("leipzig", "en", "hate", "Police and hate speech at a football stadium in Leipzig"),
    ("krakow", "pl", "hate", "Policja i szkoła: plakaty nienawiści w Krakowie"),
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """A searcher over the items, one segment each (as after edits, not after a rebuild)."""
    index = whoosh_index.create_in(str(tmp_path_factory.mktemp("index")), build_schema())
    for number, (slug, lang, topic, text) in enumerate(ITEMS):
        writer = index.writer()
        writer.add_document(**document_fields(SearchDocument(
            doc_id=slug, type="case", slug=slug, topics=[topic],
            versions=[Version(item_id=number, language=lang, title="", summary="", body=text)],
        )))
        writer.commit(merge=False)
    with index.searcher() as opened:
        yield opened


def found(searcher, query) -> set[str]:
    """The ids of every document the query finds."""
    assert query is not None
    return {hit["doc_id"] for hit in searcher.search(query, limit=None)}


def widened(searcher, text: str, topics: tuple[str, ...] = ()) -> set[str]:
    """The ids the widened query finds."""
    return found(searcher, widened_query(searcher.schema, text, list(topics)))


def test_strict_search_requires_every_word(searcher):
    assert found(searcher, parse_query(searcher.schema, "swastika graffiti")) == {"berlin"}


def test_doubled_operators_do_not_break_the_search(searcher):
    assert found(searcher, parse_query(searcher.schema, "swastika NOT NOT berlin")) == {"dresden"}


def test_a_minus_sign_excludes_like_not(searcher):
    assert found(searcher, parse_query(searcher.schema, "swastika -berlin")) == {"dresden"}
    assert "berlin" not in widened(searcher, "swastika graffiti -berlin")


def test_a_hyphen_inside_a_word_is_not_an_exclusion():
    assert sanitise_query("anti-semitism -berlin") == "anti-semitism NOT berlin"


def test_widening_never_brings_back_an_excluded_item(searcher):
    assert "berlin" not in widened(searcher, "swastika graffiti NOT berlin", ("symbols",))


def test_widening_finds_items_with_some_of_the_words(searcher):
    assert widened(searcher, "swastika graffiti NOT berlin") == {"dresden", "munich"}


def test_widening_keeps_a_phrase_required(searcher):
    assert widened(searcher, '"school wall" graffiti stickers') == {"berlin"}


def test_widening_keeps_words_joined_by_and_required(searcher):
    assert widened(searcher, "graffiti AND wall swastika stickers") == {"berlin"}


def test_topics_stand_in_for_plain_words_but_not_for_required_ones(searcher):
    assert widened(searcher, "police AND tram graffiti stadium", ("symbols",)) == {"dresden"}


def test_a_query_with_or_is_not_widened(searcher):
    assert widened_query(searcher.schema, "swastika OR mural stickers", ["symbols"]) is None


def test_a_query_with_brackets_is_not_widened(searcher):
    assert widened_query(searcher.schema, "(swastika mural) stickers", ["symbols"]) is None


def test_a_query_of_required_parts_is_not_widened(searcher):
    assert widened_query(searcher.schema, '"school wall" AND graffiti', ["symbols"]) is None


def test_correction_keeps_operators_quotes_and_typed_words(searcher):
    corrected = correct_query(searcher, '"scool wall" Swastica NOT Berlin', ["en"])
    assert corrected == '"school wall" Swastika NOT Berlin'


def test_correction_leaves_inflections_the_search_finds(searcher):
    assert correct_query(searcher, "sticker swastica", ["en"]) == "sticker swastika"


def test_correction_finds_letters_swapped_near_the_start(searcher):
    assert correct_query(searcher, "sawstika", ["en"]) == "swastika"


def test_correction_proposes_the_page_language_first(searcher):
    assert correct_query(searcher, "polica", ["pl", "en"]) == "policja"


def test_correction_in_english_proposes_the_english_word(searcher):
    assert correct_query(searcher, "polica", ["en", "pl"]) == "police"


def test_query_language_is_the_one_knowing_most_words(searcher):
    assert query_language(searcher, "policja szkoła graffiti", "en") == "pl"


def test_correction_stops_after_max_words(searcher):
    corrected = correct_query(searcher, "scool swastica polica", ["en"], max_words=2)
    assert corrected == "school swastika polica"


def test_correction_with_no_time_left_changes_nothing(searcher):
    assert correct_query(searcher, "scool swastica", ["en"], budget_seconds=0) is None
