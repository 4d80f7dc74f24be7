"""The measurements, one function each; every one adds its rows to the bench's table.

Sizes are run smallest first. When one size does not finish in its timeout, the larger ones are
not run (they could only be slower) and their rows say so.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench.harness import COACH, PYTHON, QUICK, Run, Series, interleaved, progress, run_process
from bench.plain import EXPORT_QUERY
from bench.report import Row, Value, at_most, met, ratio, ratio_within, show
from bench.seed import copy_home, empty_log, export_csv, seeded_log

from spasm_coach.paths import DB_NAME, HOME_ENV

TIMEOUT = 20.0 if QUICK else 60.0
SIZES = {
    "history-screen": (1_000, 100_000) if QUICK else (1_000, 100_000, 1_000_000),
    "history": (1_000,) if QUICK else (10_000, 100_000, 1_000_000),
    "export": (10_000, 100_000) if QUICK else (10_000, 100_000, 1_000_000),
    "export-json": (10_000,) if QUICK else (100_000,),
    "import": (10_000, 100_000) if QUICK else (10_000, 100_000, 1_000_000),
}
HOLD_WINDOW, HOLD_ROUNDS = (10, 1) if QUICK else (30, 3)
SESSION_SECONDS = 30 if QUICK else 600
SESSION_LENGTH = f"{SESSION_SECONDS} s" if SESSION_SECONDS < 120 else f"{SESSION_SECONDS // 60} min"
FLAT = 1.2
"""Memory counts as flat when the largest size needs at most this much more than the smallest."""


def module(name: str, *args: object) -> list[str]:
    return [PYTHON, "-m", f"bench.{name}", *map(str, args)]


class Bench:
    """Test data (made on first use, in a temporary folder) and the rows measured so far."""

    def __init__(self, scratch: Path, tools_missing: dict[str, str]) -> None:
        self.scratch = scratch
        self.now = datetime.now().astimezone()
        self.missing = tools_missing
        """Tool -> why it is not there; rows that need it say so instead of a figure."""
        self.rows: list[Row] = []
        self._homes: dict[int, Path] = {}
        self._csv: dict[int, Path] = {}
        self._made = 0

    def home(self, count: int) -> Path:
        """A data folder whose log holds `count` scores. Only read from: never run an import
        or a session in it."""
        if count not in self._homes:
            progress(f"  making a pain log of {count:,} scores")
            home = self.scratch / f"log-{count}"
            if count:
                seeded_log(home, count, self.now)
            else:
                empty_log(home)
            self._homes[count] = home
        return self._homes[count]

    def fresh_home(self) -> Path:
        """A new data folder holding an empty log, for a run that writes."""
        self._made += 1
        return copy_home(self.home(0), self.scratch / f"fresh-{self._made}")

    def csv_export(self, count: int) -> Path:
        if count not in self._csv:
            progress(f"  making a CSV export of {count:,} scores")
            self._csv[count] = export_csv(self.scratch / f"export-{count}.csv", count, self.now)
        return self._csv[count]

    def out(self, name: str) -> Path:
        return self.scratch / name

    def add(
        self,
        section: str,
        what: str,
        values: tuple[Value, Value],
        unit: str,
        goal: str = "—",
        ok: bool | None = None,
        runs: object = "—",
    ) -> None:
        baseline, coach = values
        self.rows.append(
            Row(
                section,
                what,
                show(baseline, unit),
                show(coach, unit),
                ratio(coach, baseline),
                goal,
                met(ok),
                str(runs),
            )
        )

    def not_run(self, section: str, what: str, reason: str) -> None:
        self.rows.append(Row(section, what, "—", f"not run: {reason}", "—", "—", "—", "0"))


def coach_env(home: Path) -> dict[str, str]:
    """The environment for anything that may open a pain log: always a temporary folder."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    env[HOME_ENV] = str(home)
    return env


def runner(
    command: list[str], home: Path, timeout: float, stdout: Path | None = None
) -> Callable[[], Run]:
    return lambda: run_process(command, coach_env(home), timeout, stdout)


def flat_row(
    bench: Bench, section: str, what: str, by_size: dict[int, Series], noun: str = "scores"
) -> None:
    """Peak RSS of the largest size against the smallest: is memory flat?"""
    sizes = sorted(by_size)
    if len(sizes) < 2:
        return
    small, large = by_size[sizes[0]].rss(), by_size[sizes[-1]].rss()
    bench.add(
        section,
        f"{what}, peak RSS at {sizes[-1]:,} vs {sizes[0]:,} {noun}",
        (small, large),
        "MiB",
        f"≤ {FLAT}x (flat)",
        ratio_within(large, small, FLAT),
        len(by_size[sizes[-1]].runs),
    )


