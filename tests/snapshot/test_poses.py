"""Snapshots of every pose in the player, at 80x24 and 160x45: the figure beside the countdown,
at the moment of the step that shows it (cobra's first holds the sphinx, its later ones the
straight arms; cat-cow's cow breathing in and cat breathing out, with reduced motion)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from tests.support import NONE_APPLY, SnapCompare
from textual.pilot import Pilot

from spasm_coach.clock import FakeClock
from spasm_coach.content import Routine, RoutineStep, load_content
from spasm_coach.session import Phase, Step, plan_session
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.widgets.figure import PoseFigure

CONTENT = load_content()
SIZES = [(80, 24), (160, 45)]


@dataclass(frozen=True)
class Shown:
    """A pose, and the moment of an exercise that shows it."""

    pose: str
    exercise: str
    phase: Phase
    repetition: int = 1
    seconds_in: float = 5.0
    reduced_motion: bool = False


def moments() -> list[Shown]:
    """The first exercise and step that shows each pose (held still there)."""
    found: dict[str, Shown] = {}
    for exercise in CONTENT.exercises.values():
        poses = exercise.poses
        assert poses is not None, f"{exercise.id} has no poses"
        breath_in = exercise.dose.breath_in_seconds or 0
        held = min(5.0, exercise.dose.hold_seconds - 1)  # past the move into it
        candidates = [Shown(poses.start.name, exercise.id, Phase.PREPARE, seconds_in=1)]
        if poses.hold is not None:
            candidates.append(Shown(poses.hold.name, exercise.id, Phase.HOLD, seconds_in=held))
        if poses.later_hold is not None:
            candidates.append(
                Shown(poses.later_hold.name, exercise.id, Phase.HOLD, poses.later_from, held)
            )
        if poses.breathe_in is not None and poses.breathe_out is not None:
            candidates += [
                Shown(poses.breathe_in.name, exercise.id, Phase.HOLD, 1, 1, reduced_motion=True),
                Shown(poses.breathe_out.name, exercise.id, Phase.HOLD, 1, breath_in + 1, True),
            ]
        for shown in candidates:
            found.setdefault(shown.pose, shown)
    return list(found.values())


MOMENTS = moments()


def test_every_pose_is_shown_by_some_step() -> None:
    named = {pose.name for e in CONTENT.exercises.values() if e.poses for pose in e.poses.positions}
    assert {shown.pose for shown in MOMENTS} == named
    assert {"sphinx", "cobra", "cat", "cow"} <= named


def seconds_until(steps: tuple[Step, ...], shown: Shown) -> float:
    before = 0.0
    for step in steps:
        if step.phase is shown.phase and step.repetition == shown.repetition:
            return before + shown.seconds_in
        before += step.seconds
    raise AssertionError(f"no {shown.phase} {shown.repetition} in {shown.exercise}")


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "160x45"])
@pytest.mark.parametrize("shown", MOMENTS, ids=[shown.pose for shown in MOMENTS])
def test_pose_in_the_player(snap_compare: SnapCompare, shown: Shown, size: tuple[int, int]) -> None:
    clock = FakeClock()
    exercise = CONTENT.exercises[shown.exercise]
    plan = plan_session(
        Routine("one", exercise.name, "", (RoutineStep(exercise, exercise.dose),), ()), ()
    )
    app = make_app(
        Store.in_memory(),
        clock,
        content=CONTENT,
        settings=Settings(cautions=NONE_APPLY, region="uk", reduced_motion=shown.reduced_motion),
    )

    async def at_the_moment(pilot: Pilot) -> None:
        await pilot.pause()
        screen = PlayerScreen(plan, app.journal.open_session("one", exercise.name, None))
        await app.push_screen(screen)
        await pilot.pause()
        clock.advance(seconds_until(plan.steps, shown))
        screen.heartbeat()
        await pilot.pause()
        figure = screen.query_one(PoseFigure)
        assert figure._moment is not None
        assert figure._moment.target.name == shown.pose

    assert snap_compare(app, terminal_size=size, run_before=at_the_moment)
