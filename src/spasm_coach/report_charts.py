"""The clinic report's charts: daily pain with the plan's stages, and sessions against the plan,
each an inline SVG (nothing fetched, every label escaped)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date

from spasm_coach.html import esc
from spasm_coach.journey import StageRun
from spasm_coach.report_data import DayPain, SessionDay


def day_label(day: date, year: bool = False) -> str:
    """'23 Nov', or '23 Nov 2026' with `year`."""
    return f"{day.day} {day:%b}" + (f" {day.year}" if year else "")


CHART_WIDTH = 680
LEFT, RIGHT, TOP = 44, 14, 12


def _x_labels(days: Sequence[date], x_of: Callable[[int], float], bottom: float) -> str:
    """Day labels under the axis, at most about eight, always including the first day."""
    step = max(1, math.ceil(len(days) / 8))
    parts = []
    for index in range(0, len(days), step):
        x = x_of(index)
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom:.1f}" x2="{x:.1f}" y2="{bottom + 4:.1f}" '
            'stroke="#000" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{bottom + 16:.1f}" text-anchor="middle">'
            f"{esc(day_label(days[index]))}</text>"
        )
    return "".join(parts)


def _x_scale(days: Sequence[date]) -> tuple[Callable[[int], float], float]:
    width = CHART_WIDTH - LEFT - RIGHT
    step = width / max(len(days), 1)
    return (lambda index: LEFT + (index + 0.5) * step), step


def pain_chart(
    days: Sequence[date], pain: dict[date, DayPain], stages: Sequence[StageRun] = ()
) -> str:
    """Daily pain as an inline SVG: the day's range as a grey bar, the daily mean as a line of
    dots, and the before- and after-session means as a hollow square and a solid triangle.
    `stages`: the plan's stages over the days, as shaded bands named along the top."""
    plot_height = 200
    top = TOP + (STAGE_ROW if stages else 0)
    bottom = top + plot_height
    height = bottom + 60
    x_of, step = _x_scale(days)
    marker = max(2.0, min(5.0, step / 2.2))

    def y_of(score: float) -> float:
        return top + (10 - score) * plot_height / 10

    bands = " The stages of the plan are shaded bands, each named along the top." if stages else ""
    parts = [
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="pain-chart-title pain-chart-desc" '
        'font-size="11" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">',
        '<title id="pain-chart-title">Pain score by day, 0 to 10</title>',
        '<desc id="pain-chart-desc">For each day with scores: the mean as a dot on a line, the '
        "lowest to highest score as a grey bar, the mean of scores given before a session as a "
        f"hollow square and after a session as a solid triangle.{bands}</desc>",
        _stage_bands(days, stages, x_of, step, top, bottom),
    ]
    for score in range(0, 11, 2):
        y = y_of(score)
        stroke = (
            'stroke="#000" stroke-width="1"' if score == 0 else 'stroke="#bbb" stroke-width="0.6"'
        )
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{CHART_WIDTH - RIGHT}" y2="{y:.1f}" {stroke}/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{score}</text>'
        )
    parts.append(
        f'<text x="12" y="{top + plot_height / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + plot_height / 2:.1f})">score (0-10)</text>'
    )
    bar = max(1.5, min(6.0, step * 0.5))
    path: list[str] = []
    dots: list[str] = []
    shapes: list[str] = []
    previous_had_data = False
    for index, day in enumerate(days):
        stats = pain.get(day)
        if stats is None:
            previous_had_data = False
            continue
        x = x_of(index)
        parts.append(
            f'<line x1="{x:.1f}" y1="{y_of(stats.low):.1f}" x2="{x:.1f}" '
            f'y2="{y_of(stats.high):.1f}" stroke="#aaa" stroke-width="{bar:.1f}"/>'
        )
        y = y_of(stats.mean)
        path.append(f"{'L' if previous_had_data else 'M'}{x:.1f},{y:.1f}")
        dots.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{marker * 0.6:.1f}" fill="#000"/>')
        previous_had_data = True
        before = stats.mean_of("before-session")
        if before is not None:
            shapes.append(_square(x, y_of(before), marker))
        after = stats.mean_of("after-session")
        if after is not None:
            shapes.append(_triangle(x, y_of(after), marker))
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="#000" stroke-width="1.4"/>')
    parts += dots + shapes
    parts.append(_x_labels(days, x_of, bottom))
    legend_y = bottom + 42
    parts.append(
        f'<g transform="translate({LEFT},{legend_y})">'
        '<line x1="0" y1="0" x2="18" y2="0" stroke="#000" stroke-width="1.4"/>'
        '<circle cx="9" cy="0" r="3" fill="#000"/>'
        '<text x="24" y="4">daily mean</text>'
        '<line x1="125" y1="-7" x2="125" y2="7" stroke="#aaa" stroke-width="5"/>'
        '<text x="134" y="4">lowest to highest</text>'
        + _square(283, 0, 5)
        + '<text x="294" y="4">before a session (mean)</text>'
        + _triangle(470, 0, 5)
        + '<text x="481" y="4">after a session (mean)</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)


STAGE_ROW = 16
"""Room above the pain chart for the names of the plan's stages."""


def _stage_bands(
    days: Sequence[date],
    stages: Sequence[StageRun],
    x_of: Callable[[int], float],
    step: float,
    top: float,
    bottom: float,
) -> str:
    """Each run of days in one stage as a band, shaded one in two, with a dashed line where a
    stage begins and its name above (cut to the band's width)."""
    index_of = {day: index for index, day in enumerate(days)}
    parts = []
    for number, run in enumerate(stages):
        if run.first not in index_of or run.last not in index_of:
            continue
        left = x_of(index_of[run.first]) - step / 2
        right = x_of(index_of[run.last]) + step / 2
        if number % 2 == 0:
            parts.append(
                f'<rect x="{left:.1f}" y="{top:.1f}" width="{right - left:.1f}" '
                f'height="{bottom - top:.1f}" fill="#ececec"/>'
            )
        if number:
            parts.append(
                f'<line x1="{left:.1f}" y1="{top - STAGE_ROW + 2:.1f}" x2="{left:.1f}" '
                f'y2="{bottom:.1f}" stroke="#000" stroke-width="1" stroke-dasharray="3 3"/>'
            )
        room = max(int((right - left - 6) / 6.2), 0)
        label = run.name if len(run.name) <= room else run.name[: max(room - 1, 0)] + "…"
        if label:
            parts.append(
                f'<text x="{left + 3:.1f}" y="{top - 4:.1f}" font-size="10">{esc(label)}</text>'
            )
    return "".join(parts)


def _square(x: float, y: float, size: float) -> str:
    return (
        f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size:.1f}" '
        f'height="{2 * size:.1f}" fill="#fff" stroke="#0b4f9c" stroke-width="1.6"/>'
    )


