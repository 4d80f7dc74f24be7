"""Terminal control sequences, 7-bit (ESC ...) and 8-bit C1 (U+0080-U+009F), put into every way
text reaches the program: each command's arguments, the files it reads (routine files, their
names and keys, settings.toml, import files), and the log itself (written by another program).

Whatever goes in, no command may send a control character to the terminal (stdout, stderr) or
write one into a file it makes (exports, handouts, reports): an OSC sequence retitles the window
or writes the clipboard, a C1 CSI (U+009B) restyles or clears the screen in terminals that read
8-bit controls. Tab, line feed and the CSV's CR LF line ends are the only control characters
allowed. The commands run in this process (main(), with a real process's stdio encodings); the
coach itself runs in a pseudo-terminal on a log holding them.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from tests.factory import add_event, add_session
from tests.faults.helpers import SEEDED_AT, seed_log
from tests.faults.tally import Tally
from tests.faults.terminal import Terminal
from tests.faults.test_fuzz_cli import run_main

from spasm_coach.paths import HOME_ENV
from spasm_coach.store import Store
from spasm_coach.vocabulary import EventKind, SessionOutcome

pytestmark = pytest.mark.fault("C1/OSC through every command")

PAYLOADS = {
    "OSC title": "\x1b]0;PWNED\x07",
    "OSC 52 clipboard": "\x1b]52;c;SU5KRUNURUQ=\x07",
    "CSI clear": "\x1b[2J",
    "C1 CSI": "\x9b31mRED",
    "C1 OSC title": "\x9d0;PWNED\x9c",
    "C1 NEL": "a\x85b",
}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
"""What must never come out: any C0 but tab, line feed and CR LF, DEL, C1, or bytes that are not
UTF-8 (read back as surrogates)."""


def leaked(data: bytes | str) -> str | None:
    text = data if isinstance(data, str) else data.decode("utf-8", "surrogateescape")
    found = CONTROL.search(text)
    if found is None:
        return None
    return repr(text[max(0, found.start() - 40) : found.end() + 20])


@contextmanager
def data_folder(home: Path) -> Iterator[Path]:
    saved = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(home)
    try:
        yield home
    finally:
        if saved is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = saved


def commands(payload: str, folder: Path) -> dict[str, list[str]]:
    """Every command, with the payload in each thing typed on its line."""
    named = folder / f"x{payload}y"
    return {
        "log --note": ["log", "3", "--note", payload],
        "log SCORE": ["log", payload],
        "log --context": ["log", "3", "--context", payload],
        "log --at": ["log", "3", "--at", payload],
        "history --since": ["history", "--since", payload],
        "history --until": ["history", "--until", payload],
        "history --limit": ["history", "--limit", payload],
        "export --format": ["export", "--format", payload],
        "export --since": ["export", "--since", payload],
        "export -o": ["export", "-o", f"{named}.csv"],
        "import FILE": ["import", f"{named}.json"],
        "screen --yes": ["screen", "--json", "--yes", payload],
        "routines show": ["routines", "show", payload],
        "routines validate": ["routines", "validate", f"{named}.toml"],
        "routines install": ["routines", "install", f"{named}.toml"],
        "routines handout ROUTINE": ["routines", "handout", payload],
        "routines handout --note": ["routines", "handout", "gentle", "--note", payload],
        "routines handout --format": ["routines", "handout", "gentle", "--format", payload],
        "routines handout -o": ["routines", "handout", "gentle", "-o", f"{named}.html"],
        "report --since": ["report", "--since", payload],
        "report -o": ["report", "-o", f"{named}.html"],
        "coach --routine": ["coach", "--routine", payload],
        "demo --exercise": ["demo", "--exercise", payload],
        "demo --routine": ["demo", "--routine", payload],
        "--data-dir": ["--data-dir", str(named), "history"],
        "plans show": ["plans", "show", payload],
        "plans validate": ["plans", "validate", f"{named}.toml"],
        "plans install": ["plans", "install", f"{named}.toml"],
        "plans use": ["plans", "use", payload],
        "plans handout PLAN": ["plans", "handout", payload],
        "plans handout --note": ["plans", "handout", "--note", payload],
        "plans demo": ["plans", "demo", payload],
        "an unknown command": [payload],
        "an unknown option": ["history", f"--{payload}"],
    }


def routine_file(path: Path, payload: str) -> Path:
    """A routine file with the payload in a key, in a value and in an exercise id (TOML's
    escapes carry any character)."""
    escaped = payload.encode("unicode_escape").decode().replace("\\x", "\\u00")
    path.write_text(
        f'id = "mine"\nname = "Mine{escaped}"\ndescription = "d"\n"k{escaped}" = 1\n'
        f'[[step]]\nexercise = "cobra{escaped}"\n',
        encoding="utf-8",
    )
    return path


def plan_file(path: Path, payload: str) -> Path:
    """A plan file with the payload in a key and in its name."""
    escaped = payload.encode("unicode_escape").decode().replace("\\x", "\\u00")
    path.write_text(
        f'id = "mine"\nname = "Mine{escaped}"\ndescription = "d"\n"k{escaped}" = 1\n'
        f'[[stage]]\nid = "s{escaped}"\nname = "S"\ngoal = "g"\nroutines = ["gentle"]\n',
        encoding="utf-8",
    )
    return path


def poison(log: Path, payload: str) -> None:
    """The payload written into the log by another program: notes, names, details, answers."""
    with Store.open(log) as store:
        session = add_session(store, "gentle", "Gentle", SEEDED_AT, None)
        store.end_session(session.uid, SEEDED_AT + timedelta(minutes=9), SessionOutcome.FINISHED)
        add_event(store, session.uid, SEEDED_AT, EventKind.EXERCISE_SKIPPED, "cobra", "sore")
    with closing(sqlite3.connect(log)) as db:
        db.execute("UPDATE pain_score SET note = ?", (f"note {payload} end",))
        db.execute("UPDATE session SET routine_name = ?, routine_id = ?", (payload, payload))
        db.execute("UPDATE session_event SET detail = ?, exercise_id = ?", (payload, payload))
        db.execute("UPDATE screening SET answers = ?", (f'{{"{payload}": true}}',))
        db.commit()


class Run:
    """Runs commands and checks everything they said and wrote."""

    def __init__(self, folder: Path, tally: Tally) -> None:
        self.folder, self.tally = folder, tally

    def __call__(self, what: str, args: list[str]) -> None:
        self.tally.tried += 1
        before = {
            path: path.stat().st_mtime_ns for path in self.folder.rglob("*") if path.is_file()
        }
        code, out, err = run_main(args)
        problems = []
        if "Traceback" in err or "unexpected error" in err:
            problems.append(f"a crash: {err[-300:]!r}")
        for name, stream in (("stdout", out), ("stderr", err)):
            if found := leaked(stream):
                problems.append(f"{name} carries {found}")
        written = [
            path
            for path in self.folder.rglob("*")
            if path.is_file() and before.get(path) != path.stat().st_mtime_ns
        ]
        for path in written:
            if path.suffix in (".csv", ".json", ".html", ".md") and (
                found := leaked(path.read_bytes())
            ):
                problems.append(f"{path.name} holds {found}")
        if problems:
            self.tally.fail(f"{what} (exit {code}): {'; '.join(problems)}")


@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
def test_no_command_passes_a_control_sequence_on(
    tmp_path_factory: pytest.TempPathFactory, tally: Tally, payload: str
) -> None:
    text = PAYLOADS[payload]
    folder = tmp_path_factory.mktemp("output")
    home = folder / "home"
    log = seed_log(home, scores=3)
    settings = home / "settings.toml"
    run = Run(folder, tally)
    with data_folder(home):
        # typed: in every argument of every command
        for what, args in commands(text, folder).items():
            run(f"typed into {what}", args)
        # files: a routine file (its name, a key, a value), settings, an import file
        routine = routine_file(folder / f"r{text}.toml", text)
        for args in (
            ["routines", "validate", str(routine)],
            ["routines", "install", str(routine)],
            ["routines", "show", str(routine)],
            ["routines", "handout", str(routine)],
            ["demo", "--routine", str(routine)],
            ["coach", "--routine", str(routine)],
        ):
            run(f"a routine file into {' '.join(args[:2])}", args)
        (home / "routines").mkdir()
        routine_file(home / "routines" / "bad.toml", text)
        run("an installed routine file into routines list", ["routines", "list"])
        plan = plan_file(folder / f"p{text}.toml", text)
        for args in (
            ["plans", "validate", str(plan)],
            ["plans", "install", str(plan)],
            ["plans", "show", str(plan)],
            ["plans", "handout", str(plan)],
        ):
            run(f"a plan file into {' '.join(args[:2])}", args)
        (home / "plans").mkdir()
        plan_file(home / "plans" / "bad.toml", text)
        run("an installed plan file into plans list", ["plans", "list"])
        escaped = text.encode("unicode_escape").decode().replace("\\x", "\\u00")
        settings.write_text(f'region = "uk{escaped}"\n"k{escaped}" = 1\n', encoding="utf-8")
        for args in (
            ["remind"],
            ["report"],
            ["routines", "show", "gentle"],
            ["plan"],
            ["plans", "list"],
        ):
            run(f"settings.toml into {args[0]}", args)
        settings.unlink()
        backup = folder / "backup.json"
        backup.write_text(
            '{"format": "spasm-coach-log", "version": 2, "pain_scores": [{"uid": '
            '"4d7a3c0e-8b4e-4a57-9d2c-3f4f9b2f1a10", "recorded_at": "2026-01-02T03:04:05+00:00",'
            f' "score": 2, "context": "check-in{escaped}", "note": "n{escaped}"}}]}}',
            encoding="utf-8",
        )
        run("an import file into import", ["import", str(backup)])
        # the log: what another program wrote there, through every command that reads it
        poison(log, text)
        for args in (
            ["history"],
            ["export"],
            ["export", "--format", "json"],
            ["export", "--format", "fhir"],
            ["export", "-o", str(folder / "out.csv")],
            ["report"],
            ["report", "-o", str(folder / "report.html")],
            ["remind"],
            ["plan"],
            ["plan", "--json"],
            ["where"],
        ):
            run(f"the log into {' '.join(args)}", args)
    tally.how.add("main() in-process: arguments, routine and settings files, imports, the log")
    tally.done()


@pytest.mark.parametrize("payload", ["C1 CSI", "C1 OSC title", "OSC title"])
def test_the_coach_shows_the_log_without_a_control_sequence(
    tmp_path: Path, tally: Tally, payload: str
) -> None:
    """The coach in a pseudo-terminal: home and history, on a log holding the payload."""
    text = PAYLOADS[payload]
    home = tmp_path / "home"
    poison(seed_log(home, scores=2), text)
    (home / "settings.toml").write_text('region = "uk"\ncautions = []\n')
    term = Terminal(home)
    try:
        term.wait_for(r"s Start session", timeout=15)
        term.press("l")
        term.pump(2.0)
        crashed = not term.alive
    finally:
        term.close()
    tally.tried += 1
    tally.how.add("the real coach in a pty")
    tally.check(not crashed, f"{payload}: the coach stopped: {bytes(term.output[-300:])!r}")
    output = bytes(term.output).decode("utf-8", "surrogateescape")
    # Textual's own sequences start with ESC; what the log held must not be among them (its
    # printable rest, shown after a U+FFFD, is harmless text).
    body = TEXTUAL_SEQUENCE.sub("", output)
    found = re.search(r"[\x80-\x9f]|\x07|\x1b", body)
    if found is not None:
        shown = body[max(0, found.start() - 40) : found.end() + 20]
        tally.fail(f"{payload} from the log reached the terminal: {shown!r}")
    tally.done()


TEXTUAL_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|\]22;[a-z-]*\x07|[()][0-9A-Za-z]|[=>78])"
)
"""The sequences Textual itself sends: CSI (ESC [), the pointer's shape (OSC 22) and the few
two-character ones. Any other OSC would be the log's."""
