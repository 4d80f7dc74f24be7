"""A rescue file that carries updates to records already in the log, imported.

As a person meets it: a session starts while the log is free (its start and the pain before are
saved), then another program holds the log (a long import) and the person stops the session,
with `x` or "this hurts", and scores the pain after; quitting, the coach puts what waits in a
rescue file, whose session is the one already in the log, now with its end and outcome. Heat
taken off early while the log is busy is the same (the coach's journal on a busy log, in this
process). Once the log is free, `spasm-coach import FILE` must add what is new, bring the
session and the heat up to date, say so, and a FHIR export must show the session as it ended,
not as interrupted. An update not applied counts as an entry lost.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from tests.faults.helpers import run_cli
from tests.faults.tally import Tally
from tests.faults.terminal import Terminal
from tests.faults.test_signals import PLAYER, a_home, answer_until, hold

from spasm_coach.clock import SystemClock
from spasm_coach.journal import Journal
from spasm_coach.paths import DB_NAME
from spasm_coach.store import Store
from spasm_coach.vocabulary import SessionOutcome, ThermalKind

pytestmark = pytest.mark.fault("Rescue file imported with updates")

STOPS = {"x": "stopped", "h": "stopped-hurt"}
FHIR_STATUS = {"stopped": "stopped", "stopped-hurt": "stopped", "finished": "completed"}


def fhir_status(home: Path, uid: str) -> str | None:
    """The status a FHIR export gives the session `uid`."""
    bundle = json.loads(run_cli(["export", "--format", "fhir"], home).out)
    found = [entry for entry in bundle["entry"] if entry["fullUrl"] == f"urn:uuid:{uid}"]
    return found[0]["resource"].get("status") if found else None


def stop_a_session_on_a_busy_log(folder: Path, key: str, tally: Tally) -> None:
    home = a_home(folder)
    log = home / DB_NAME
    where = f"a session stopped with {key!r} on a busy log"
    term = Terminal(home)
    other: sqlite3.Connection | None = None
    try:
        term.wait_for(r"s Start session", timeout=20)
        term.press("s")
        if not answer_until(term, PLAYER, score=4):
            tally.fail(f"{where}: the session did not start:\n{term.text()}")
            return
        term.pump(1.0)
        other = hold(log)
        term.press(key)
        if not answer_until(term, r"Pain before:|It hurt: a check for warning signs", score=3):
            tally.fail(f"{where}: no summary:\n{term.text()}")
            return
        term.press("\r")
        term.pump(1.0)
        term.press("\x03")  # Ctrl+C: quit, from wherever the person is
        if not term.wait_for(r"Quit anyway", timeout=10):
            tally.fail(f"{where}: no question about what is not saved:\n{term.text()}")
            return
        term.press("q")
        term.wait_for(r"\Z\A", timeout=15)
    finally:
        term.close()
        if other is not None:
            other.execute("ROLLBACK")
            other.close()
    check(home, where, STOPS[key], tally)


def take_heat_off_early_on_a_busy_log(folder: Path, tally: Tally) -> None:
    """The coach's journal (what the heat timer writes through), on a log another writer holds."""
    home = a_home(folder)
    log = home / DB_NAME
    where = "heat taken off early on a busy log"
    with Store.open(log, attempt_seconds=0.05) as store:
        store.patience = 0
        journal = Journal(store, SystemClock(), keep_unsaved=True)
        heat = journal.start_application(ThermalKind.HEAT, 15)
        other = hold(log)
        try:
            journal.end_application(heat, datetime.now().astimezone(), stopped_early=True)
            tally.check(not journal.all_saved, f"{where}: the end was saved on a busy log")
            journal.keep_in_file([home], datetime.now().astimezone())
        finally:
            other.execute("ROLLBACK")
            other.close()
    rescued = sorted(home.glob("spasm-coach-unsaved-*.json"))
    if len(rescued) != 1:
        tally.lose(1)
        tally.fail(f"{where}: rescue files {rescued}")
        return
    ran = run_cli(["import", str(rescued[0])], home)
    said = "updated 1 heat or ice use's end already in the log"
    tally.check(ran.code == 0 and said in ran.out, f"{where}: import said {ran.out!r} {ran.err!r}")
    with Store.open(log, readonly=True) as store:
        (use,) = store.applications()
    if use.ended_at is None or use.stopped_early is not True:
        tally.lose(1)
        tally.fail(f"{where}: the log has {use}")


def check(home: Path, where: str, outcome: str, tally: Tally) -> None:
    rescued = sorted(home.glob("spasm-coach-unsaved-*.json"))
    if len(rescued) != 1:
        tally.lose(2)
        tally.fail(f"{where}: rescue files {rescued}")
        return
    kept = json.loads(rescued[0].read_text(encoding="utf-8"))
    ran = run_cli(["import", str(rescued[0])], home)
    said = "updated 1 session's end and outcome already in the log"
    tally.check(ran.code == 0 and said in ran.out, f"{where}: import said {ran.out!r} {ran.err!r}")
    with Store.open(home / DB_NAME, readonly=True) as store:
        sessions = list(store.sessions())
        scores = [entry.uid for entry in store.pain_scores()]
    ended = [session for session in sessions if session.started_at.date() == datetime.now().date()]
    if len(ended) != 1 or ended[0].outcome != outcome or ended[0].ended_at is None:
        tally.lose(1)
        tally.fail(f"{where}: the session in the log is {ended}")
    missing = [entry for entry in kept["pain_scores"] if entry["uid"] not in scores]
    if missing:
        tally.lose(len(missing))
        tally.fail(f"{where}: scores not imported: {missing}")
    if ended:
        status = fhir_status(home, ended[0].uid)
        tally.check(status == FHIR_STATUS[outcome], f"{where}: FHIR says {status!r}")


def test_a_rescue_file_brings_what_the_log_has_up_to_date(tmp_path: Path, tally: Tally) -> None:
    tally.at_stake()
    tally.how.add("real coach in a pty, the log held busy; import in a real process")
    for number, key in enumerate(STOPS):
        with tally.one_try() as this:
            stop_a_session_on_a_busy_log(tmp_path / f"stop-{number}", key, this)
    with tally.one_try() as this:
        take_heat_off_early_on_a_busy_log(tmp_path / "heat", this)
    tally.done()


def test_an_older_backup_never_undoes_an_end(tmp_path: Path, tally: Tally) -> None:
    """A backup made while a session ran, imported after it ended, twice: nothing goes back."""
    tally.at_stake()
    home = a_home(tmp_path)
    log = home / DB_NAME
    backup = tmp_path / "backup.json"
    with Store.open(log) as store:
        session = Journal(store, SystemClock()).open_session("gentle", "Gentle", None)
    assert run_cli(["export", "--format", "json", "-o", str(backup)], home).code == 0
    with Store.open(log) as store:
        store.end_session(session.uid, datetime.now().astimezone(), SessionOutcome.FINISHED)
    for attempt in (1, 2):
        tally.tried += 1
        ran = run_cli(["import", str(backup)], home)
        tally.check(ran.code == 0 and "updated" not in ran.out, f"import {attempt}: {ran.out!r}")
        with Store.open(log, readonly=True) as store:
            outcomes = [s.outcome for s in store.sessions() if s.uid == session.uid]
        if outcomes != ["finished"]:
            tally.lose(1)
            tally.fail(f"import {attempt}: an older backup undid the end: {outcomes}")
    tally.done()
