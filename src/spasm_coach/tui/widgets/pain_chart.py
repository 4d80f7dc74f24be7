"""The pain trend as a bar chart in the terminal, readable without colour.

One column per day (or per few days, when a long period would not fit), each the mean score of
that day drawn as a bar of block characters on a 0-10 axis. A day with no score is a dot on the
base line, and the legend says so. Heights are in eighths of a row, so small changes still show.
The chart is drawn from each day's count and sum of scores (summed in SQL), so a day of a thousand
scores costs no more than a day of one.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from datetime import date

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from spasm_coach.pain import MAX_SCORE
from spasm_coach.trend import DayPain

BLOCKS = " ▁▂▃▄▅▆▇█"
"""A cell filled by 0 to 8 eighths, bottom up."""
NO_SCORE = "·"
AXIS_WIDTH = 4
"""The y axis: a two-digit label, a space and the axis line."""
MAX_COLUMN = 4
"""The widest column (a bar of three and a gap), so a short period isn't a row of slivers."""
DEFAULT_ROWS = 5
"""Bar rows: each is two points of the 0-10 scale, in eighths."""


def bucket_means(days: Iterable[DayPain], first: date, last: date, per: int) -> list[float | None]:
    """Mean score of each run of `per` days, oldest first; the last run ends on `last`.

    Days outside first..last are left out; a run with no score is None.
    """
    count = math.ceil(((last - first).days + 1) / per)
    scores, totals = [0] * count, [0] * count
    for day, scored, total in days:
        if first <= day <= last:
            bucket = count - 1 - (last - day).days // per
            scores[bucket] += scored
            totals[bucket] += total
    return [
        total / scored if scored else None for scored, total in zip(scores, totals, strict=True)
    ]


def chart_lines(
    days: Iterable[DayPain],
    first: date,
    last: date,
    width: int,
    rows: int = DEFAULT_ROWS,
) -> list[str]:
    """The chart as plain text lines no wider than `width` (the legend wraps to fit).

    `days` are each day's count and sum of scores; the x axis runs from `first` to `last`.
    """
    if last < first:
        raise ValueError("the chart's last day is before its first")
    room = max(1, width - AXIS_WIDTH)
    per = math.ceil(((last - first).days + 1) / room)
    means = bucket_means(days, first, last, per)
    column = max(1, min(MAX_COLUMN, room // len(means)))
    bar = column - 1 if column > 1 else 1
    gap = " " * (column - bar)
    five = math.ceil(rows / 2)
    labels = {rows: "10", five: "5"}

    lines = []
    for level in range(rows, 0, -1):
        cells = []
        for mean in means:
            if mean is None:
                cell = NO_SCORE if level == 1 else " "
                cells.append(cell.ljust(bar) + gap)
                continue
            # At least one eighth, so a day scored 0 still shows that it was scored.
            eighths = max(1, round(mean * rows * 8 / MAX_SCORE))
            filled = min(8, max(0, eighths - (level - 1) * 8))
            cells.append(BLOCKS[filled] * bar + gap)
        label = labels.get(level)
        axis = f"{label:>2} ┤" if label else "   │"
        lines.append((axis + "".join(cells)).rstrip())
    plot = len(means) * column
    lines.append(" 0 └" + "─" * plot)
    start, end = f"{first:%d %b}", f"{last:%d %b}"
    if plot >= len(start) + len(end) + 1:
        lines.append(" " * AXIS_WIDTH + start + end.rjust(plot - len(start)))
    else:
        lines.append(" " * AXIS_WIDTH + f"{start} to {end}")
    if per == 1:
        legend = f"Bars: mean score per day, 0 to 10. {NO_SCORE} = no score that day."
    else:
        legend = f"Bars: mean score per {per} days, 0 to 10. {NO_SCORE} = no score in those days."
    lines += textwrap.wrap(legend, max(width, 20))
    return lines


class PainChart(Widget):
    """The pain trend for a period: call `show` with its days' sums and the days to cover."""

    DEFAULT_CSS = """
    PainChart {
        height: auto;
    }
    """

    days: reactive[tuple[DayPain, ...]] = reactive((), layout=True)
    """Each day's count and sum of scores (days without a score may be left out)."""
    first: reactive[date] = reactive(date.today, layout=True)
    """The first day on the x axis."""
    last: reactive[date] = reactive(date.today, layout=True)
    """The last day on the x axis (today, usually)."""
    rows: reactive[int] = reactive(DEFAULT_ROWS, layout=True)
    """Bar rows for the 0-10 scale."""

    def show(self, days: Sequence[DayPain], first: date, last: date) -> None:
        self.days, self.first, self.last = tuple(days), first, last

    def lines(self, width: int) -> list[str]:
        return chart_lines(self.days, self.first, max(self.first, self.last), width, self.rows)

    def render(self) -> Content:
        return Content("\n".join(self.lines(self.content_size.width)))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))
