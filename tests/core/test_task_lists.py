"""Task lists ("- [ ] text") render as disabled checkboxes, and the sanitiser stays strict."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.markup import render_markdown

ROOT = Path(__file__).resolve().parents[2]
TASK_LINE = re.compile(r"^\s*(?:[-*+]|\d+\.) \[[ xX]\]\s+\S", re.M)


def test_an_open_task_is_an_unchecked_disabled_checkbox_labelled_by_its_text():
    html = render_markdown("- [ ] Call the parents")
    assert '<li class="task-list-item"><label><input disabled type="checkbox"> Call the parents' \
        '</label></li>' in html


def test_a_done_task_is_checked():
    html = render_markdown("- [x] Call the parents\n- [X] Tell the class teacher")
    assert html.count('<input checked disabled type="checkbox">') == 2


def test_a_list_with_tasks_gets_the_task_list_class():
    assert '<ul class="task-list">' in render_markdown("- [ ] one\n- [ ] two")


def test_an_ordinary_list_stays_unchanged():
    assert render_markdown("- one\n- two") == "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"


def test_inline_markup_and_links_stay_inside_the_label():
    html = render_markdown("- [ ] Read **the guide** at [the portal](https://example.org)")
    label = re.search(r"<label>(.*?)</label>", html).group(1)
    assert "<strong>the guide</strong>" in label
    assert '<a href="https://example.org" rel="nofollow noopener">the portal</a>' in label


def test_a_nested_list_stays_outside_the_label():
    html = render_markdown("- [ ] Prepare\n    - [x] Book a room\n")
    assert "<label><input disabled type=\"checkbox\"> Prepare</label><ul" in html
    assert html.count("<label>") == 2


def test_a_loose_list_puts_the_checkbox_in_the_first_paragraph():
    html = render_markdown("1. [ ] First\n\n2. [x] Second\n\n    More about it.\n")
    assert '<ol class="task-list">' in html
    assert "<p><label><input checked disabled type=\"checkbox\"> Second</label></p>" in html
    assert "<p>More about it.</p>" in html


@pytest.mark.parametrize("text", ["[ ] not in a list", "`- [ ] in code`", "- [ ]", "- [x]text"])
def test_brackets_outside_a_task_item_stay_text(text):
    assert "<input" not in render_markdown(text)


@pytest.mark.parametrize("raw", [
    '<input type="text" name="q">',
    '<input name="q">',
    '<input type="checkbox">',
    '<input type="password" disabled>',
    '<input type="submit" disabled value="Go">',
])
def test_raw_inputs_other_than_a_disabled_checkbox_are_removed(raw):
    assert "<input" not in render_markdown(f"Before {raw} after")


def test_an_event_handler_on_a_raw_checkbox_is_stripped():
    html = render_markdown('<input type="checkbox" disabled onclick="alert(1)">')
    assert "onclick" not in html


def test_an_event_handler_on_a_raw_label_is_stripped():
    html = render_markdown('<label for="x" onclick="alert(1)">Name</label>')
    assert "<label>Name</label>" in html


def test_only_the_task_list_classes_are_allowed():
    html = render_markdown('<ul class="evil"><li class="task-list-item hidden">a</li></ul>')
    assert "class=" not in html


def test_the_task_list_class_itself_is_kept_on_raw_html():
    html = render_markdown('<ul class="task-list"><li class="task-list-item">a</li></ul>')
    assert '<li class="task-list-item">' in html


def test_every_checklist_line_of_the_bundled_handbooks_renders_as_a_checkbox():
    lines = boxes = 0
    for path in sorted([*ROOT.joinpath("handbooks").rglob("*.md"),
                        *ROOT.joinpath("content").rglob("*.md")]):
        text = path.read_text(encoding="utf-8")
        found = len(TASK_LINE.findall(text))
        if found:
            lines += found
            boxes += render_markdown(text).count('type="checkbox"')
    assert lines > 100  # the bundled checklists are really read
    assert boxes == lines
