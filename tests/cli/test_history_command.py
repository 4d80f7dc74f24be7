"""`spasm-coach history` on a log of any size: streamed rows, sums from SQL, plain notes."""

from __future__ import annotations

import contextlib
import os
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.factory import add_pain
from tests.support import Cli

from spasm_coach.cli import main
from spasm_coach.clock import FakeClock
from spasm_coach.pain import sparkline
from spasm_coach.store import Store
from spasm_coach.vocabulary import PainContext

NOW = FakeClock().now()


@pytest.fixture
def cli_clock() -> FakeClock:
    return FakeClock()


def fill(home: Path, count: int, now: datetime = NOW) -> None:
    """`count` scores, one a minute up to now (a tenth with a note), written in one go."""
    with Store.open(home / "pain-log.sqlite3") as store, store._transaction():
        store._db.executemany(
            "INSERT INTO pain_score (uid, recorded_at, score, context, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                (
                    str(uuid.UUID(int=n + 1, version=4)),
                    (now - timedelta(minutes=n)).isoformat(),
                    n % 11,
                    "check-in",
                    f"note {n}" if n % 10 == 0 else None,
                )
                for n in range(count)
            ),
        )


def table_rows(out: str) -> list[str]:
    """The table's rows (each starts with the day, 'Mon 23 Nov'), without the summary."""
    days = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    return [line for line in out.splitlines() if line[:3] in days]


def test_history_lists_scores_oldest_first_with_the_summary_from_sql(cli: Cli, home: Path) -> None:
    fill(home, 1_203)
    result = cli("history")
    assert result.code == 0
    rows = table_rows(result.out)
    assert len(rows) == 1_203
    assert rows[0].startswith("Sun 22 Nov 12:58")  # 1,202 minutes before 09:00
    assert rows[-1].startswith("Mon 23 Nov 09:00")
    assert "Scores: 1203" in result.out
    assert f"Trend: {sparkline([n % 11 for n in range(39, -1, -1)])}" in result.out  # newest 40


def test_history_limit_keeps_the_newest_in_order_and_sums_only_them(cli: Cli, home: Path) -> None:
    fill(home, 1_000)
    result = cli("history", "--limit", "3")
    rows = table_rows(result.out)
    assert [row[:16] for row in rows] == [
        "Mon 23 Nov 08:58",
        "Mon 23 Nov 08:59",
        "Mon 23 Nov 09:00",
    ]
    assert [row.split()[4] for row in rows] == ["2", "1", "0"]
    assert "Scores: 3   mean: 1.0" in result.out
    assert "First to last: 2 points better (2 to 0): a meaningful change" in result.out
    assert f"Trend: {sparkline([2, 1, 0])}" in result.out


def test_notes_are_plain_text_wrapped_under_their_column(cli: Cli, home: Path) -> None:
    """Even a note another program wrote into the log with terminal escapes in it."""
    with Store.open(home / "pain-log.sqlite3") as store:
        note = "\x1b[31mred\x1b[0m [bold]not bold[/bold]\nsecond line"
        add_pain(store, 4, datetime.now(UTC) - timedelta(minutes=5), note=note)
    cli("log", "5", "--note", "stiff " * 20)
    out = cli("history").out
    assert "\x1b" not in out
    assert "\ufffd[31mred\ufffd[0m [bold]not bold[/bold] second line" in " ".join(out.split())
    note_column = out.index("Note") - out.rindex("\n", 0, out.index("Note")) - 1
    stiff = [line for line in out.splitlines() if "stiff" in line]
    assert len(stiff) > 2
    assert all(line.index("stiff") == note_column for line in stiff)
    assert all(len(line) <= 80 for line in out.splitlines())


def test_history_of_every_score_streams_in_little_memory(home: Path) -> None:
    """Every one of 20,000 scores printed, in far less memory than a list of them would take."""
    fill(home, 20_000)
    with Store.open(home / "pain-log.sqlite3", readonly=True) as store:
        tracemalloc.start()
        sample = list(store.pain_scores(limit=2_000))
        as_a_list = tracemalloc.get_traced_memory()[0] * 10  # a list of all 20,000, roughly
        tracemalloc.stop()
        del sample

    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        run_history("--limit", "5")  # imports everything the command uses, before measuring
        tracemalloc.start()
        try:
            run_history()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peak < as_a_list / 5, f"peaked at {peak / 1e6:.1f} MB, a list {as_a_list / 1e6:.1f} MB"


def run_history(*args: str) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["history", *args], clock=FakeClock())
    assert exited.value.code == 0


def test_since_7d_is_the_last_7_whole_days_in_history_export_and_report(
    cli: Cli, home: Path
) -> None:
    """An 8/10 early on the first day named is in all three; the day before is in none."""
    with Store.open(home / "pain-log.sqlite3") as store:
        add_pain(store, 8, datetime(2026, 11, 17, 0, 30, tzinfo=NOW.tzinfo), PainContext.CHECK_IN)
        add_pain(store, 9, datetime(2026, 11, 16, 23, 30, tzinfo=NOW.tzinfo), PainContext.CHECK_IN)
        add_pain(store, 4, NOW, PainContext.CHECK_IN)
    history = cli("history", "--since", "7d")
    assert [row[:16] for row in table_rows(history.out)] == ["Tue 17 Nov 00:30", "Mon 23 Nov 09:00"]
    export = cli("export", "--format", "csv", "--since", "7d")
    assert [line.split(",")[3] for line in export.out.splitlines()[1:]] == ["8", "4"]
    report = cli("report", "--since", "1w")
    assert "17 Nov 2026 to" in report.out
    assert "7 days." in report.out