# --- 1. the history screen -----------------------------------------------------------------


def history_screen(bench: Bench) -> None:
    section = "History screen (l from home), headless 100x30, vs the same on an empty log"
    command = module("coach_apps", "history-screen")
    timeout = TIMEOUT * 1.5
    measured: dict[int, Series] = {}
    stopped = ""
    for count in SIZES["history-screen"]:
        if stopped:
            bench.not_run(section, f"history screen, {count:,} scores", stopped)
            continue
        progress(f"history screen, {count:,} scores")
        series = interleaved(
            {
                "empty": runner(command, bench.home(0), timeout),
                "coach": runner(command, bench.home(count), timeout),
            }
        )
        coach, empty = series["coach"], series["empty"]
        measured[count] = coach
        for key, label, limit in (
            ("shows", "shows (first full frame after l)", 0.5),
            ("switch_90", "switch to 90 days (9)", 0.3),
            ("switch_7", "switch to 7 days (7)", 0.3),
        ):
            value = coach.result(key)
            bench.add(
                section,
                f"{label}, {count:,} scores",
                (empty.result(key), value),
                "s",
                f"< {limit} s",
                at_most(value, limit),
                len(coach.runs),
            )
        bench.add(
            section,
            f"peak RSS, {count:,} scores",
            (empty.rss(), coach.rss()),
            "MiB",
            runs=len(coach.runs),
        )
        if coach.timed_out:
            stopped = f"{count:,} scores did not finish in {timeout:.0f} s"
    flat_row(bench, section, "history screen", measured)


# --- 2. `spasm-coach history` ------------------------------------------------------------


def history_command(bench: Bench) -> None:
    section = "`spasm-coach history` to a file, vs the same on an empty log"
    stopped = ""
    for count in SIZES["history"]:
        what = f"`history` (every score), {count:,} scores"
        if stopped:
            bench.not_run(section, what, stopped)
            continue
        progress(f"spasm-coach history, {count:,} scores")
        series = _history_pair(bench, count, [], against_export=True)
        _history_rows(bench, section, what, series)
        # Every score is a line of text: the export writing the same scores as CSV is the
        # floor for that work, where the empty log is the floor for start-up alone.
        written, listed = series["csv"].seconds(), series["coach"].seconds()
        bench.add(
            section,
            f"`history` (every score) vs `export --format csv` of the same, {count:,} scores",
            (written, listed),
            "s",
            "≤ 1.5x the export",
            ratio_within(listed, written, 1.5),
            len(series["coach"].runs),
        )
        if series["coach"].timed_out:
            stopped = f"{count:,} scores did not finish in {TIMEOUT:.0f} s"
    count = SIZES["history"][0]
    progress(f"spasm-coach history --since 90d, {count:,} scores")
    series = _history_pair(bench, count, ["--since", "90d"])
    _history_rows(bench, section, f"`history --since 90d`, {count:,} scores", series)


def _history_pair(
    bench: Bench, count: int, options: list[str], against_export: bool = False
) -> dict[str, Series]:
    command = [COACH, "history", *options]
    listing = bench.out("history.txt")
    runners = {
        "empty": runner(command, bench.home(0), TIMEOUT, listing),
        "coach": runner(command, bench.home(count), TIMEOUT, listing),
    }
    if against_export:
        export = [COACH, "export", "--format", "csv"]
        runners["csv"] = runner(export, bench.home(count), TIMEOUT, bench.out("export.csv"))
    return interleaved(runners)


def _history_rows(bench: Bench, section: str, what: str, series: dict[str, Series]) -> None:
    coach, empty = series["coach"], series["empty"]
    values = (empty.seconds(), coach.seconds())
    near = ratio_within(values[1], values[0], 1.5)
    bench.add(section, what, values, "s", "≤ 1.5x empty (near the floor)", near, len(coach.runs))
    memory = (empty.rss(), coach.rss())
    flat = ratio_within(memory[1], memory[0], FLAT)
    bench.add(
        section, f"{what}, peak RSS", memory, "MiB", f"≤ {FLAT}x empty", flat, len(coach.runs)
    )


# --- 3. CPU and terminal output during a hold --------------------------------------------


