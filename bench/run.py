"""`make bench`: spasm-coach side by side with a baseline, written to docs/performance.md.

Every figure is the median of interleaved runs (baseline, spasm-coach, baseline, ...) in fresh
processes: 5 by default, 3 when a run takes over 5 s, 1 when it takes over 30 s. Test data is
made here, in a temporary SPASM_COACH_HOME, and deleted at the end; the person's own data
folder is never touched.

BENCH_QUICK=1   smaller sizes, fewer runs, shorter hold and session (about 3 minutes)
BENCH_ONLY=a,b  only these measurements (names in bench/sections.py SECTIONS)
BENCH_OUTPUT=F  write the report to F (default: docs/performance.md for a full run of
                everything; a quick or partial run only prints it)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.harness import QUICK, ROOT, SCRATCH, progress
from bench.report import machine, table
from bench.sections import SECTIONS, SESSION_LENGTH, Bench

REPORT = ROOT / "docs" / "performance.md"
TOOLS = {"time": "time", "tmux": "tmux", "sqlite3": "sqlite3"}
"""Command -> Debian package, installed with apt-get when missing (the bench says so)."""

METHOD = Path(__file__).with_name("METHOD.md")
"""How the figures are made and how to read them, appended to the report."""
GAPS = Path(__file__).with_name("GAPS.md")
"""What the rows marked no would take: kept by hand, next to the method."""


def missing_tools() -> dict[str, str]:
    """Install tmux and sqlite3 with apt-get if they are missing; what still is, and why."""
    missing = {}
    for command, package in TOOLS.items():
        if shutil.which(command):
            continue
        if os.geteuid() == 0 and shutil.which("apt-get"):
            apt_install(command, package)
        if not shutil.which(command):
            missing[command] = f"{command} is not installed (apt-get install {package})"
    return missing


def apt_install(command: str, package: str) -> None:
    install = ["apt-get", "install", "-y", "-q", package]
    progress(f"{command} is missing; running: {' '.join(install)}")
    if subprocess.run(install, check=False).returncode != 0:
        progress("running: apt-get update -q, then the install again")
        subprocess.run(["apt-get", "update", "-q"], check=False)
        subprocess.run(install, check=False)


def chosen_sections() -> list[str]:
    only = [name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        raise SystemExit(
            f"BENCH_ONLY: unknown {', '.join(sorted(unknown))}; use {', '.join(SECTIONS)}"
        )
    return only or list(SECTIONS)


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    names = chosen_sections()
    started, clock, load_before = datetime.now().astimezone(), time.monotonic(), load()
    missing = missing_tools()
    if "time" in missing:
        raise SystemExit(f"The bench needs GNU time for peak memory: {missing['time']}")
    mode = "quick run, BENCH_QUICK=1" if QUICK else "full run"
    if len(names) < len(SECTIONS):
        mode += f", only {', '.join(names)}"
    with tempfile.TemporaryDirectory(prefix="spasm-bench-") as scratch:
        # Anything started without its own data folder still lands in a temporary one.
        os.environ["SPASM_COACH_HOME"] = str(Path(scratch) / "unused-home")
        bench = Bench(Path(scratch), missing)
        for name in names:
            SECTIONS[name](bench)
    shutil.rmtree(SCRATCH, ignore_errors=True)
    minutes = (time.monotonic() - clock) / 60
    took = f"- The bench took {minutes:.1f} minutes"
    if "steps" in names:
        took += f", about {SESSION_LENGTH} of them the step-timing session"
    lines = [
        "# Performance",
        "",
        "Made by `make bench` (bench/run.py); every figure below was measured, none typed in.",
        "",
        *machine(started, mode),
        f"{took}. Load average (1, 5, 15 min) before: {load_before}; after: {load()}. Other work",
        "  on the machine makes figures noisier; each baseline ran under the same conditions.",
        "",
        *table(bench.rows),
        "",
        GAPS.read_text(),
        METHOD.read_text(),
    ]
    text = "\n".join(lines)
    print(text)
    output = os.environ.get("BENCH_OUTPUT") or (
        REPORT if not QUICK and len(names) == len(SECTIONS) else None
    )
    if output:
        Path(output).write_text(text)
        progress(f"wrote {output}")


if __name__ == "__main__":
    sys.exit(main())
