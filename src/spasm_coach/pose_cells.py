"""Poses drawn in the terminal, in braille cells: each character is a 2 x 4 grid of dots, so a
figure has four times the detail of block characters and needs no colour (it reads the same
with NO_COLOR and on any background).

Written here rather than taken from a library: the braille canvas that would fit (drawille) is
AGPL-3.0, which an MIT package can't ship, and the Textual canvases draw pixels in colour with
half blocks, which vanish without colour and live in the face rather than the core. Drawing
round-ended thick lines and a disc into a set of dots is all a pose needs.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from functools import cache

from spasm_coach.content import Exercise
from spasm_coach.poses import ARMS, HEAD_RADIUS, LEGS, Body, Box, Point

BRAILLE = 0x2800
DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""The bit of each dot in a braille cell, by row (0-3) and column (0-1)."""
LIMB, TRUNK = 0.3, 0.45
"""Half the thickness of a limb and of the trunk, in body units (as on paper, a little finer)."""
FAR = 0.55
"""A far arm or leg is drawn this much thinner, so it reads as behind."""


@cache
def _disc(radius: float) -> tuple[tuple[int, int], ...]:
    reach = math.ceil(radius)
    return tuple(
        (dx, dy)
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
        if dx * dx + dy * dy <= radius * radius + 0.25
    )


class Canvas:
    """Dots in a grid of `columns` x `rows` braille cells, y up from the bottom."""

    def __init__(self, columns: int, rows: int) -> None:
        self.columns, self.rows = columns, rows
        self.width, self.height = columns * 2, rows * 4
        self.dots: set[tuple[int, int]] = set()

    def stamp(self, x: float, y: float, radius: float) -> None:
        cx, cy = round(x), round(y)
        for dx, dy in _disc(max(radius, 0.0)):
            px, py = cx + dx, cy + dy
            if 0 <= px < self.width and 0 <= py < self.height:
                self.dots.add((px, py))

    def line(self, points: Iterable[Point], radius: float) -> None:
        """Round-ended strokes through `points` (in dots)."""
        points = list(points)
        for (x1, y1), (x2, y2) in itertools.pairwise(points):
            steps = max(1, math.ceil(math.hypot(x2 - x1, y2 - y1) * 2))
            for index in range(steps + 1):
                t = index / steps
                self.stamp(x1 + (x2 - x1) * t, y1 + (y2 - y1) * t, radius)

    def lines(self) -> list[str]:
        cells = [[0] * self.columns for _ in range(self.rows)]
        for x, y in self.dots:
            row_from_top = self.height - 1 - y
            cells[row_from_top // 4][x // 2] |= DOT_BITS[row_from_top % 4][x % 2]
        return ["".join(chr(BRAILLE + bits) if bits else " " for bits in row) for row in cells]


def body_cells(body: Body, box: Box, columns: int, rows: int) -> list[str]:
    """The body as `rows` lines of `columns` braille cells, as large as they allow, centred;
    `box` is the room every position of the exercise takes (one scale as the body moves)."""
    canvas = Canvas(columns, rows)
    if columns < 4 or rows < 2:
        return canvas.lines()
    scale = min((canvas.width - 2) / box.width, (canvas.height - 2) / box.height)
    left = (canvas.width - box.width * scale) / 2
    bottom = (canvas.height - box.height * scale) / 2

    def dots(point: Point) -> Point:
        return left + (point[0] - box.left) * scale, bottom + (point[1] - box.bottom) * scale

    thin = max(LIMB * scale, 0.5)
    canvas.line([dots((box.left, box.bottom)), dots((box.right, box.bottom))], 0)  # the floor
    for limb in (ARMS[1], LEGS[1]):
        if body.far_shown(limb):
            canvas.line([dots(body[name]) for name in limb], thin * FAR)
    canvas.line([dots(body["head"]), dots(body["shoulder"])], thin)
    canvas.line([dots(point) for point in body.trunk_curve()], max(TRUNK * scale, 0.5))
    for limb in (LEGS[0], ARMS[0]):
        canvas.line([dots(body[name]) for name in limb], thin)
    canvas.stamp(*dots(body["head"]), HEAD_RADIUS * scale)
    return canvas.lines()


TEXT_FIGURE = (30, 6)
"""Columns and rows of a figure in plain text (routines show, the Markdown handout)."""


def text_figures(exercise: Exercise) -> list[tuple[str, str]]:
    """(caption, drawing) for each position of an exercise, in braille text; a physio's own
    exercise without poses gives its ASCII frames (with no caption)."""
    poses = exercise.poses
    if poses is None:
        return [("", frame) for frame in exercise.figure]
    return [
        (
            pose.caption,
            "\n".join(line.rstrip() for line in body_cells(pose.body, poses.box, *TEXT_FIGURE)),
        )
        for pose in poses.positions
    ]
