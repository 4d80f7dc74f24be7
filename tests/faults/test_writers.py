"""Several writers at once: `spasm-coach import` of a 200,000-row CSV holds the log in one
transaction while 80 `spasm-coach log` processes start around it; two scripted writers race
each other; and the coach itself logs a score while the import runs.

Every `log` either succeeds with its score in the log, or (only after waiting out its 60 s)
says the log is busy with exit 75 and writes nothing; the import adds every row; the coach keeps
its score and saves it when the import has finished."""

from __future__ import annotations

import asyncio
import csv
import subprocess
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests.faults.helpers import PYTHON, cli_env, pain_count, seed_log
from tests.faults.tally import Tally
from tests.support import NONE_APPLY

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app

pytestmark = pytest.mark.fault("Several writers, long import")

IMPORT_ROWS = 200_000
WRITERS = 80
RACE_WRITES = 300


def big_csv(path: Path, rows: int) -> Path:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["recorded_at", "score", "band", "context", "note", "session", "uid"])
        for n in range(rows):
            moment = (start + timedelta(minutes=n)).isoformat(timespec="seconds")
            writer.writerow([moment, n % 11, "", "check-in", f"imported {n}", "", uuid.uuid4()])
    return path


def notes_in(log: Path) -> list[str]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(log)) as db:
        return [row[0] for row in db.execute("SELECT note FROM pain_score WHERE note LIKE 'w%'")]


