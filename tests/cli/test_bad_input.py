"""Every mistake in what was typed: one clear line, exit code 2, no traceback, nothing written."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import pytest

from spasm_coach.store import Store

BAD_INPUT = {
    "score above 10": ["log", "11"],
    "negative score": ["log", "-1"],
    "score not a number": ["log", "abc"],
    "score with a fraction": ["log", "2.5"],
    "unknown context": ["log", "5", "--context", "nap"],
    "unreadable --at": ["log", "5", "--at", "soonish"],
    "--at in the future": ["log", "5", "--at", "2999-01-01T08:00"],
    "--at a day without a time": ["log", "5", "--at", "2026-11-20"],
    "unknown option": ["log", "5", "--mood", "grim"],
    "unreadable --since": ["history", "--since", "last tuesday"],
    "--since after --until": ["history", "--since", "2026-12-01", "--until", "2026-11-01"],
    "--limit of 0": ["history", "--limit", "0"],
    "--limit not a number": ["history", "--limit", "ten"],
    "unknown export format": ["export", "--format", "xml"],
    "export --since after --until": ["export", "--since", "today", "--until", "30d"],
    "export into a missing folder": ["export", "-o", "/no/such/folder/pain.csv"],
    "import a missing file": ["import", "no-such-file.csv"],
    "import a file that is not an export": ["import", "{not_an_export}"],
    "unknown red-flag id": ["screen", "--yes", "back_ache"],
    "--none with --yes": ["screen", "--none", "--yes", "fever"],
    "screen with no terminal and no answers": ["screen"],
    "unknown routine": ["routines", "show", "marathon"],
    "validate a missing file": ["routines", "validate", "no-such-routine.toml"],
    "unknown command": ["stretch-harder"],
    "a date too far ahead": ["history", "--until", "9999-12-31"],
    "a --limit too big for the log": ["history", "--limit", "99999999999999999999"],
    "an over-long file name": ["export", "-o", "x" * 300 + ".csv"],
    "a note that is not text": ["log", "4", "--note", "bad\udcff"],
    "export onto the log itself": ["export", "-o", "{log}"],
    "export onto its -wal file": ["export", "-o", "{log}-wal"],
    "export onto a device": ["export", "-o", "/dev/full"],
    "export over a file without --force": ["export", "-o", "{existing}"],
}


@pytest.fixture
def log_with_one_entry(home: Path) -> Path:
    with Store.open(home / "pain-log.sqlite3") as store:
        from datetime import datetime

        store.add_pain(4, datetime(2026, 11, 1, 9, tzinfo=UTC), note="before")
    return home


def snapshot(home: Path) -> tuple:
    with Store.open(home / "pain-log.sqlite3", readonly=True) as store:
        return (
            [entry.uid for entry in store.pain_scores()],
            [screening.uid for screening in store.screenings()],
        )


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_gets_one_line_and_exit_2(cli, log_with_one_entry, tmp_path, args, monkeypatch):
    monkeypatch.chdir(tmp_path)
    not_an_export = tmp_path / "notes.txt"
    not_an_export.write_text("my notes\nback hurts\n")
    existing = tmp_path / "already.csv"
    existing.write_text("kept\n")
    log = log_with_one_entry / "pain-log.sqlite3"
    args = [
        arg.replace("{not_an_export}", str(not_an_export))
        .replace("{log}", str(log))
        .replace("{existing}", str(existing))
        for arg in args
    ]
    before = snapshot(log_with_one_entry)

    result = cli(*args)

    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith("spasm-coach: ")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert snapshot(log_with_one_entry) == before
    assert existing.read_text() == "kept\n"
    assert not list(tmp_path.glob(".spasm-coach-export.*"))
