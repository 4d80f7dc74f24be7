"""The fault suite's tally: what each fault tried, its failures and the entries lost, summed
into one row per fault (ROWS) and drawn as the table that ends the run (see conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

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
    all_lost = sum(row.lost or 0 for row in ROWS.values())
    lines.append(f"| **all** | {tried} | {failed} | {all_lost} | {total_seconds:.0f} s | |")
    return "\n".join(lines)
