"""The coach as the bench drives it, one measurement per process: `python -m bench.coach_apps WHAT`.

history-screen  headless at 100x30: `l` from home, then `9` and `7`; prints when each was shown
first-frame     headless: start-up to the home screen's first frame, then exit
hold SECONDS    in a real terminal: the player at the start of one long hold, until killed
steps SECONDS   headless, on the real clock: a session of short steps, each step end's lateness

Every run uses the data folder in SPASM_COACH_HOME (the bench makes a temporary one). Figures go
to stdout as one JSON object a line, each as soon as it is known, so a run killed at its timeout
still reports what it had measured.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import replace
from itertools import accumulate, cycle, islice
from typing import TYPE_CHECKING

from spasm_coach.paths import database_path, settings_path
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.app import App
    from textual.pilot import Pilot

    from spasm_coach.content import Routine, RoutineStep
    from spasm_coach.session import SessionPlan
    from spasm_coach.tui.app import CoachApp

# Only what the `coach` command itself imports is imported up here, so that first-frame pays for
# nothing more than a real start does; each measurement imports the rest it needs.

SIZE = (100, 30)
QUIET_SECONDS = 0.3
"""A screen counts as drawn once no new frame has followed for this long."""


def report(**figures: object) -> None:
    print(json.dumps(figures), flush=True)


class Frames:
    """Notes the moment each frame is finished, as bytes ready for a terminal.

    Headless Textual lays out and renders every frame but skips turning it into escape codes;
    this does that step too, so a frame costs here what it costs in a real terminal.
    """

    def __init__(self, app: App) -> None:
        self.times: list[float] = []
        self.listeners: list[Callable[[float], None]] = []
        """Called with the moment of each frame, as it is finished."""
        display = app._display

        def timed_display(screen: object, renderable: object) -> None:
            display(screen, renderable)
            if renderable is None:
                return
            if hasattr(renderable, "render_segments"):
                renderable.render_segments(app.console)
            now = time.monotonic()
            self.times.append(now)
            for listener in self.listeners:
                listener(now)

        app._display = timed_display

    async def settled(self, pilot: Pilot) -> None:
        """Wait until the app is idle and no frame has come for QUIET_SECONDS."""
        while True:
            seen = len(self.times)
            await pilot.pause()
            await asyncio.sleep(QUIET_SECONDS)
            if len(self.times) == seen:
                return

    async def seconds_to_show(self, pilot: Pilot, key: str, ready: Callable[[], bool]) -> float:
        """From pressing `key` to the last frame before the screen settled."""
        seen = len(self.times)
        start = time.monotonic()
        await pilot.press(key)
        while not ready():
            await pilot.pause(0.01)
        await self.settled(pilot)
        new = self.times[seen:]
        return (new[-1] if new else time.monotonic()) - start


def coach_app(store: Store) -> CoachApp:
    """The coach with the built-in content loaded up front, no settings file and no bell."""
    from spasm_coach.clock import SystemClock
    from spasm_coach.content import load_content
    from spasm_coach.settings import Settings
    from spasm_coach.vocabulary import CONDITIONS

    return make_app(
        store,
        SystemClock(),
        settings_path=None,
        content=load_content(),
        settings=Settings(cautions=dict.fromkeys(CONDITIONS, False), region="uk", sounds=False),
    )


async def history_screen() -> None:
    """Home, then `l`, `9` and `7`. The history screen's module is not imported here: the coach
    imports it on the first `l`, and that belongs in the time it takes to show."""
    with Store.open(database_path()) as store:
        app = coach_app(store)
        async with app.run_test(size=SIZE) as pilot:
            frames = Frames(app)
            await frames.settled(pilot)
            shown = await frames.seconds_to_show(
                pilot, "l", lambda: type(app.screen).__name__ == "HistoryScreen"
            )
            report(shows=shown)
            report(switch_90=await frames.seconds_to_show(pilot, "9", lambda: True))
            report(switch_7=await frames.seconds_to_show(pilot, "7", lambda: True))
            app.exit()


def first_frame() -> None:
    """Like the `coach` command, but headless and gone after the first frame of home."""
    from spasm_coach.tui.screens.home import HomeScreen

    async def first_frame_then_exit(pilot: Pilot) -> None:
        await pilot.pause()
        assert isinstance(pilot.app.screen, HomeScreen)
        pilot.app.exit()

    with Store.open(database_path()) as store:
        app = make_app(store, settings_path=settings_path())
        app.run(headless=True, size=SIZE, auto_pilot=first_frame_then_exit)


def routine_of(name: str, steps: list[RoutineStep]) -> Routine:
    from spasm_coach.content import Routine

    return Routine("bench", name, "made by the bench", tuple(steps), ())


def hold(seconds: int) -> None:
    """The player showing one hold of `seconds`, in the terminal it was started in."""
    from spasm_coach.content import RoutineStep, load_content
    from spasm_coach.session import plan_session
    from spasm_coach.settings import Settings
    from spasm_coach.tui.screens.player import PlayerScreen
    from spasm_coach.vocabulary import CONDITIONS

    content = load_content()
    exercise = content.exercises["knee_to_chest"]
    dose = replace(
        exercise.dose, hold_seconds=seconds, repetitions=1, sided=False, prepare_seconds=1
    )
    plan = plan_session(routine_of("One long hold", [RoutineStep(exercise, dose)]), ())

    async def start_player(pilot: Pilot) -> None:
        app = pilot.app
        session = app.journal.open_session("bench", "One long hold", None)
        await app.push_screen(PlayerScreen(plan, session))

    with Store.open(database_path()) as store:
        answered = Settings(cautions=dict.fromkeys(CONDITIONS, False), region="uk")
        app = make_app(store, settings_path=None, content=content, settings=answered)
        app.run(auto_pilot=start_player)


def short_steps_plan(total_seconds: int) -> SessionPlan:
    """The standard routine's stretches with 5 s holds, 1 s to get ready and 1 s rests,
    repeated until the session lasts at least `total_seconds`."""
    from spasm_coach.content import RoutineStep, load_content
    from spasm_coach.session import plan_session

    content = load_content()
    steps = [
        RoutineStep(
            step.exercise,
            replace(
                step.dose,
                hold_seconds=5,
                prepare_seconds=1,
                rest_seconds=min(step.dose.rest_seconds, 1),
            ),
        )
        for step in content.routines["standard"].steps
    ]
    for count in range(1, 1000):
        plan = plan_session(routine_of("Short steps", list(islice(cycle(steps), count))), ())
        if plan.total_seconds >= total_seconds:
            return plan
    raise ValueError("no plan that long")


async def steps(total_seconds: int) -> None:
    """Run a session to its end and note, for each step, when the screen first showed the next.

    A step's planned end is absolute: the runner's start plus every step's length so far. The
    moment it was shown is the first finished frame after the runner moved on.
    """
    from spasm_coach.tui.screens.player import PlayerScreen

    plan = short_steps_plan(total_seconds)
    with Store.open(database_path()) as store:
        app = coach_app(store)
        async with app.run_test(size=SIZE) as pilot:
            frames = Frames(app)
            await frames.settled(pilot)
            session = app.journal.open_session("bench", "Short steps", None)
            player = PlayerScreen(plan, session)
            await app.push_screen(player)
            runner = player.runner
            assert runner is not None
            now = time.monotonic()
            started = now - runner.elapsed_active_seconds(now)
            ends = [started + end for end in accumulate(step.seconds for step in plan.steps)]
            done = 0
            lateness: list[tuple[float, float]] = []

            def step_ends_shown(moment: float) -> None:
                nonlocal done
                reached = len(ends) if runner.status.ended else runner.step_index
                for index in range(done, reached):
                    lateness.append((ends[index] - started, moment - ends[index]))
                done = max(done, reached)

            frames.listeners.append(step_ends_shown)
            while not runner.status.ended:
                await asyncio.sleep(0.5)
            await frames.settled(pilot)
            report(session_seconds=plan.total_seconds, step_ends=lateness)
            app.exit()


def main(argv: list[str]) -> None:
    what = argv[0]
    if what == "history-screen":
        asyncio.run(history_screen())
    elif what == "first-frame":
        first_frame()
    elif what == "hold":
        hold(int(argv[1]))
    elif what == "steps":
        asyncio.run(steps(int(argv[1])))
    else:
        raise SystemExit(f"unknown measurement {what!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
