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
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from tests.faults.tally import ROWS, FaultRow, Tally, table

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
SUITE_STARTED = time.monotonic()
"""When this file was loaded: the start of collecting the suite."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fault(name): which fault of the table a test tries")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
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


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
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