def hold(bench: Bench) -> None:
    section = f"During a stretch hold, in tmux at 100x30, {HOLD_WINDOW} s measured"
    if "tmux" in bench.missing:
        bench.not_run(section, "CPU and bytes during a hold", bench.missing["tmux"])
        return
    from bench.tmux import Tmux

    termdown = Path(PYTHON).with_name("termdown")
    programs = {
        "coach": module("coach_apps", "hold", HOLD_WINDOW + 20),
        "digits": module("bare_apps", "digits", HOLD_WINDOW + 20),
    }
    if termdown.exists():
        programs["termdown"] = [str(termdown), str(HOLD_WINDOW + 20)]
    tmux = Tmux(bench.scratch)
    try:
        rounds = [_hold_round(bench, tmux, programs, number) for number in range(HOLD_ROUNDS)]
    finally:
        tmux.close()
    figures = {
        name: {
            kind: statistics.median(one[name][kind] for one in rounds) for kind in ("cpu", "bytes")
        }
        for name in programs
    }
    coach = figures["coach"]
    reference = figures.get("termdown")
    for kind, unit, label, limit in (
        ("cpu", "%", "CPU", 1.0),
        ("bytes", "B/s", "bytes written to the terminal a second", 3.0),
    ):
        if reference is None:
            bench.not_run(
                section, f"{label} vs termdown", "termdown is not installed (bench extra)"
            )
        else:
            values = (reference[kind], coach[kind])
            goal = "≤ termdown's" if limit == 1 else f"≤ {limit:g}x termdown's"
            ok = ratio_within(values[1], values[0], limit)
            bench.add(section, f"{label}, vs `termdown`", values, unit, goal, ok, HOLD_ROUNDS)
        values = (figures["digits"][kind], coach[kind])
        bench.add(
            section, f"{label}, vs a bare Textual Digits app", values, unit, "—", None, HOLD_ROUNDS
        )


def _hold_round(bench: Bench, tmux, programs: dict[str, list[str]], number: int) -> dict:
    """Start all three at once, wait until each shows its countdown, then measure together."""
    from bench.tmux import cpu_seconds

    progress(f"hold: round {number + 1} of {HOLD_ROUNDS} ({HOLD_WINDOW} s)")
    home = bench.fresh_home()
    names = {name: f"{name}-{number}" for name in programs}
    for name, command in programs.items():
        tmux.start(names[name], command, {HOME_ENV: str(home)})
    tmux.wait_for(names["coach"], "THIS HURTS", timeout=30)  # the player is up
    for name in programs:
        tmux.wait_until(names[name], lambda screen: screen.strip() != "", timeout=30)
    time.sleep(1)
    pids = {name: tmux.pid(names[name]) for name in programs}
    files = {name: bench.out(f"terminal-{names[name]}.bytes") for name in programs}
    for name in programs:
        tmux.record(names[name], files[name])
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    start = time.monotonic()
    time.sleep(HOLD_WINDOW)
    cpu_after = {name: cpu_seconds(pid) for name, pid in pids.items()}
    took = time.monotonic() - start
    for name in programs:
        tmux.stop_recording(names[name])
    time.sleep(0.5)  # let each pipe's cat write out what it holds
    assert "THIS HURTS" in tmux.screen(names["coach"]), "the hold ended before the measurement"
    for name in programs:
        tmux.kill(names[name])
    return {
        name: {
            "cpu": (cpu_after[name] - cpu_before[name]) / took * 100,
            "bytes": files[name].stat().st_size / took if files[name].exists() else 0.0,
        }
        for name in programs
    }


# --- 4. step ends on the real clock --------------------------------------------------------


def step_timing(bench: Bench) -> None:
    progress(f"step timing: a session of about {SESSION_LENGTH}")
    run = run_process(
        module("coach_apps", "steps", SESSION_SECONDS),
        coach_env(bench.fresh_home()),
        SESSION_SECONDS * 1.5 + 60,
    )
    found = run.results()
    total = found.get("session_seconds", SESSION_SECONDS)
    length = f"{total} s" if total < 120 else f"{total / 60:.1f} min"
    section = f"Step ends on the real clock, a {length} session of 5 s holds, headless"
    if "step_ends" not in found:
        bench.not_run(section, "step ends", f"the session did not finish in {run.timeout:.0f} s")
        return
    ends = [(float(at), float(late)) for at, late in found["step_ends"]]
    late = [lateness for _, lateness in ends]
    what = f"{len(ends)} step ends vs their planned moment"
    for label, value in (("most late", max(late)), ("median", statistics.median(late))):
        ok = at_most(value, 0.05)
        bench.add(section, f"{what}: {label}", (None, value), "ms", "≤ 50 ms", ok, 1)
    window = min(60.0, total / 3)
    first = max(lateness for at, lateness in ends if at <= window)
    last = max(lateness for at, lateness in ends if at > total - window)
    span = "minute" if window == 60 else f"{window:.0f} s"
    bench.add(
        section,
        f"most late in the last {span} (spasm-coach) vs the first (baseline)",
        (first, last),
        "ms",
        "≤ 50 ms, not growing",
        last <= 0.05 and last <= first + 0.01,
        1,
    )
    if min(late) < 0:
        early = "earliest step end (negative: shown before its planned moment)"
        bench.add(section, early, (None, min(late)), "ms")


