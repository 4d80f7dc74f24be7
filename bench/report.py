"""The results table and the machine it was measured on, as Markdown."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path

from bench.harness import ROOT

Value = float | str | None
"""A measured figure, or the reason there is none (e.g. "did not finish in 60 s")."""


@dataclass(frozen=True)
class Row:
    section: str
    what: str
    baseline: str
    coach: str
    ratio: str
    goal: str
    met: str
    runs: str


def show(value: Value, unit: str) -> str:
    """A figure in the unit it reads best in; text (a reason) is shown as it is."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value * 1000:.1f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    if unit == "%":
        return f"{value:.1f}% of a core"
    if unit == "B/s":
        return f"{value:,.0f} B/s"
    return f"{value:g} {unit}"


def ratio(coach: Value, baseline: Value) -> str:
    if isinstance(coach, float | int) and isinstance(baseline, float | int) and baseline > 0:
        return f"{coach / baseline:.2f}x"
    return "—"


def met(ok: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[ok]


def at_most(value: Value, limit: float) -> bool | None:
    """Goal met when the figure is at or under the limit; a run that never finished fails it."""
    if isinstance(value, str):
        return False
    return None if value is None else value <= limit


def ratio_within(coach: Value, baseline: Value, limit: float) -> bool | None:
    """Goal met when spasm-coach takes at most `limit` times the baseline."""
    if isinstance(coach, str):
        return False
    if not isinstance(coach, float | int) or not isinstance(baseline, float | int):
        return None
    return coach <= baseline * limit


def _field(path: str, key: str, separator: str = ":") -> str:
    """The value of the first `key<separator>value` line in a file such as /proc/cpuinfo."""
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(separator)
            if name.strip() == key:
                return value.strip().strip('"')
    except OSError:
        pass
    return "unknown"


def _command(*command: str) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    except (OSError, subprocess.CalledProcessError):
        return "not installed"
    return done.stdout.strip()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine(started: datetime, mode: str) -> list[str]:
    """Lines naming the machine, the software and the code that was measured."""
    memory_kib = int(_field("/proc/meminfo", "MemTotal").split()[0])
    commit = _command("git", "rev-parse", "--short", "HEAD")
    changed = _command("git", "status", "--porcelain", "src")
    os_name = _field("/etc/os-release", "PRETTY_NAME", "=")
    return [
        f"- Date: {started:%Y-%m-%d %H:%M %z} ({mode})",
        f"- CPU: {_field('/proc/cpuinfo', 'model name')}, {os.cpu_count()} cores, "
        f"{memory_kib / 1024 / 1024:.0f} GiB memory",
        f"- System: {os_name}, Linux {platform.release()}",
        f"- Python {platform.python_version()}, Textual {_version('textual')}, "
        f"Rich {_version('rich')}, SQLite {sqlite3.sqlite_version}",
        f"- {_command('tmux', '-V')}, termdown {_version('termdown')}, "
        f"sqlite3 CLI {_command('sqlite3', '--version').split(' ')[0]}",
        f"- Code measured: spasm-coach {_version('spasm-coach')} at commit {commit}"
        + (" with uncommitted changes in src/" if changed else ""),
    ]


def table(rows: list[Row]) -> list[str]:
    lines = [
        "| what | baseline | spasm-coach | ratio | goal | met? | runs |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    section = None
    for row in rows:
        if row.section != section:
            section = row.section
            lines.append(f"| **{section}** | | | | | | |")
        cells = (row.what, row.baseline, row.coach, row.ratio, row.goal, row.met, row.runs)
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return lines
