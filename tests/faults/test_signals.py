"""The coach ended by a signal while entries wait to be saved: the terminal window closed (a real
hang-up: the test closes its end of the pseudo-terminal, and the kernel sends SIGHUP) and
`kill -TERM` (logout, shutdown). A browser tab closed in `serve` ends its coach process the
same ways.

Each try runs the real coach in an 80x24 pseudo-terminal on a log another program holds (a
long import: writes are refused as busy, reads still work), so what the person enters is kept
("NOT SAVED YET"). Then the signal. The coach must end within seconds, put what waits in a
private rescue file, say so on the terminal when there is one (SIGTERM), and `spasm-coach
import` of that file, once the log is free, must leave every entry in the log: the scores, and
a session in progress as interrupted. With nothing waiting, the session is in the log as
interrupted straight away and the coach says everything is saved.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import stat
import time
from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.factory import add_screening
from tests.faults.helpers import run_cli, seed_log
from tests.faults.tally import Tally
from tests.faults.terminal import Terminal

from spasm_coach.answers import READ_SECONDS
from spasm_coach.paths import DB_NAME
from spasm_coach.store import Store
from spasm_coach.vocabulary import CONDITIONS, CheckKind, Level, ScreeningReason

PAIN_DIALOG = "Press 0-9, or t for 10"
HOME = r"s Start session\s+p Log pain"
PLAYER = r"exercise \d+ of \d+"
SCENARIOS = ("a check-in score waiting", "a session with its entries waiting", "all saved")
TRIES = 2
SEEDED = 4


QUESTION = re.compile(
    r"Question \d+ of \d+.*?\?|You said no to every sign below|Do you have any of these now",
    re.S,
)
"""A safety question on screen (the text up to its question mark tells one from the next)."""


def a_home(folder: Path) -> Path:
    """A log whose last score is 3 (so 3 and 4 ask no re-check, and offer no routine for
    settled pain) and today's check done, so a session starts after the quick check."""
    home = folder / "home"
    log = seed_log(home, scores=SEEDED)
    cautions = "".join(f"{name} = false\n" for name in CONDITIONS)
    (home / "settings.toml").write_text(f'region = "uk"\n\n[cautions]\n{cautions}')
    with Store.open(log) as store:
        now = datetime.now().astimezone()
        add_screening(store, Level.CLEAR, (), {}, now - timedelta(minutes=5), ScreeningReason.CLI)
    with closing(sqlite3.connect(log)) as db:  # a complete full check, as a person's
        db.execute("UPDATE screening SET kind = ?, complete = 1", (CheckKind.FULL.value,))
        db.commit()
    return home


