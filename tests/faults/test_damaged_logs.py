"""Logs that are not what they should be: a corrupt header, a text file where the log should be,
a truncated file, a valid header with garbage in the pages after it, another program's SQLite
file, a log from a newer spasm-coach, and a poisoned log (valid SQLite, rows no spasm-coach
would write: a start in the year 9999, a routine named "[/x]", a fractional score, a note
that is bytes).

Every command meets each one with one clear line and the exit code of its cause (or, for the
poisoned log, does its work), never a traceback, never repeating what is in the entries, and
leaves the file byte for byte as it was. The coach, opened on each in a pseudo-terminal,
either says so in one line and exits, or opens and says on its home screen that the log
can't be read."""

from __future__ import annotations

import contextlib
import os
import random
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.faults.helpers import (
    SECRET_NOTE,
    Ran,
    clean_failure,
    leaks,
    run_cli,
    seed_log,
    sha256,
)
from tests.faults.tally import Tally
from tests.faults.terminal import Terminal
from tests.support import NONE_APPLY_TOML

pytestmark = pytest.mark.fault("Corrupt, truncated, foreign, newer logs")

PAGE = 4096
POISON_TIME = "9999-12-31T23:59:59-12:00"


def corrupt_header(log: Path) -> None:
    data = bytearray(log.read_bytes())
    data[:100] = random.Random(1).randbytes(100)
    log.write_bytes(bytes(data))


def a_text_file(log: Path) -> None:
    log.write_text("recorded_at,score\n2026-01-01T08:00:00+00:00,4\n")


