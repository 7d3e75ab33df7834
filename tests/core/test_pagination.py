"""In-memory pagination clamps wild page numbers instead of failing."""

from app.core.pagination import paginate_list


def test_pages_slice_and_clamp():
    items = list(range(45))
    assert paginate_list(items, 2, 20).items == list(range(20, 40))
    assert paginate_list(items, 99, 20).page == 3  # past the end: the last page
    assert paginate_list(items, -4, 20).page == 1
    assert paginate_list([], 1, 20).pages == 1 and paginate_list([], 1, 20).total == 0
