"""Pages of an in-memory list (for lists assembled in Python, e.g. one item per language)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass
class ListPage(Generic[T]):
    """One page of a list, with what the pagination macro needs."""

    items: Sequence[T]
    page: int
    pages: int
    total: int


def paginate_list(items: Sequence[T], page: int | None, per_page: int) -> ListPage[T]:
    """The `page`-th slice of `items` (pages count from 1; out-of-range pages are clamped)."""
    pages = max(1, math.ceil(len(items) / per_page))
    number = min(max(page or 1, 1), pages)
    start = (number - 1) * per_page
    return ListPage(items[start:start + per_page], number, pages, len(items))