def truncated(log: Path) -> None:
    data = log.read_bytes()
    log.write_bytes(data[: len(data) // 2 + 1000])


def garbage_after_the_header(log: Path) -> None:
    """Page 1 (the header and the schema) intact; every later page random bytes."""
    data = bytearray(log.read_bytes())
    noise = random.Random(2)
    for start in range(PAGE, len(data), PAGE):
        data[start : start + PAGE] = noise.randbytes(min(PAGE, len(data) - start))
    log.write_bytes(bytes(data))


def foreign(log: Path) -> None:
    log.unlink()
    with contextlib.closing(sqlite3.connect(log)) as db:
        db.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        db.execute("INSERT INTO recipes VALUES ('soup', 20)")
        db.commit()


def newer(log: Path) -> None:
    with contextlib.closing(sqlite3.connect(log)) as db:
        db.execute("PRAGMA user_version = 99")
        db.commit()


def poisoned(log: Path) -> None:
    with contextlib.closing(sqlite3.connect(log)) as db:
        db.execute(
            "INSERT INTO session (uid, routine_id, routine_name, started_at, ended_at, outcome)"
            " VALUES ('0b0e3b1c-2e4f-4b43-9c54-1f0e6c0e9a01', 'x', '[/x]', ?, NULL, NULL)",
            (POISON_TIME,),
        )
        db.execute(
            "INSERT INTO session (uid, routine_id, routine_name, started_at, ended_at, outcome)"
            " VALUES ('0b0e3b1c-2e4f-4b43-9c54-1f0e6c0e9a02', 'y', '[b]bold\\[/b] [link=x]',"
            " '2026-01-01T08:00:00+00:00', 'soon', 'finished')"
        )
        db.execute(
            "INSERT INTO pain_score (uid, recorded_at, score, context, note) VALUES "
            "('0b0e3b1c-2e4f-4b43-9c54-1f0e6c0e9a03', '2025-05-06T09:00:00+01:00', 5.5, "
            "'check-in', X'ff00fe')"
        )
        db.execute(
            "INSERT INTO pain_score (uid, recorded_at, score, context, note) VALUES "
            "('0b0e3b1c-2e4f-4b43-9c54-1f0e6c0e9a04', ?, 4, 'check-in', ?)",
            (POISON_TIME, SECRET_NOTE),
        )
        db.execute(
            "INSERT INTO application (uid, kind, started_at, planned_minutes) VALUES "
            "('0b0e3b1c-2e4f-4b43-9c54-1f0e6c0e9a05', 'heat', ?, 'twenty')",
            (POISON_TIME,),
        )
        db.commit()


DAMAGED: dict[str, tuple[Callable[[Path], None], set[int]]] = {
    "corrupt header": (corrupt_header, {65}),
    "a text file": (a_text_file, {65, 66}),
    "truncated": (truncated, {65}),
    "garbage after the header": (garbage_after_the_header, {65}),
    "another program's SQLite file": (foreign, {66}),
    "a newer spasm-coach's log": (newer, {78}),
}
"""How each is made, and the exit codes that name its cause."""

BACKUP = (
    '{"format": "spasm-coach-log", "version": 2, "pain_scores": [{"uid": '
    '"4d7a3c0e-8b4e-4a57-9d2c-3f4f9b2f1a10", "recorded_at": "2026-01-02T03:04:05+00:00",'
    ' "score": 2, "context": "check-in", "note": null, "session": null}]}'
)


def commands(tmp_path: Path) -> list[list[str]]:
    backup = tmp_path / "backup.json"
    backup.write_text(BACKUP)
    return [
        ["log", "5"],
        ["history"],
        ["export"],
        ["export", "--format", "json", "-o", str(tmp_path / "out.json")],
        ["export", "--format", "fhir"],
        ["import", str(backup)],
        ["screen", "--json", "--none"],
        ["remind"],
        ["plan"],
    ]


def a_log(tmp_path: Path, make: Callable[[Path], None]) -> tuple[Path, Path]:
    home = tmp_path / "home"
    log = seed_log(home, scores=300)  # several pages of scores
    (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML)
    make(log)
    return home, log


def the_coach_meets(home: Path, codes: set[int]) -> str | None:
    """The coach in a terminal: one line and an exit code of `codes`, or its home screen
    saying the log can't be read; never a traceback. None if so, else what happened."""
    term = Terminal(home)
    try:
        term.wait_for(r"can't be read|\(s\) Start a stretch session", timeout=8)
        term.pump(0.5)
        screen, alive = term.text(), term.alive
        output = term.output.decode("utf-8", "replace")
        status = term.exit_status
    finally:
        term.close()
    if "Traceback" in output or "unexpected error" in output:
        return f"the coach crashed: {output[-400:]!r}"
    if (secret := leaks(screen)) is not None:
        return f"the coach shows {secret!r} in a message"
    if alive:
        said = " ".join(screen.split())
        if "can't be read" not in said:
            return f"the coach opened without saying the log can't be read:\n{screen}"
        return None
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    lines = re.findall(r"spasm-coach: [^\r\n]+", output)
    if code not in codes or not lines:
        return f"the coach exited {code} saying {output[-300:]!r}"
    return None


def check_command(tally: Tally, name: str, args: list[str], ran: Ran, codes: set[int]) -> None:
    problem = clean_failure(ran, codes)
    tally.check(problem is None, f"{name}: {' '.join(args)}: {problem}")


@pytest.mark.parametrize("name", list(DAMAGED))
def test_a_damaged_log_is_said_and_left_as_it_is(tmp_path: Path, tally: Tally, name: str) -> None:
    make, codes = DAMAGED[name]
    home, log = a_log(tmp_path, make)
    digest = sha256(log)
    run = commands(tmp_path)
    tally.how.add(f"{len(run)} commands and the coach (pty) on each")
    for args in run:
        tally.tried += 1
        check_command(tally, name, args, run_cli(args, home), codes)
        tally.check(sha256(log) == digest, f"{name}: {' '.join(args)} changed the log file")
    tally.check(not (tmp_path / "out.json").exists(), f"{name}: an export was written")
    tally.tried += 1
    problem = the_coach_meets(home, codes)
    tally.check(problem is None, f"{name}: {problem}")
    tally.check(sha256(log) == digest, f"{name}: the coach changed the log file")
    tally.done()


POISON_SHOWN = (SECRET_NOTE, "5.5", "twenty", "ff00fe", "\\xff")
"""What the poisoned rows hold: no message repeats any of it. (A damaged time may be named,
as an import names it, so the entry can be found: it is not what the person wrote.)"""


def test_a_poisoned_log_is_read_or_refused_in_one_line(tmp_path: Path, tally: Tally) -> None:
    home, log = a_log(tmp_path, poisoned)
    digest = sha256(log)
    reads = (["history"], ["export"], ["export", "--format", "json"], ["remind"], ["plan"])
    for args in reads:
        tally.tried += 1
        ran = run_cli(args, home)
        if ran.code in (0, 3) and not ran.err.strip():
            continue  # read it, the poisoned rows shown as text or left out
        check_command(tally, "poisoned", args, ran, {65})
        shown = [value for value in POISON_SHOWN if value in ran.err]
        tally.check(not shown, f"poisoned: {' '.join(args)}: the message repeats {shown}")
    tally.check(sha256(log) == digest, "poisoned: a read changed the log file")
    tally.tried += 1
    problem = the_coach_meets(home, {65})
    if problem is not None and "opened without saying" in problem:
        problem = None  # the coach may read around the poisoned rows
    tally.check(problem is None, f"poisoned: {problem}")
    tally.done()
