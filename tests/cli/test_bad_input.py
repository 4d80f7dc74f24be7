"""Every mistake in what was typed: one clear line, exit code 2, no traceback, nothing written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.factory import add_pain
from tests.support import Cli, Result

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
    "export onto its -journal file": ["export", "-o", "{log}-journal"],
    "a handout note that is not text": ["routines", "handout", "gentle", "--note", "bad\udcff"],
    "a handout note with a terminal escape": [
        "routines",
        "handout",
        "gentle",
        "--note",
        "\x1b]0;x",
    ],
}
NO_USER = "there is no user 'nosuchuser' on this computer"
LONG_PATH = "/tmp/" + "/".join(["d" * 99] * 50) + "/x.csv"
PLAIN_WORDS = {
    "export to ~nosuchuser": (["export", "-o", "~nosuchuser/x.csv"], NO_USER),
    "import from ~nosuchuser": (["import", "~nosuchuser/x.json"], NO_USER),
    "validate from ~nosuchuser": (["routines", "validate", "~nosuchuser/x.toml"], NO_USER),
    "install from ~nosuchuser": (["routines", "install", "~nosuchuser/x.toml"], NO_USER),
    "a handout to ~nosuchuser": (["routines", "handout", "gentle", "-o", "~nosuchuser/h"], NO_USER),
    "a report to ~nosuchuser": (["report", "-o", "~nosuchuser/r.html"], NO_USER),
    "--data-dir in ~nosuchuser": (["--data-dir", "~nosuchuser/d", "history"], NO_USER),
    "show a routine in ~nosuchuser": (["routines", "show", "~nosuchuser/x.toml"], NO_USER),
    "coach with a routine in ~nosuchuser": (["coach", "--routine", "~nosuchuser/x.toml"], NO_USER),
    "demo a routine in ~nosuchuser": (["demo", "--routine", "~nosuchuser/x.toml"], NO_USER),
    "a 5,000-character path": (["export", "-o", LONG_PATH], "the path is too long (5,"),
    "a file name too long": (["export", "-o", "x" * 300 + ".csv"], "(304 characters; at most 250)"),
    "a handout note not UTF-8": (
        ["routines", "handout", "gentle", "--note", "caf\udce9"],
        "--note: not valid text (it holds bytes that are not UTF-8)",
    ),
    "an entry dated later today than now": (["import", "{future}"], "can't be in the future"),
}


@pytest.fixture
def log_with_one_entry(home: Path) -> Path:
    with Store.open(home / "pain-log.sqlite3") as store:
        add_pain(store, 4, datetime(2026, 11, 1, 9, tzinfo=UTC), note="before")
    return home


def snapshot(home: Path) -> tuple:
    with Store.open(home / "pain-log.sqlite3", readonly=True) as store:
        return (
            [entry.uid for entry in store.pain_scores()],
            [screening.uid for screening in store.screenings()],
        )


def a_backup_from_the_future(path: Path, now: datetime) -> Path:
    """A backup whose second score is dated an hour after now (later today, say)."""
    rows = [(now - timedelta(hours=1), "a1"), (now + timedelta(hours=1), "b2")]
    lines = [
        f"{moment.isoformat(timespec='seconds')},3,,,,00000000-0000-4000-8000-0000000000{tag}"
        for moment, tag in rows
    ]
    path.write_text("recorded_at,score,context,note,session,uid\n" + "\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("args", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_gets_one_line_and_exit_2(
    cli: Cli,
    log_with_one_entry: Path,
    tmp_path: Path,
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run_mistake(cli, log_with_one_entry, tmp_path, args, monkeypatch)
    assert result.code == 2, result


@pytest.mark.parametrize(("args", "words"), PLAIN_WORDS.values(), ids=PLAIN_WORDS.keys())
def test_each_mistake_is_said_in_plain_words(
    cli: Cli,
    log_with_one_entry: Path,
    tmp_path: Path,
    args: list[str],
    words: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = run_mistake(cli, log_with_one_entry, tmp_path, args, monkeypatch)
    assert result.code == 2, result
    assert words in result.err, result.err
    assert "unexpected error" not in result.err


def run_mistake(
    cli: Cli,
    log_with_one_entry: Path,
    tmp_path: Path,
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Result:
    """Run a mistaken command; check what every mistake does (one line, nothing written)."""
    monkeypatch.chdir(tmp_path)
    not_an_export = tmp_path / "notes.txt"
    not_an_export.write_text("my notes\nback hurts\n")
    existing = tmp_path / "already.csv"
    existing.write_text("kept\n")
    future = a_backup_from_the_future(tmp_path / "future.csv", datetime.now().astimezone())
    log = log_with_one_entry / "pain-log.sqlite3"
    args = [
        arg.replace("{not_an_export}", str(not_an_export))
        .replace("{log}", str(log))
        .replace("{existing}", str(existing))
        .replace("{future}", str(future))
        for arg in args
    ]
    before = snapshot(log_with_one_entry)

    result = cli(*args)

    assert result.out == ""
    assert result.err.startswith("spasm-coach: ")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert snapshot(log_with_one_entry) == before
    assert existing.read_text() == "kept\n"
    assert not list(tmp_path.glob(".spasm-coach-export.*"))
    return result


def test_a_folder_in_the_logs_place_is_said_and_exit_2(cli: Cli, home: Path) -> None:
    (home / "pain-log.sqlite3").mkdir(parents=True)
    for args in (["log", "3"], ["history"], ["export"]):
        result = cli(*args)
        assert result.code == 2, result
        assert "is a folder, where the pain log should be a file" in result.err
        assert result.err.count("\n") == 1


@pytest.mark.parametrize(
    ("folder", "words"),
    [
        ("~nosuchuser/data", NO_USER),
        ("/tmp/" + "/".join(["d" * 99] * 50), "The path of the pain log is too long (5,"),
    ],
    ids=["~nosuchuser", "5,000 characters"],
)
def test_a_data_folder_that_cant_be_is_said_and_exit_2(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, folder: str, words: str
) -> None:
    monkeypatch.setenv("SPASM_COACH_HOME", folder)
    for args in (["log", "3"], ["history"]):
        result = cli(*args)
        assert result.code == 2, result
        assert words in result.err
        assert result.err.count("\n") == 1
