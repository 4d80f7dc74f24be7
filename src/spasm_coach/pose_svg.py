"""Poses drawn as SVG, for handouts, the report's routine page and the docs.

Line figures in the manner of a physiotherapy handout: a filled head, a thick trunk that bends
with the back, limbs with round joints, the far arm or leg in grey behind the near one, and the
floor. Black on white, so they print and photocopy; each figure carries its caption as its
accessible name. Nothing is fetched: the SVG is written into the page.
"""

from __future__ import annotations

from spasm_coach.content import Exercise
from spasm_coach.html import esc
from spasm_coach.poses import ARMS, HEAD_RADIUS, LEGS, Body, Box, Pose

LIMB = 0.62
TRUNK = 1.0
INK, FAR_INK, FLOOR_INK = "#000", "#8a8a8a", "#555"
MARGIN = 0.6
PIXELS_PER_UNIT = 9
"""The figure's size on paper: CSS pixels a unit (about 1.5 mm at 96 dpi)."""


def _path(points: list[tuple[float, float]]) -> str:
    return "M" + " L".join(f"{x:.2f},{-y:.2f}" for x, y in points)


def _line(points: list[tuple[float, float]], width: float, ink: str) -> str:
    return (
        f'<path d="{_path(points)}" fill="none" stroke="{ink}" stroke-width="{width}" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )


def body_svg(body: Body, box: Box, label: str) -> str:
    """One position as an `<svg>`, drawn in `box` (the same for every position of an
    exercise, so they share one scale)."""
    left, top = box.left - MARGIN, -(box.top + MARGIN)
    width, height = box.width + 2 * MARGIN, box.height + 2 * MARGIN
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{esc(label)}" '
        f'viewBox="{left:.2f} {top:.2f} {width:.2f} {height:.2f}" '
        f'width="{width * PIXELS_PER_UNIT:.0f}" height="{height * PIXELS_PER_UNIT:.0f}">',
        f"<title>{esc(label)}</title>",
        _line([(box.left - MARGIN / 2, -0.25), (box.right + MARGIN / 2, -0.25)], 0.18, FLOOR_INK),
    ]
    for limb in (ARMS[1], LEGS[1]):
        if body.far_shown(limb):
            parts.append(_line([body[name] for name in limb], LIMB, FAR_INK))
    parts.append(_line([body["head"], body["shoulder"]], LIMB, INK))
    parts.append(_line(body.trunk_curve(), TRUNK, INK))
    for limb in (LEGS[0], ARMS[0]):
        parts.append(_line([body[name] for name in limb], LIMB, INK))
    x, y = body["head"]
    parts.append(f'<circle cx="{x:.2f}" cy="{-y:.2f}" r="{HEAD_RADIUS}" fill="{INK}"/>')
    parts.append("</svg>")
    return "".join(parts)


def pose_svg(pose: Pose, box: Box) -> str:
    return body_svg(pose.body, box, pose.caption)


def exercise_figures(exercise: Exercise) -> str:
    """An exercise's figures for a page: each position as an SVG with its caption, in the
    order a person meets them; a physio's own exercise without poses shows its ASCII frames."""
    poses = exercise.poses
    if poses is None:
        return "".join(
            f'<pre role="img" aria-label="{esc(exercise.name)}, figure {index}">{esc(frame)}</pre>'
            for index, frame in enumerate(exercise.figure, start=1)
        )
    box = poses.box
    width = (box.width + 2 * MARGIN) * PIXELS_PER_UNIT
    return "".join(
        f'<figure style="margin:0;break-inside:avoid;width:{width:.0f}px">'
        f"{body_svg(pose.body, box, f'{exercise.name}: {pose.caption}')}"
        f'<figcaption style="font-size:9pt;line-height:1.2">{number}. {esc(pose.caption)}'
        "</figcaption></figure>"
        for number, pose in enumerate(poses.positions, start=1)
    )
