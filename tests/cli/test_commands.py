"""The command line as a person uses it: log, history, export, import, screen, where (routines:
test_routines_command.py)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from tests.support import Cli

from spasm_coach.export import export
from spasm_coach.files import atomic_text_file
from spasm_coach.records import PainEntry, Record
from spasm_coach.store import RESTORE_BATCH, Store
from spasm_coach.vocabulary import PainContext, ThermalKind


def scores(home: Path) -> list[tuple[int, str, str | None]]:
    with Store.open(home / "pain-log.sqlite3", readonly=True) as store:
        return [(e.score, e.context, e.note) for e in store.pain_scores()]


def test_version(cli: Cli) -> None:
    from spasm_coach import __version__

    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"spasm-coach {__version__}"


def test_log_records_a_score_with_note_and_context(cli: Cli, home: Path) -> None:
    result = cli("log", "6", "--note", "stiff after sitting", "--context", "after-heat")
    assert result.code == 0
    assert "Logged 6/10 (moderate)" in result.out
    assert scores(home) == [(6, "after-heat", "stiff after sitting")]


def test_a_note_with_a_terminal_escape_is_refused(cli: Cli, home: Path) -> None:
    result = cli("log", "6", "--note", "stiff \x1b[2J")
    assert result.code == 2
    assert "control character" in result.err
    assert "\x1b" not in result.err
    assert scores(home) == []


def test_log_at_a_past_time_keeps_order(cli: Cli, home: Path) -> None:
    cli("log", "3")
    cli("log", "5", "--at", "3h")
    assert [score for score, _, _ in scores(home)] == [5, 3]


@pytest.mark.parametrize(
    ("previous", "score", "asked"), [(4, 8, True), (3, 5, True), (5, 4, False)]
)
def test_log_asks_for_the_red_flag_screen_after_a_high_or_rising_score(
    cli: Cli, previous: int, score: int, asked: bool
) -> None:
    cli("log", str(previous))
    result = cli("log", str(score))
    assert ("spasm-coach screen" in result.out) is asked


def test_history_shows_table_summary_and_meaningful_change(cli: Cli) -> None:
    for score in ("7", "6", "4"):
        cli("log", score, "--at", f"{int(score)}h")
    result = cli("history")
    assert result.code == 0
    assert "Scores: 3" in result.out
    assert "mean: 5.7" in result.out
    assert "3 points better (7 to 4): a meaningful change" in result.out
    assert "Trend:" in result.out


def test_history_limit_keeps_the_most_recent(cli: Cli) -> None:
    for hours, score in ((5, "2"), (4, "3"), (3, "9")):
        cli("log", score, "--at", f"{hours}h")
    result = cli("history", "--limit", "1")
    assert "Scores: 1" in result.out
    assert "9 severe" in result.out


def test_history_of_an_empty_log_says_how_to_start(cli: Cli, home: Path) -> None:
    result = cli("history")
    assert result.code == 0
    assert "spasm-coach log" in result.out
    assert not home.exists(), "reading an empty log must not create anything"


def test_history_window(cli: Cli) -> None:
    cli("log", "2", "--at", "2026-01-10T09:00")
    cli("log", "5", "--at", "2026-02-10T09:00")
    result = cli("history", "--since", "2026-02-01", "--until", "2026-02-10")
    assert "Scores: 1" in result.out
    assert "5 moderate" in result.out


def test_export_csv_to_stdout_is_spreadsheet_safe(cli: Cli) -> None:
    cli("log", "4", "--note", '=HYPERLINK("http://x")')
    result = cli("export")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    assert rows[0]["score"] == "4"
    assert rows[0]["note"].startswith("'=")


def test_export_fhir_to_a_private_file(cli: Cli, tmp_path: Path) -> None:
    cli("log", "4")
    target = tmp_path / "pain.fhir.json"
    result = cli("export", "--format", "fhir", "--output", str(target))
    assert result.code == 0
    assert "Wrote 1 pain score" in result.err
    bundle = json.loads(target.read_text())
    assert bundle["resourceType"] == "Bundle"
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == ["Patient", "Observation"]
    assert target.stat().st_mode & 0o777 == 0o600


def test_export_then_import_on_a_new_laptop(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    cli("log", "6", "--note", "-ish, better later")
    cli("screen", "--none")
    backup = tmp_path / "backup.json"
    assert cli("export", "-f", "json", "-o", str(backup)).code == 0
    new_home = tmp_path / "new-laptop"
    monkeypatch.setenv("SPASM_COACH_HOME", str(new_home))
    first = cli("import", str(backup))
    assert first.code == 0
    assert "Imported 2 new records" in first.out
    again = cli("import", str(backup))
    assert "Imported 0 new records" in again.out
    assert scores(new_home) == [(6, "check-in", "-ish, better later")]


def test_import_csv_round_trip(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("log", "3", "--note", "@home")
    exported = tmp_path / "log.csv"
    cli("export", "-o", str(exported))
    monkeypatch.setenv("SPASM_COACH_HOME", str(tmp_path / "other"))
    assert cli("import", str(exported)).code == 0
    assert scores(tmp_path / "other") == [(3, "check-in", "@home")]


def test_importing_a_rescue_file_updates_what_the_log_holds_and_says_so(
    cli: Cli, tmp_path: Path, home: Path
) -> None:
    """A session and heat started in the log, their ends kept in a rescue file when the log
    refused them: imported, the session exports to FHIR as completed, not interrupted."""
    from spasm_coach.export import write_records_json
    from spasm_coach.journal import Journal
    from spasm_coach.vocabulary import SessionOutcome

    now = datetime.now().astimezone()
    with Store.open(home / "pain-log.sqlite3") as store:
        journal = Journal(store, _At(now - timedelta(minutes=30)))
        started = journal.open_session("gentle", "Gentle", None).record
        heat = journal.start_application(ThermalKind.HEAT, 15)
    ended = now - timedelta(minutes=20)
    rescue = tmp_path / "spasm-coach-unsaved.json"
    with rescue.open("w", encoding="utf-8") as out:
        kept: list[Record] = [
            replace(started, ended_at=ended, outcome=SessionOutcome.FINISHED),
            replace(heat, ended_at=ended, stopped_early=True),
        ]
        write_records_json(kept, out, now)

    result = cli("import", str(rescue))
    assert result.code == 0, result
    assert result.out == (
        f"Imported 0 new records from {rescue}; updated 1 session's end and outcome, 1 heat or "
        "ice use's end already in the log (0 already in the log as they are).\n"
    )
    bundle = json.loads(cli("export", "--format", "fhir").out)
    (procedure,) = [
        entry["resource"]
        for entry in bundle["entry"]
        if entry["resource"]["resourceType"] == "Procedure"
    ]
    assert procedure["status"] == "completed"
    assert "end" in procedure["performedPeriod"]
    again = cli("import", str(rescue))
    assert again.out.endswith("(2 already in the log as they are).\n")


class _At:
    """A clock stopped at one moment."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment

    def monotonic(self) -> float:
        return 0.0