# --- 5. start-up to the first frame ----------------------------------------------------------


def first_frame(bench: Bench) -> None:
    section = "Start-up to the home screen, vs a bare Textual app (Header, Static, Footer)"
    home = copy_home(bench.home(1_000), bench.out("first-frame-home"))
    if "tmux" in bench.missing:
        bench.not_run(section, "first frame in tmux", bench.missing["tmux"])
    else:
        _first_frame_in_tmux(bench, section, home)
    progress("first frame, headless")
    series = interleaved(
        {
            "bare": runner(module("bare_apps", "bare-headless"), home, TIMEOUT),
            "coach": runner(module("coach_apps", "first-frame"), home, TIMEOUT),
        }
    )
    values = (series["bare"].seconds(), series["coach"].seconds())
    bench.add(
        section,
        "headless: process start to exit after the first frame",
        values,
        "s",
        "≤ 1.3x bare",
        ratio_within(values[1], values[0], 1.3),
        len(series["coach"].runs),
    )


def _first_frame_in_tmux(bench: Bench, section: str, home: Path) -> None:
    from bench.bare_apps import BARE_TEXT
    from bench.tmux import Tmux, peak_rss_mib

    progress("first frame, in tmux")
    tmux = Tmux(bench.scratch)
    launched = 0

    def launch(command: list[str], text: str) -> Callable[[], Run]:
        def run() -> Run:
            nonlocal launched
            launched += 1
            name = f"first-{launched}"
            start = time.monotonic()
            tmux.start(name, command, {HOME_ENV: str(home)})
            try:
                seen = tmux.wait_for(name, text, timeout=TIMEOUT)
            except TimeoutError:
                tmux.kill(name)
                return Run(TIMEOUT, 0.0, "", True, TIMEOUT)
            time.sleep(0.5)
            rss = peak_rss_mib(tmux.pid(name))
            tmux.kill(name)
            return Run(seen - start, rss, "", False, TIMEOUT)

        return run

    try:
        series = interleaved(
            {
                "bare": launch(module("bare_apps", "bare"), BARE_TEXT),
                "coach": launch([COACH, "coach"], "Today at a glance"),
            }
        )
    finally:
        tmux.close()
    bare, coach = series["bare"], series["coach"]
    values = (bare.seconds(), coach.seconds())
    bench.add(
        section,
        "in tmux: launch to the home text on screen (`spasm-coach coach`)",
        values,
        "s",
        "≤ 1.3x bare",
        ratio_within(values[1], values[0], 1.3),
        len(coach.runs),
    )
    memory = (bare.rss(), coach.rss())
    bench.add(
        section,
        "in tmux: peak RSS with home shown",
        memory,
        "MiB",
        f"≤ {FLAT}x bare",
        ratio_within(memory[1], memory[0], FLAT),
        len(coach.runs),
    )


# --- 6. exports ------------------------------------------------------------------------------


def exports(bench: Bench) -> None:
    section = "`spasm-coach export` to a file, vs a plain script over the same SQL query"
    measured: dict[int, Series] = {}
    stopped = ""
    for count in SIZES["export"]:
        if stopped:
            bench.not_run(section, f"`export -f csv`, {count:,} scores", stopped)
            continue
        progress(f"export csv, {count:,} scores")
        series = _csv_exports(bench, count)
        measured[count] = coach = series["coach"]
        _csv_rows(bench, section, count, series)
        if coach.timed_out:
            stopped = f"{count:,} scores did not finish in {TIMEOUT:.0f} s"
    flat_row(bench, section, "`export -f csv`", measured)
    (count,) = SIZES["export-json"]
    progress(f"export fhir and json, {count:,} scores")
    home = bench.home(count)
    database = home / DB_NAME
    series = interleaved(
        {
            "plain": runner(
                module("plain", "json", database, bench.out("plain.json")), home, TIMEOUT
            ),
            "fhir": runner(
                [COACH, "export", "--force", "-f", "fhir", "-o", bench.out("out.fhir.json")],
                home,
                TIMEOUT,
            ),
            "json": runner(
                [COACH, "export", "--force", "-f", "json", "-o", bench.out("out.json")],
                home,
                TIMEOUT,
            ),
        }
    )
    plain = series["plain"]
    for fmt in ("fhir", "json"):
        coach = series[fmt]
        values = (plain.seconds(), coach.seconds())
        bench.add(
            section,
            f"`export -f {fmt}`, {count:,} scores (vs json.dumps per row)",
            values,
            "s",
            "≤ 1.5x plain",
            ratio_within(values[1], values[0], 1.5),
            len(coach.runs),
        )
        bench.add(
            section,
            f"`export -f {fmt}`, {count:,} scores, peak RSS",
            (plain.rss(), coach.rss()),
            "MiB",
            runs=len(coach.runs),
        )


