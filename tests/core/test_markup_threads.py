"""The sanitiser under threads: each thread's HTML is what one thread alone produces."""

from __future__ import annotations

from app.core.markup import render_markdown
from tests.fixtures.threads import at_once, switching_often

TEXTS = [
    f"## Case {n}\n\nSee <script>alert({n})</script> and https://example.org/{n} or "
    f"`<b>{n}</b>`.\n\n- item **{n}**\n- [link](javascript:alert({n}))\n\n![x](/static/{n}.png)"
    for n in range(150)
]


def test_threads_sanitise_like_one_thread(app):
    expected = [render_markdown(text) for text in TEXTS]
    found: dict[int, list[str]] = {}

    def work(number: int) -> None:
        found[number] = [render_markdown(text) for text in TEXTS]

    with switching_often():
        errors = at_once(app, 4, work)
    assert errors == []
    for number in range(4):
        assert found[number] == expected, f"thread {number}"
    assert "<script>" not in "".join(expected) and "javascript:" not in "".join(expected)