def _big_export(tmp_path: Path, fmt: str, count: int) -> Path:
    """An export of `count` scores, made from a log of its own."""
    start = datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    with Store.open(tmp_path / "source" / "pain-log.sqlite3") as source:
        source.restore(
            PainEntry(
                str(uuid.UUID(int=n + 1)),
                start + timedelta(minutes=n),
                n % 11,
                PainContext.CHECK_IN,
            )
            for n in range(count)
        )
        path = tmp_path / f"export.{fmt}"
        with atomic_text_file(path) as out:
            export(source, fmt, out, None, None, start)
    return path


def test_import_with_a_mistake_after_the_first_batches_adds_nothing(
    cli: Cli, tmp_path: Path, home: Path
) -> None:
    """The file is read and written a batch at a time, yet still all or nothing."""
    cli("log", "4", "--note", "kept")
    path = _big_export(tmp_path, "csv", 2 * RESTORE_BATCH + 500)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    bad_line = 2 * RESTORE_BATCH + 300
    cells = lines[bad_line - 1].split(",")
    cells[3] = "11"
    lines[bad_line - 1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err == (
        f"spasm-coach: {path}: line {bad_line}: score '11' is not a whole number 0-10. "
        "Nothing was imported.\n"
    )
    assert scores(home) == [(4, "check-in", "kept")]


def test_json_import_with_a_mistake_near_its_end_adds_nothing(
    cli: Cli, tmp_path: Path, home: Path
) -> None:
    cli("log", "4", "--note", "kept")
    path = _big_export(tmp_path, "json", 2 * RESTORE_BATCH + 500)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["pain_scores"][-2]["context"] = "at the gym"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err.startswith(
        f"spasm-coach: {path}: pain_scores[{2 * RESTORE_BATCH + 499}]: context: 'at the gym'"
    )
    assert scores(home) == [(4, "check-in", "kept")]
    doc["pain_scores"][-2]["context"] = "after-heat"
    path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    assert cli("import", str(path)).code == 0
    assert len(scores(home)) == 2 * RESTORE_BATCH + 501


def test_where_lists_private_paths(cli: Cli, home: Path) -> None:
    cli("log", "2")
    result = cli("where")
    assert f"{home}  (700)" in result.out
    assert "pain-log.sqlite3  (600)" in result.out


def test_data_dir_option_moves_the_log(cli: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    assert cli("--data-dir", str(elsewhere), "log", "1").code == 0
    assert scores(elsewhere) == [(1, "check-in", None)]


def test_unreadable_log_is_a_clear_failure_and_left_alone(cli: Cli, home: Path) -> None:
    home.mkdir()
    log = home / "pain-log.sqlite3"
    log.write_bytes(b"this is not a database" * 100)
    result = cli("log", "3")
    assert result.code == 65  # EX_DATAERR: the log is damaged
    assert "left untouched" in result.err
    assert "Traceback" not in result.err
    assert log.read_bytes() == b"this is not a database" * 100


def test_export_replaces_an_existing_file_only_with_force(cli: Cli, tmp_path: Path) -> None:
    cli("log", "4")
    target = tmp_path / "pain.csv"
    target.write_text("last week's export\n")
    refused = cli("export", "-o", str(target))
    assert refused.code == 2
    assert "already exists; add --force" in refused.err
    assert target.read_text() == "last week's export\n"
    replaced = cli("export", "-o", str(target), "--force")
    assert replaced.code == 0
    assert target.read_text().startswith("date,time,") or "recorded_at" in target.read_text()


def test_half_written_exports_left_by_a_killed_run_are_cleaned(
    cli: Cli, home: Path, tmp_path: Path
) -> None:
    import os
    import time

    cli("log", "4")
    stale = home / ".spasm-coach-export.pain.csv.abc123.tmp"
    fresh = home / ".spasm-coach-export.pain.csv.def456.tmp"  # another export, still writing
    for temp in (stale, fresh):
        temp.write_text("half a file")
    hours_ago = time.time() - 2 * 3600
    os.utime(stale, (hours_ago, hours_ago))
    assert cli("history").code == 0
    assert not stale.exists()
    assert fresh.exists()