def _csv_exports(bench: Bench, count: int) -> dict[str, Series]:
    home = bench.home(count)
    database = home / DB_NAME
    variants = {
        "writer": runner(module("plain", "csv", database, bench.out("plain.csv")), home, TIMEOUT),
    }
    if "sqlite3" not in bench.missing:
        sqlite_cli = ["sqlite3", "-readonly", "-csv", "-header", str(database), EXPORT_QUERY]
        variants["sqlite3"] = runner(sqlite_cli, home, TIMEOUT, bench.out("sqlite3.csv"))
    command = [COACH, "export", "--force", "-f", "csv", "-o", str(bench.out("out.csv"))]
    variants["coach"] = runner(command, home, TIMEOUT)
    return interleaved(variants)


def _csv_rows(bench: Bench, section: str, count: int, series: dict[str, Series]) -> None:
    coach, writer = series["coach"], series["writer"]
    values = (writer.seconds(), coach.seconds())
    goal, ok = "≤ 1.5x the writer", ratio_within(values[1], values[0], 1.5)
    if count == 100_000:
        goal += ", < 1 s"
        ok = ok and at_most(values[1], 1.0)
    what = f"`export -f csv`, {count:,} scores"
    bench.add(section, f"{what} (vs csv.writer)", values, "s", goal, ok, len(coach.runs))
    if "sqlite3" in series:
        values = (series["sqlite3"].seconds(), coach.seconds())
        bench.add(section, f"{what} (vs sqlite3 CLI, .mode csv)", values, "s", runs=len(coach.runs))
    else:
        bench.not_run(section, f"{what} (vs sqlite3 CLI)", bench.missing["sqlite3"])
    memory = (writer.rss(), coach.rss())
    bench.add(section, f"{what}, peak RSS (vs csv.writer)", memory, "MiB", runs=len(coach.runs))


# --- 7. import -------------------------------------------------------------------------------


def imports(bench: Bench) -> None:
    section = "`spasm-coach import` of a CSV export, vs csv.reader + executemany"
    measured: dict[int, Series] = {}
    stopped = ""
    timeout = TIMEOUT * 2
    for count in SIZES["import"]:
        what = f"`import`, {count:,} rows"
        if stopped:
            bench.not_run(section, what, stopped)
            continue
        progress(f"import, {count:,} rows")
        source = bench.csv_export(count)
        series = interleaved(
            {
                "plain": _import_into_fresh_log(bench, source, "plain", timeout),
                "coach": _import_into_fresh_log(bench, source, "coach", timeout),
            }
        )
        measured[count] = coach = series["coach"]
        plain = series["plain"]
        values = (plain.seconds(), coach.seconds())
        ok = ratio_within(values[1], values[0], 1.5)
        bench.add(section, what, values, "s", "≤ 1.5x plain", ok, len(coach.runs))
        memory = (plain.rss(), coach.rss())
        bench.add(section, f"{what}, peak RSS", memory, "MiB", runs=len(coach.runs))
        if coach.timed_out:
            stopped = f"{count:,} rows did not finish in {timeout:.0f} s"
    flat_row(bench, section, "`import`", measured, "rows")


def _import_into_fresh_log(
    bench: Bench, source: Path, importer: str, timeout: float
) -> Callable[[], Run]:
    """Each run imports into a new empty log, removed afterwards (a 1,000,000-row log is large)."""

    def run() -> Run:
        home = bench.fresh_home()
        if importer == "plain":
            command = module("plain", "import", source, home / DB_NAME)
        else:
            command = [COACH, "import", str(source)]
        try:
            return run_process(command, coach_env(home), timeout)
        finally:
            shutil.rmtree(home)

    return run


SECTIONS: dict[str, Callable[[Bench], None]] = {
    "history-screen": history_screen,
    "history": history_command,
    "hold": hold,
    "steps": step_timing,
    "first-frame": first_frame,
    "export": exports,
    "import": imports,
}
