"""The session player on the real clock, headless: CPU while counting down, and hold timing.

A short routine (3 s holds) runs to the end. Each time the runner moves to a new step, the
moment the screen saw it is compared with the absolute boundary the plan gives; the last
boundary is the end of the session, so any drift would show there.
"""

from __future__ import annotations

import asyncio
import time

from spasm_coach.content import Routine, RoutineStep, load_content
from spasm_coach.session import plan_session
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app
from spasm_coach.tui.screens.player import PlayerScreen

content = load_content()
exercise = content.exercises["knee_to_chest"]
dose = exercise.dose.__class__(
    hold_seconds=3, repetitions=3, sided=True, rest_seconds=1, prepare_seconds=2
)
routine = Routine("bench", "Bench", "3 s holds", (RoutineStep(exercise, dose),) * 2, ())
plan = plan_session(routine, ())


async def run(pilot) -> None:
    app = pilot.app
    record = app.store.start_session("bench", "Bench", app.clock.now(), None)
    await app.push_screen(PlayerScreen(plan, record.uid))
    player = app.screen
    start = player.runner._started_at
    boundaries, elapsed = [], 0.0
    for step in plan.steps:
        elapsed += step.seconds
        boundaries.append(start + elapsed)
    seen, index = [], 0
    beat = player.heartbeat

    def watched_heartbeat() -> None:
        """The real heartbeat, noting the moment the screen first shows each new step."""
        nonlocal index
        beat()
        if player.runner.step_index != index or player.runner.status.ended:
            seen.append(time.monotonic())
            index = player.runner.step_index

    player.heartbeat = watched_heartbeat
    for timer in list(player._timers):  # the interval captured the old method: restart it
        timer.stop()
    player.set_interval(0.2, player.heartbeat)
    cpu0, wall0 = time.process_time(), time.monotonic()
    while not player.runner.status.ended:
        await asyncio.sleep(0.5)
    cpu = time.process_time() - cpu0
    wall = time.monotonic() - wall0
    lateness = [observed - planned for observed, planned in zip(seen, boundaries, strict=False)]
    print(f"countdown: {wall:.1f} s of session used {cpu / wall * 100:.1f}% of one core")
    print(
        f"hold timing: {len(lateness)} step ends seen {min(lateness) * 1000:.0f} to "
        f"{max(lateness) * 1000:.0f} ms after their planned moment (heartbeat 200 ms); "
        f"session ended {lateness[-1] * 1000:.0f} ms after start + {plan.total_seconds} s"
    )
    app.exit()


if __name__ == "__main__":
    make_app(Store.in_memory(), content=content, settings=Settings(cautions=(), sounds=False)).run(
        headless=True, size=(80, 24), auto_pilot=run
    )
