"""The body in each position of an exercise: one pose model that every figure is drawn from.

A pose is a side view of the body, head on the left, as points (x to the right, y up, the floor
at y = 0, about 17 units from head to toe): the head's centre, the shoulder, the middle of the
back (which bends the trunk: up for the cat, down for the cow and the cobra), the hip, and the
near arm and leg (elbow, hand; knee, heel, toe). The far arm and leg are drawn only where they
differ from the near ones (the bent leg while the other knee is hugged). The poses and which
step shows which are in data/poses.toml; pose_svg.py draws them for paper and pose_cells.py
for the terminal, and the session runner says where between two poses the body is now.

Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

Point = tuple[float, float]

TRUNK = ("head", "shoulder", "back", "hip")
NEAR_LIMBS = ("elbow", "hand", "knee", "heel", "toe")
FAR_LIMBS = tuple(f"{name}_far" for name in NEAR_LIMBS)
POINTS = (*TRUNK, *NEAR_LIMBS)
"""Every pose gives these; the far limbs are optional (the same as the near ones if left out)."""
OPTIONAL_POINTS = FAR_LIMBS

HEAD_RADIUS = 0.9
ARMS = (("shoulder", "elbow", "hand"), ("shoulder", "elbow_far", "hand_far"))
LEGS = (("hip", "knee", "heel", "toe"), ("hip", "knee_far", "heel_far", "toe_far"))
SAME = 0.05
"""Far limbs this close to the near ones are hidden behind them."""


@dataclass(frozen=True)
class Body:
    """Every point of the body in one position, far limbs included."""

    points: Mapping[str, Point]

    def __getitem__(self, name: str) -> Point:
        return self.points[name]

    @classmethod
    def of(cls, points: Mapping[str, Point]) -> Body:
        """From a pose's points; far limbs left out are where the near ones are."""
        full = dict(points)
        for near, far in zip(NEAR_LIMBS, FAR_LIMBS, strict=True):
            full.setdefault(far, full[near])
        return cls(full)

    def far_shown(self, limb: tuple[str, ...]) -> bool:
        """Whether a far limb (ARMS[1], LEGS[1]) stands apart from the near one."""
        return any(
            abs(a - b) > SAME
            for name in limb[1:]
            for a, b in zip(self[name], self[name.removesuffix("_far")], strict=True)
        )

    def trunk_curve(self, steps: int = 8) -> list[Point]:
        """The trunk from shoulder to hip, a smooth curve through the middle of the back."""
        (sx, sy), (bx, by), (hx, hy) = self["shoulder"], self["back"], self["hip"]
        cx, cy = 2 * bx - (sx + hx) / 2, 2 * by - (sy + hy) / 2  # the control point
        return [
            (
                (1 - t) ** 2 * sx + 2 * (1 - t) * t * cx + t * t * hx,
                (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy + t * t * hy,
            )
            for t in (index / steps for index in range(steps + 1))
        ]


@dataclass(frozen=True)
class Pose:
    name: str
    caption: str
    """What the position is, in a few words, under the figure on paper."""
    body: Body


@dataclass(frozen=True)
class ExercisePoses:
    """The positions of one exercise and which step shows which."""

    start: Pose
    """Getting ready and resting; each hold moves from it and each rest back to it."""
    hold: Pose | None = None
    """The position held (a still hold)."""
    later_hold: Pose | None = None
    """Held from repetition `later_from` on (cobra's straight arms after the sphinx)..."""
    later_from: int = 0
    later_unless: tuple[str, ...] = ()
    """...unless the person has one of these cautions (conditions), which keep to `hold`."""
    breathe_in: Pose | None = None
    """Moving with the breath (cat-cow): the position at the end of breathing in..."""
    breathe_out: Pose | None = None
    """...and of breathing out."""

    def held(self, repetition: int, conditions: Iterable[str] = ()) -> Pose:
        """The position of a still hold's repetition (from 1) for a person's cautions."""
        later = (
            self.later_hold is not None
            and repetition >= self.later_from
            and not set(conditions) & set(self.later_unless)
        )
        if later and self.later_hold is not None:
            return self.later_hold
        return self.hold or self.start

    @property
    def positions(self) -> tuple[Pose, ...]:
        """Every position, in the order a person meets them (each once), for paper."""
        found = (self.start, self.hold, self.later_hold, self.breathe_out, self.breathe_in)
        unique: dict[str, Pose] = {}
        for pose in found:
            if pose is not None:
                unique.setdefault(pose.name, pose)
        return tuple(unique.values())

    @cached_property
    def box(self) -> Box:
        """The room every position takes, so a figure keeps one scale as it moves."""
        return Box.around(pose.body for pose in self.positions)


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def around(cls, bodies: Iterable[Body]) -> Box:
        xs: list[float] = []
        ys: list[float] = []
        for body in bodies:
            for name, (x, y) in body.points.items():
                pad = HEAD_RADIUS if name == "head" else 0.0
                xs += [x - pad, x + pad]
                ys += [y - pad, y + pad]
        return cls(min(xs), min(0.0, *ys), max(xs), max(ys))

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


@dataclass(frozen=True)
class Moment:
    """Where the body is at one moment: `progress` of the way from `origin` to `target`."""

    origin: Pose
    target: Pose
    progress: float
    """0 at the origin, 1 at the target (already eased)."""

    def body(self, still: bool = False) -> Body:
        """The body now; `still` (reduced motion): the target, the right position for the
        breath or the step, without the movement between."""
        if still or self.progress >= 1:
            return self.target.body
        if self.progress <= 0:
            return self.origin.body
        return between(self.origin.body, self.target.body, self.progress)


def between(a: Body, b: Body, fraction: float) -> Body:
    """The body `fraction` of the way from `a` to `b`, each point on a straight line."""
    return Body(
        {
            name: (
                a[name][0] + (b[name][0] - a[name][0]) * fraction,
                a[name][1] + (b[name][1] - a[name][1]) * fraction,
            )
            for name in a.points
        }
    )


def eased(fraction: float) -> float:
    """Slow in and out, as a body moves: 0 -> 0, 1 -> 1."""
    fraction = min(max(fraction, 0.0), 1.0)
    return fraction * fraction * (3 - 2 * fraction)