def test_eighty_log_commands_during_a_long_import(tmp_path: Path, tally: Tally) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    log = seed_log(home, scores=3)
    csv_file = big_csv(tmp_path / "big.csv", IMPORT_ROWS)
    env = cli_env(home)
    tally.at_stake()
    started = time.monotonic()
    importing = subprocess.Popen(
        [PYTHON, "-m", "spasm_coach", "import", str(csv_file)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)  # the import is reading and inserting, inside its transaction
    writers = []
    for n in range(WRITERS):
        writers.append(
            (
                f"w{n}",
                time.monotonic(),
                subprocess.Popen(
                    [PYTHON, "-m", "spasm_coach", "log", str(n % 11), "--note", f"w{n}"],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                ),
            )
        )
        if n % 10 == 9:
            time.sleep(0.3)
    out, err = importing.communicate(timeout=600)
    import_seconds = time.monotonic() - started
    tally.tried += 1
    tally.check(
        importing.returncode == 0 and f"Imported {IMPORT_ROWS} new records" in out.decode(),
        f"the import: exit {importing.returncode}, {out.decode()[-200:]!r} {err.decode()[-300:]!r}",
    )
    finished = []
    for note, began, process in writers:  # every writer done before the log is read
        out, err = process.communicate(timeout=600)
        finished.append((note, time.monotonic() - began, process, err.decode()))
    logged = set(notes_in(log))
    waited = 0
    for note, took, process, text in finished:
        tally.tried += 1
        waited += "waiting" in text
        if "Traceback" in text:
            tally.fail(f"{note}: a traceback: {text[-300:]!r}")
        if process.returncode == 0:
            if note not in logged:
                tally.lose(1)
                tally.fail(f"{note}: exit 0 but its score is not in the log")
        elif process.returncode == 75 and "busy" in text and took >= 60:
            tally.check(note not in logged, f"{note}: exit 75 yet its score was written")
        else:
            tally.fail(f"{note}: exit {process.returncode} after {took:.1f} s: {text[-300:]!r}")
    counted = pain_count(log)
    tally.check(
        counted == 3 + IMPORT_ROWS + len(logged),
        f"the log holds {counted} scores, expected {3 + IMPORT_ROWS + len(logged)}",
    )
    tally.check(len(notes_in(log)) == len(logged), "a writer's score was added twice")
    tally.check(waited > 0, "no writer had to wait: the writers missed the import")
    tally.how.add(
        f"{IMPORT_ROWS:,}-row import took {import_seconds:.0f} s; {waited} of {WRITERS} log "
        "commands waited for it"
    )
    tally.done()


RACER = """
import sys
from pathlib import Path
from spasm_coach.clock import SystemClock
from spasm_coach.journal import Journal
from spasm_coach.store import Store
name, count = sys.argv[1], int(sys.argv[2])
with Store.open(Path(sys.argv[3])) as store:
    journal = Journal(store, SystemClock())
    for n in range(count):
        journal.log_pain(n % 11, note=f"{name}{n}")
print("done")
"""


def test_two_scripted_writers_racing(tmp_path: Path, tally: Tally) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    log = seed_log(home, scores=1)
    racers = [
        subprocess.Popen(
            [PYTHON, "-c", RACER, name, str(RACE_WRITES), str(log)],
            env=cli_env(home),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("a", "b")
    ]
    tally.at_stake()
    for racer in racers:
        out, err = racer.communicate(timeout=300)
        tally.tried += RACE_WRITES
        tally.check(
            racer.returncode == 0 and out.strip() == b"done",
            f"a racer: exit {racer.returncode}: {err.decode()[-300:]!r}",
        )
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(log)) as db:
        notes = [row[0] for row in db.execute("SELECT note FROM pain_score ORDER BY id")]
    for name in ("a", "b"):
        mine = [note for note in notes if note.startswith(name) and note[1:].isdigit()]
        missing = RACE_WRITES - len(set(mine))
        if missing:
            tally.lose(missing)
            tally.fail(f"racer {name}: {missing} of {RACE_WRITES} scores missing")
        tally.check(
            mine == [f"{name}{n}" for n in range(RACE_WRITES)], f"racer {name}: out of order"
        )
    tally.how.add(f"2 x {RACE_WRITES} journal writes racing")
    tally.done()


async def test_the_coach_keeps_a_score_given_during_a_long_import(
    tmp_path: Path, tally: Tally, content: Content
) -> None:
    """The coach waits a quarter of a second at most, keeps the score, says so, and saves it
    once the import has let go of the log."""
    from tests.pilot.drive import give_pain, wait_for

    from spasm_coach.tui.screens.home import HomeScreen

    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    log = seed_log(home, scores=1)
    csv_file = big_csv(tmp_path / "big.csv", IMPORT_ROWS // 2)
    store = Store.open(log, attempt_seconds=0.25)
    store.patience = 0  # as the coach command sets it
    clock = FakeClock()
    app = make_app(
        store, clock, None, content=content, settings=Settings(region="uk", cautions=NONE_APPLY)
    )
    tally.at_stake()
    importing = subprocess.Popen(
        [PYTHON, "-m", "spasm_coach", "import", str(csv_file)],
        env=cli_env(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await asyncio.sleep(1.0)  # the import holds the log now
            await pilot.press("p")
            await give_pain(pilot, 1, "check-in")
            await wait_for(pilot, HomeScreen)
            tally.tried += 1
            busy = bool(app.journal.unsaved)
            if busy:
                banner = app.unsaved_words() or ""
                tally.check(
                    banner.startswith("NOT SAVED YET: a pain score of 1") and "busy" in banner,
                    f"the banner says {banner!r}",
                )
            importing.communicate(timeout=300)
            for _ in range(50):
                if app.journal.retry():
                    break
                await asyncio.sleep(0.2)
            tally.check(app.journal.all_saved, "the score was never saved after the import")
            tally.check(app.is_running, "the coach stopped")
    finally:
        if importing.poll() is None:
            importing.kill()
        store.close()
    with Store.open(log) as reopened:
        scores = [entry.score for entry in reopened.pain_scores() if entry.note is None]
    if scores != [1]:
        tally.lose(1)
        tally.fail(f"the coach's score is not in the log once: {scores}")
    tally.how.add("coach in-process: " + ("kept, then saved" if busy else "saved at once"))
    tally.done()