def _triangle(x: float, y: float, size: float) -> str:
    points = f"{x:.1f},{y + size:.1f} {x - size:.1f},{y - size:.1f} {x + size:.1f},{y - size:.1f}"
    return f'<polygon points="{points}" fill="#a33b00" stroke="#000" stroke-width="0.8"/>'


def sessions_chart(days: Sequence[date], by_day: dict[date, SessionDay], planned: int) -> str:
    """Sessions per day as bars (finished solid, ended early hatched) against the plan's line."""
    plot_height = 110
    bottom = TOP + plot_height
    height = bottom + 56
    top_value = max([planned, *(day.started for day in by_day.values())])
    x_of, step = _x_scale(days)
    width = max(1.5, step * 0.7)

    def y_of(value: float) -> float:
        return TOP + (top_value - value) * plot_height / top_value

    parts = [
        f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" '
        f'height="{height}" role="img" aria-labelledby="sessions-chart-title" '
        'font-size="11" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">',
        f'<title id="sessions-chart-title">Sessions done each day against {planned} planned'
        "</title>",
        '<defs><pattern id="hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="5" height="5" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="5" stroke="#000" stroke-width="1.6"/></pattern></defs>',
    ]
    tick_step = 1 if top_value <= 6 else math.ceil(top_value / 6)
    for value in range(0, top_value + 1, tick_step):
        y = y_of(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{CHART_WIDTH - RIGHT}" y2="{y:.1f}" '
            f'stroke="{"#000" if value == 0 else "#ccc"}" stroke-width="0.6"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for index, day in enumerate(days):
        counts = by_day.get(day)
        if counts is None or not counts.started:
            continue
        x = x_of(index) - width / 2
        if counts.finished:
            parts.append(
                f'<rect x="{x:.1f}" y="{y_of(counts.finished):.1f}" width="{width:.1f}" '
                f'height="{bottom - y_of(counts.finished):.1f}" fill="#000"/>'
            )
        if counts.ended_early:
            top = y_of(counts.started)
            parts.append(
                f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" '
                f'height="{y_of(counts.finished) - top:.1f}" fill="url(#hatch)" stroke="#000" '
                'stroke-width="1"/>'
            )
    planned_y = y_of(planned)
    parts.append(
        f'<line x1="{LEFT}" y1="{planned_y:.1f}" x2="{CHART_WIDTH - RIGHT}" y2="{planned_y:.1f}" '
        'stroke="#000" stroke-width="1.4" stroke-dasharray="6 4"/>'
    )
    parts.append(_x_labels(days, x_of, bottom))
    legend_y = bottom + 40
    parts.append(
        f'<g transform="translate({LEFT},{legend_y})">'
        '<rect x="0" y="-6" width="12" height="12" fill="#000"/>'
        '<text x="18" y="4">finished</text>'
        '<rect x="95" y="-6" width="12" height="12" fill="url(#hatch)" stroke="#000"/>'
        '<text x="113" y="4">started, ended early (not done)</text>'
        '<line x1="330" y1="0" x2="360" y2="0" stroke="#000" stroke-width="1.4" '
        'stroke-dasharray="6 4"/>'
        f'<text x="366" y="4">planned: {planned} a day</text></g>'
    )
    parts.append("</svg>")
    return "".join(parts)
