"""Server-side SVG bar charts: typed geometry here, markup in _macros/charts.html.

A chart is drawn in its own coordinates (a viewBox) and scales to the width of its container;
it needs no script, no library and nothing from elsewhere, prints like the page and comes
with a table of the same figures for screen readers and for anyone who prefers numbers.
Hidden figures (value None) get no bar length at all: a hatched stub of one fixed size and
the marker text, so the drawing reveals nothing the table does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

WIDTH = 480  # viewBox width; the SVG is drawn at 100% of its container
FONT = 15  # label size in viewBox units (about 11 px on a phone, 18 px at full width)
HIDDEN_STUB = 10  # length of a hidden figure's stub: the same for every hidden figure


@dataclass(frozen=True)
class Datum:
    """One figure to draw: `label` in the table, `short` (lines) under a column."""

    label: str
    value: int | None  # None: hidden
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bar:
    """A drawn figure: its rectangle, its printed value and where its label goes."""

    datum: Datum
    text: str
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float
    label_x: float
    label_y: float

    @property
    def hidden(self) -> bool:
        """True when the figure is hidden (drawn as a hatched stub)."""
        return self.datum.value is None


@dataclass(frozen=True)
class ChartText:
    """A chart's words: title, text summary, table headings and the hidden figures' marker."""

    title: str
    summary: str
    label_heading: str
    value_heading: str
    hidden_text: str


@dataclass(frozen=True)
class Chart:
    """A bar chart ready to render: columns (a time series) or rows (categories)."""

    id: str
    kind: Literal["columns", "rows"]
    text: ChartText
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    axis: tuple[float, float, float, float] = (0, 0, 0, 0)  # x1, y1, x2, y2 of the base line
    label_font: float = FONT  # column labels shrink so that long month names never overlap

    @property
    def font(self) -> int:
        """Label size in viewBox units."""
        return FONT


def shown_text(datum: Datum, hidden_text: str, number) -> str:
    """The printed value: the formatted number, or the marker of a hidden figure."""
    return hidden_text if datum.value is None else number(datum.value)


def scale_top(data: list[Datum]) -> int:
    """The value a full-length bar stands for (at least 1, so empty charts draw)."""
    return max([d.value for d in data if d.value is not None] + [1])


def column_chart(chart_id: str, data: list[Datum], text: ChartText, number=str) -> Chart:
    """Vertical bars left to right (months): value above each bar, label lines below."""
    top, bottom, left, right, height = 26, 44, 8, 8, 270
    plot, base = height - top - bottom, height - bottom
    slot = (WIDTH - left - right) / max(len(data), 1)
    peak = scale_top(data)
    bars = []
    for index, datum in enumerate(data):
        length = HIDDEN_STUB if datum.value is None else plot * datum.value / peak
        x, middle = left + slot * (index + 0.15), left + slot * (index + 0.5)
        value = shown_text(datum, text.hidden_text, number)
        bars.append(Bar(datum, value, x, base - length, slot * 0.7, length,
                        middle, base - length - 5, middle, base + FONT + 4))  # fmt: skip
    texts = [line for datum in data for line in datum.short] + [bar.text for bar in bars]
    return Chart(chart_id, "columns", text, WIDTH, height, bars, (left, base, WIDTH - right, base),
                 fitting_font(texts, slot))


def fitting_font(texts: list[str], slot: float) -> float:
    """The largest size (at most FONT) at which the longest text fits one column, so long
    month names or markers ("szept.", "rejtett") never run into each other (an average glyph
    is about 0.6 of the size wide)."""
    longest = max((len(text) for text in texts), default=1)
    return round(min(FONT, slot * 0.92 / (0.6 * longest)), 1)


def row_chart(chart_id: str, data: list[Datum], text: ChartText, number=str) -> Chart:
    """Horizontal bars top to bottom (categories): label above each bar, value after it."""
    row, left, room = 50, 4, 90  # room: space right of the longest bar for its value
    peak = scale_top(data)
    bars = []
    for index, datum in enumerate(data):
        length = HIDDEN_STUB if datum.value is None else (WIDTH - left - room) * datum.value / peak
        y = row * index
        value = shown_text(datum, text.hidden_text, number)
        bars.append(Bar(datum, value, left, y + 23, length, 18,
                        left + length + 6, y + 38, left, y + 16))  # fmt: skip
    height = row * len(data) + 4
    return Chart(chart_id, "rows", text, WIDTH, height, bars, (left, 0, left, height))
