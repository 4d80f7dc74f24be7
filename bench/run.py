"""Benchmarks: start-up against a bare Textual app, countdown CPU, hold timing, export speed.

Run with `make bench`. Timings live here, not in the tests, because they depend on the machine.
Start-up and export figures are medians of several runs in fresh processes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

PYTHON = sys.executable
RUNS = 7

BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("A bare Textual app")
        yield Footer()

async def first_frame(pilot):
    await pilot.pause()
    pilot.app.exit()

Bare().run(headless=True, size=(80, 24), auto_pilot=first_frame)
"""

COACH_APP = """
from spasm_coach.paths import database_path
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app
from spasm_coach.tui.screens.home import HomeScreen

async def first_frame(pilot):
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    pilot.app.exit()

with Store.open(database_path()) as store:
    make_app(store, settings_path=None).run(headless=True, size=(80, 24), auto_pilot=first_frame)
"""

SEED = """
from datetime import datetime, timedelta, timezone
from spasm_coach.paths import database_path
from spasm_coach.store import PainEntry, Store, new_uid

start = datetime(2024, 1, 1, tzinfo=timezone.utc)
with Store.open(database_path()) as store:
    store.restore(
        PainEntry(new_uid(), start + timedelta(hours=i), i % 11, "check-in", "stiff")
        for i in range(20_000)
    )
"""


def median_seconds(command: list[str], env: dict[str, str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup_and_export() -> None:
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "SPASM_COACH_HOME": home}
        bare = median_seconds([PYTHON, "-c", BARE_APP], env)
        coach = median_seconds([PYTHON, "-c", COACH_APP], env)
        print(
            f"start-up to the first frame (80x24, headless): bare Textual app {bare * 1000:.0f} ms,"
            f" spasm-coach home {coach * 1000:.0f} ms = {coach / bare:.2f}x the bare app"
        )
        version = median_seconds([PYTHON, "-m", "spasm_coach", "--version"], env)
        subprocess.run([PYTHON, "-c", SEED], env=env, check=True)
        for fmt in ("csv", "json", "fhir"):
            took = median_seconds(
                [PYTHON, "-m", "spasm_coach", "export", "-f", fmt, "-o", f"{home}/out.{fmt}"],
                env,
                runs=3,
            )
            print(f"export of 20,000 scores as {fmt}: {took * 1000:.0f} ms")
        print(f"spasm-coach --version (the floor for any command): {version * 1000:.0f} ms")


def countdown() -> None:
    """Run the real player on the real clock and measure what it costs and how late it is."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.countdown"], check=True, capture_output=True, text=True
    )
    print(result.stdout.strip())


if __name__ == "__main__":
    startup_and_export()
    countdown()
