"""Clinic mode walked through end to end: every exercise of every built-in routine, forwards and
backwards, at every pace the keys allow, on a clock that reads just under a power of two.

That clock is what a computer up for 17 minutes gives: 1023.150849 seconds. A step's end,
`now + its length`, then crosses 1024 and is rounded in floating point, so a step can seem not
to have begun; clinic mode once crashed there (`min()` of nothing) once in seven tries of
stepping into child's pose. The paces: every key at once (as fast as they can be typed), keys
0.05 s, 0.5 s and 3 s apart, and each key a moment before the step's countdown ends.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, load_content
from spasm_coach.session import SessionRunner, Status
from spasm_coach.tui.clinic import ClinicApp
from spasm_coach.tui.screens.presenter import PresenterScreen
from spasm_coach.tui.widgets.countdown import Countdown

ROUTINES = sorted(load_content().routines)
PACES = ["all at once", "0.05 s apart", "0.5 s apart", "3 s apart", "at each step's end"]
JUST_UNDER_1024 = 1023.150849
FORWARD, BACK = ("right", "n"), ("left", "b")
"""Each direction's two keys, pressed in turn."""


def presenter(pilot: Pilot) -> PresenterScreen:
    screen = pilot.app.screen
    assert isinstance(screen, PresenterScreen)
    return screen


def runner_of(pilot: Pilot) -> SessionRunner:
    runner = presenter(pilot).runner
    assert runner is not None
    return runner


async def press(pilot: Pilot, clock: FakeClock, pace: str, key: str) -> None:
    """One key at `pace`: first the time before it passes (with the wake the screen asked
    for, as its timer would give it), then the key."""
    screen = presenter(pilot)
    runner = screen.runner
    assert runner is not None
    if pace == "at each step's end":
        gap = runner.view(clock.monotonic()).remaining - 0.001
    else:
        gap = float(pace.split(maxsplit=1)[0])
    clock.advance(max(gap, 0.0))
    screen.heartbeat()
    pilot.app.simulate_key(key)
    await settle(pilot)


async def settle(pilot: Pilot) -> None:
    """Until every key sent has been handled: each goes to the focused widget, which passes it
    on to the screen's bindings, so it takes a few turns of the event loop (no wait for the
    CPU to go idle, which pilot.press does, and which takes far longer)."""
    last, same = None, 0
    for _ in range(1000):
        await pilot.pause(0)
        runner = presenter(pilot).runner
        assert runner is not None
        state = (runner.step_index, runner.status, runner.view(0.0).remaining)
        same = same + 1 if state == last else 0
        if same == 3:
            return
        last = state
    raise AssertionError("the keys were never all handled")


def queue(pilot: Pilot, keys: list[str]) -> None:
    """Keys as fast as keys come: all queued before the first is handled."""
    for key in keys:
        pilot.app.simulate_key(key)


async def walk(
    pilot: Pilot,
    clock: FakeClock,
    pace: str,
    keys: tuple[str, str],
    goal: Callable[[SessionRunner], bool],
) -> set[str]:
    """Press the direction's keys in turn until `goal(runner)`; the exercises shown on the way."""
    shown: set[str] = set()
    for count in range(400):
        runner = presenter(pilot).runner
        assert runner is not None
        shown.add(runner.step.exercise.id)
        countdown = presenter(pilot).query_one(Countdown).seconds
        assert countdown == runner.view(clock.monotonic()).remaining
        if goal(runner):
            return shown
        await press(pilot, clock, pace, keys[count % 2])
    assert runner is not None
    raise AssertionError(f"never got there: {runner.step}")


@pytest.mark.parametrize("pace", PACES)
@pytest.mark.parametrize("routine_id", ROUTINES)
async def test_every_exercise_forwards_and_backwards(
    content: Content, routine_id: str, pace: str
) -> None:
    clock = FakeClock()
    clock.advance(JUST_UNDER_1024 - clock.monotonic())
    app = ClinicApp(content.routines[routine_id], clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        plan = presenter(pilot).plan
        last = len(plan.steps) - 1
        every = {planned.exercise.id for planned in plan.exercises}
        if pace == "all at once":
            queue(pilot, [FORWARD[n % 2] for n in range(last)])
            await settle(pilot)
            assert runner_of(pilot).step_index == last
            queue(pilot, [BACK[n % 2] for n in range(last)])
            await settle(pilot)
            assert runner_of(pilot).step_index == 0
            queue(pilot, ["right_square_bracket"] * len(plan.exercises))
            queue(pilot, ["left_square_bracket"] * len(plan.exercises))
            queue(pilot, [str(n) for n in range(len(plan.exercises), 0, -1)])
            await settle(pilot)
            assert runner_of(pilot).step_index == 0
        else:
            forwards = await walk(pilot, clock, pace, FORWARD, lambda r: r.step_index == last)
            clock.advance(plan.steps[-1].seconds)
            presenter(pilot).heartbeat()
            assert runner_of(pilot).status is Status.FINISHED
            queue(pilot, ["1", *["right_square_bracket"] * len(plan.exercises)])
            await settle(pilot)
            backwards = await walk(pilot, clock, pace, BACK, lambda r: r.step_index == 0)
            assert forwards == backwards == every
        assert app.is_running
    assert app._exception is None
