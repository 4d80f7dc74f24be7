"""The fault suite's bookkeeping: every fault counts what it tried, its failures and the entries
lost, and the run ends with one table (fault | tried | failures | entries lost | time), printed
and written to build/faults.md for the closing note of a change.

A test takes the `tally` fixture for its fault (the `fault` marker names it), counts each
attempt, and records a failure with `tally.fail(...)` instead of stopping at the first one, so
the table says how many of the tries failed; `tally.done()` then fails the test if any did. A
test that fails some other way (an assertion, Hypothesis' falsifying example) counts as one
failure.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "faults",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("faults")

REPORT = Path(__file__).resolve().parents[2] / "build" / "faults.md"
ORDER = (
    "SIGKILL of the TUI",
    "SIGHUP: the terminal closed",
    "SIGTERM: kill -TERM",
    "Rescue file imported with updates",
    "Several writers, long import",
    "Full disk",
    "Read-only folder and file",
    "Settings temp symlink, and every file written",
    "Corrupt, truncated, foreign, newer logs",
    "Hypothesis: CLI arguments",
    "Hypothesis: import files",
    "Hypothesis: routine and settings files",
    "Hypothesis: text shown in the TUI",
    "C1/OSC through every command",
    "CSV in LibreOffice: formula after a tab",
    "CSV in LibreOffice: ; in a note",
    "CSV in LibreOffice: accented notes",
    "CSV in LibreOffice: time cell",
    "No network socket",
    "Browser: a page from another origin",
    "Browser: a client without the key",
    "Browser: a tab closed with an entry waiting",
)


@dataclass
class FaultRow:
    """One fault's numbers, summed over the tests that try it."""

    tried: int = 0
    failures: int = 0
    lost: int | None = None
    """Entries lost; None where the fault puts no entry at stake."""
    seconds: float = 0.0
    how: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    known: list[str] = field(default_factory=list)


ROWS: dict[str, FaultRow] = {}
SUITE_STARTED = time.monotonic()
"""When this file was loaded: the start of collecting the suite."""


@dataclass
class Tally:
    """What one test tried; merged into its fault's row when the test ends."""

    fault: str
    tried: int = 0
    lost: int | None = None
    problems: list[str] = field(default_factory=list)
    how: set[str] = field(default_factory=set)
    known: list[str] = field(default_factory=list)
    """Failures already reported and not fixed yet: in the table, without failing the test."""

    def known_issue(self, problem: str) -> None:
        self.known.append(problem)

    def fail(self, problem: str) -> None:
        self.problems.append(problem)

    def check(self, ok: bool, problem: str) -> bool:
        if not ok:
            self.fail(problem)
        return ok

    def lose(self, entries: int) -> None:
        self.lost = (self.lost or 0) + entries

    @contextmanager
    def one_try(self) -> Iterator[Tally]:
        """One try, whose problems (each still said) count as one failure of it."""
        found = Tally(self.fault)
        self.tried += 1
        yield found
        if found.problems:
            self.fail("; ".join(found.problems))
        if found.lost:
            self.lose(found.lost)

    def at_stake(self) -> None:
        """Entries are at stake in this fault: report 0 lost rather than 'n/a'."""
        self.lost = self.lost or 0

    def done(self) -> None:
        if self.problems or self.lost:
            shown = "\n  ".join(self.problems[:20])
            more = f"\n  ... and {len(self.problems) - 20} more" if len(self.problems) > 20 else ""
            raise AssertionError(
                f"{self.fault}: {len(self.problems)} of {self.tried} tries failed, "
                f"{self.lost or 0} entries lost:\n  {shown}{more}"
            )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fault(name): which fault of the table a test tries")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


CALL_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    marker = request.node.get_closest_marker("fault")
    assert marker is not None, "a fault test needs @pytest.mark.fault(name)"
    counts = Tally(marker.args[0])
    started = time.monotonic()
    yield counts
    row = ROWS.setdefault(counts.fault, FaultRow())
    row.seconds += time.monotonic() - started
    row.tried += counts.tried
    failures = len(counts.problems)
    if request.node.stash.get(CALL_FAILED, False) and not failures:
        failures = 1
        counts.problems.append(f"{request.node.name} failed (see its report)")
    row.failures += failures
    row.problems += counts.problems
    row.known += counts.known
    if counts.lost is not None:
        row.lost = (row.lost or 0) + counts.lost
    row.how |= counts.how


def table(total_seconds: float) -> str:
    lines = [
        "| fault | tried | failures | entries lost | time | how |",
        "|---|---:|---:|---:|---:|---|",
    ]
    names = [name for name in ORDER if name in ROWS] + sorted(set(ROWS) - set(ORDER))
    for name in names:
        row = ROWS[name]
        lost = "n/a" if row.lost is None else str(row.lost)
        how = "; ".join(sorted(row.how))
        failed = f"{row.failures} (+{len(row.known)} known)" if row.known else str(row.failures)
        lines.append(f"| {name} | {row.tried} | {failed} | {lost} | {row.seconds:.0f} s | {how} |")
    tried = sum(row.tried for row in ROWS.values())
    failures = sum(row.failures for row in ROWS.values())
    known = sum(len(row.known) for row in ROWS.values())
    failed = f"{failures} (+{known} known)" if known else str(failures)
    lost = sum(row.lost or 0 for row in ROWS.values())
    lines.append(f"| **all** | {tried} | {failed} | {lost} | {total_seconds:.0f} s | |")
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if not ROWS:
        return
    text = table(time.monotonic() - SUITE_STARTED)
    problems = [
        f"- {name}: {problem}" for name, row in ROWS.items() for problem in row.problems[:10]
    ] + [
        f"- {name}: known, reported, not fixed yet: {problem}"
        for name, row in ROWS.items()
        for problem in row.known[:10]
    ]
    terminalreporter.section("fault suite")
    terminalreporter.write_line(text)
    if problems:
        terminalreporter.write_line("\nFailures, and known problems reported but not fixed:")
        for line in problems:
            terminalreporter.write_line(line)
    try:
        REPORT.parent.mkdir(exist_ok=True)
        failures = "\n" + "\n".join(problems) + "\n" if problems else ""
        REPORT.write_text(f"# Fault suite\n\n{text}\n{failures}")
    except OSError as exc:
        terminalreporter.write_line(f"(could not write {REPORT}: {exc.strerror})")
        return
    terminalreporter.write_line(f"\n(also in {REPORT})")
