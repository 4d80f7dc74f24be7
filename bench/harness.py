"""Running things to measure: child processes with a timeout, interleaved runs, medians, rows.

Every command runs in a fresh process. Its wall time is taken around the process (start to
exit); its peak memory (RSS) is what GNU time reports for it, the kernel's count for that
process alone. A process that outlives its timeout is killed and reported as "did not finish in
N s" instead of holding up the bench.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
GNU_TIME = "/usr/bin/time"
COACH = str(Path(PYTHON).with_name("spasm-coach"))
"""The installed entry point, exactly as a person runs it."""

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
DEFAULT_RUNS = 3 if QUICK else 5
SLOW_SECONDS, VERY_SLOW_SECONDS = 5.0, 30.0
"""A run slower than this gets 3 runs in all; slower than the second, just the one."""


@dataclass
class Run:
    """One process: how long it took, its peak RSS, and what it printed."""

    seconds: float
    peak_rss_mib: float
    output: str
    timed_out: bool
    timeout: float

    def results(self) -> dict[str, Any]:
        """The figures a measuring child printed, one JSON object a line (partial on timeout)."""
        found: dict[str, Any] = {}
        for line in self.output.splitlines():
            if line.startswith("{"):
                found.update(json.loads(line))
        return found


def run_process(
    command: Sequence[str], env: dict[str, str], timeout: float, stdout: Path | None = None
) -> Run:
    """Run `command` to the end (or kill it at `timeout`); stdout goes to a file, or is kept.

    GNU time starts the command and reports its peak RSS. The bench can't ask the kernel itself:
    a child forked from this (large) process would count the bench's own memory in its peak.
    """
    captured = stdout or _scratch("stdout")
    peak_file = _scratch("peak-rss")
    peak_file.unlink(missing_ok=True)
    timed = [GNU_TIME, "--format=%M", f"--output={peak_file}", *map(str, command)]
    with open(captured, "wb") as out, open(_scratch("stderr"), "wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            timed,
            env=env,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,  # its own process group, so a timeout kills all of it
        )
        ended: list[float] = []

        def wait() -> None:
            os.waitpid(process.pid, 0)  # blocks until the very moment it exits
            ended.append(time.perf_counter())

        waiter = threading.Thread(target=wait, daemon=True)
        waiter.start()
        waiter.join(timeout)
        timed_out = waiter.is_alive()
        peak_kib = 0
        if timed_out:
            peak_kib = _peak_so_far(process.pid)
            os.killpg(process.pid, signal.SIGKILL)
            waiter.join()
        process.returncode = 0  # reaped above, not by Popen
    if timed_out:
        return Run(timeout, peak_kib / 1024, "", timed_out=True, timeout=timeout)
    lines = peak_file.read_text().split()
    if lines[:1] == ["Command"]:  # "Command exited with non-zero status N", then the figure
        errors = _scratch("stderr").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({' '.join(lines)}):\n{errors}")
    output = "" if stdout else captured.read_text(errors="replace")
    return Run(ended[0] - start, int(lines[-1]) / 1024, output, timed_out=False, timeout=timeout)


def _peak_so_far(time_pid: int) -> int:
    """Peak RSS (KiB) the command under GNU time has reached so far, read before killing it."""
    try:
        children = Path(f"/proc/{time_pid}/task/{time_pid}/children").read_text().split()
        for line in Path(f"/proc/{children[0]}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, IndexError):
        pass
    return 0


SCRATCH = Path(os.environ.get("BENCH_SCRATCH", "/tmp")) / f"spasm-bench-{os.getpid()}"


def _scratch(name: str) -> Path:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    return SCRATCH / name


@dataclass
class Series:
    """The runs of one variant (the baseline, or spasm-coach) of one measurement."""

    runs: list[Run] = field(default_factory=list)

    @property
    def timed_out(self) -> bool:
        return any(run.timed_out for run in self.runs)

    def not_finished(self) -> str:
        return f"did not finish in {self.runs[-1].timeout:.0f} s"

    def seconds(self) -> float | str:
        """Median wall time, or "did not finish" if any run was killed at its timeout."""
        if self.timed_out:
            return self.not_finished()
        return statistics.median(run.seconds for run in self.runs)

    def rss(self) -> float | str:
        """Median peak RSS in MiB; for a run killed at its timeout, what it had reached then."""
        if self.timed_out:
            reached = max(run.peak_rss_mib for run in self.runs)
            return f"over {reached:.0f} MiB when killed"
        return statistics.median(run.peak_rss_mib for run in self.runs)

    def result(self, name: str) -> float | str | None:
        """Median of a figure the child printed; "did not finish" if a run was killed first."""
        values = [run.results().get(name) for run in self.runs]
        if None in values:
            return self.not_finished() if self.timed_out else None
        return statistics.median(values)


def interleaved(variants: dict[str, Callable[[], Run]]) -> dict[str, Series]:
    """Run each variant in turn (a, b, a, b, ...) and keep every run.

    The first round decides how many more: slow measurements get fewer, and a variant that
    timed out is not run again (its row says it did not finish).
    """
    wanted = DEFAULT_RUNS
    series = {name: Series() for name in variants}
    round_number = 0
    while round_number < wanted:
        for name, run in variants.items():
            if not series[name].timed_out:
                series[name].runs.append(run())
        if round_number == 0:
            slowest = max(s.runs[0].seconds for s in series.values())
            if slowest > VERY_SLOW_SECONDS:
                wanted = 1
            elif slowest > SLOW_SECONDS:
                wanted = min(wanted, 3)
        round_number += 1
        if all(s.timed_out for s in series.values()):
            break
    return series


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