def hold(log: Path) -> sqlite3.Connection:
    """Another program writing (an import): the coach's writes are refused as busy."""
    other = sqlite3.connect(log, timeout=0, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def answer_until(term: Terminal, goal: str, score: int, timeout: float = 20.0) -> bool:
    """Answer the checks and the cautions (no to each, once the question has been on screen
    long enough to read), the pain question (`score`) and the offer of another routine (keep
    this one) until `goal` shows."""
    end = time.monotonic() + timeout
    last, last_at = "", 0.0
    question, question_at = "", 0.0
    while time.monotonic() < end and term.alive:
        term.pump(0.05)
        text = term.text()
        now = time.monotonic()
        if re.search(goal, text):
            return True
        if text == last and now - last_at < 1.0:
            continue
        asked = QUESTION.search(text)
        if PAIN_DIALOG in text:
            key = str(score)
        elif "(k) Keep to" in text:  # the routine for settled pain, offered once a day
            key = "k"
        elif asked:
            if asked.group(0) != question:
                question, question_at = asked.group(0), now
            if now - question_at < READ_SECONDS + 0.1:
                continue
            question_at = now  # a key the coach found too quick starts the wait again
            key = "n"
        else:
            continue
        term.press(key)
        last, last_at = text, now
    return bool(re.search(goal, term.text()))


def one_try(folder: Path, how: str, scenario: str, tally: Tally) -> None:
    home = a_home(folder)
    log = home / DB_NAME
    where = f"{how}, {scenario}"
    term = Terminal(home)
    other: sqlite3.Connection | None = None
    entered = 0
    try:
        if not term.wait_for(HOME, timeout=20):
            tally.fail(f"{where}: the coach did not start: {term.text()!r}")
            return
        if scenario != "all saved":
            other = hold(log)
        if scenario == "a check-in score waiting":
            term.press("p")
            if not answer_until(term, "NOT SAVED YET", score=3):
                tally.fail(f"{where}: the score was not kept as unsaved:\n{term.text()}")
                return
            entered = 1
        else:
            term.press("s")
            if not answer_until(term, PLAYER, score=4):
                tally.fail(f"{where}: the session did not start:\n{term.text()}")
                return
            entered = 1
            term.pump(1.0)
            if scenario != "all saved" and "NOT SAVED YET" not in term.text():
                tally.fail(f"{where}: the entries were not kept as unsaved:\n{term.text()}")
        started = time.monotonic()
        if how == "SIGHUP":
            term.hang_up()
        else:
            os.kill(term.pid, signal.SIGTERM)
            term.wait_for(r"\Z\A", timeout=15)  # read what it says until it has ended
        took = time.monotonic() - started
        if term.alive:
            tally.fail(f"{where}: the coach had not ended {took:.0f} s after the signal")
            return
    finally:
        term.close()
        if other is not None:
            other.execute("ROLLBACK")
            other.close()
    check_what_was_kept(home, how, scenario, where, term, entered, tally)


def check_what_was_kept(
    home: Path, how: str, scenario: str, where: str, term: Terminal, entered: int, tally: Tally
) -> None:
    log = home / DB_NAME
    waited = scenario != "all saved"
    code = os.waitstatus_to_exitcode(term.exit_status or 0)
    output = term.output.decode("utf-8", "replace")
    rescued = sorted(home.glob("spasm-coach-unsaved-*.json"))
    tally.check(code == (1 if waited else 0), f"{where}: exit {code}")
    tally.check(
        "Traceback" not in output and "unexpected error" not in output,
        f"{where}: {output[-400:]!r}",
    )
    if how == "SIGTERM":
        said = "could not be saved; they are in" if waited else "everything you entered is saved"
        tally.check(
            said in output.replace("\r\n", " "), f"{where}: the terminal does not say {said!r}"
        )
    if waited:
        if len(rescued) != 1:
            tally.lose(entered)
            tally.fail(f"{where}: {len(rescued)} rescue files")
            return
        mode = stat.S_IMODE(rescued[0].stat().st_mode)
        tally.check(mode == 0o600, f"{where}: the rescue file is {mode:o}")
        kept = json.loads(rescued[0].read_text(encoding="utf-8"))
        tally.check(len(kept["pain_scores"]) == entered, f"{where}: rescued {kept['pain_scores']}")
        ran = run_cli(["import", str(rescued[0])], home)
        tally.check(ran.code == 0, f"{where}: import: exit {ran.code}: {ran.err!r}")
    else:
        tally.check(not rescued, f"{where}: a rescue file with nothing to rescue: {rescued}")
    with Store.open(log, readonly=True) as store:
        scores = list(store.pain_scores())
        sessions = list(store.sessions())
    lost = max(0, SEEDED + entered - len(scores))
    if lost:
        tally.lose(lost)
        tally.fail(f"{where}: {lost} of the scores entered are not in the log")
    if scenario != "a check-in score waiting":
        outcomes = [session.outcome for session in sessions[1:]]
        tally.check(outcomes == ["interrupted"], f"{where}: the session is {outcomes}")


def run_tries(folder: Path, how: str, tally: Tally) -> None:
    tally.at_stake()
    tally.how.add("real coach in a pty, the log held busy by another writer")
    for number in range(TRIES):
        for scenario in SCENARIOS:
            with tally.one_try() as this:
                one_try(folder / f"{number}-{scenario.replace(' ', '-')}", how, scenario, this)
    tally.done()


@pytest.mark.fault("SIGHUP: the terminal closed")
def test_closing_the_terminal_keeps_what_waits(tmp_path: Path, tally: Tally) -> None:
    tally.how.add("the pty closed: a real hang-up")
    run_tries(tmp_path, "SIGHUP", tally)


@pytest.mark.fault("SIGTERM: kill -TERM")
def test_sigterm_keeps_what_waits(tmp_path: Path, tally: Tally) -> None:
    run_tries(tmp_path, "SIGTERM", tally)
