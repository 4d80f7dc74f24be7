"""A full disk: a tmpfs of a few hundred KiB holds the data folder (or the export's folder) and
is filled to the last byte.

Where this process can't mount one (not root, or no permission), the same faults are injected
instead: the store's connection refuses writes with SQLite's own "database or disk is full"
error, and the export's file system with ENOSPC. The table says which was used.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.faults.helpers import (
    Ran,
    clean_failure,
    fill,
    only_temp_files,
    pain_count,
    run_cli,
    seed_log,
    sha256,
    tmpfs,
)
from tests.faults.tally import Tally
from tests.pilot.test_pilot_faults import Refusing
from tests.support import NONE_APPLY, Cli, Result

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app

pytestmark = pytest.mark.fault("Full disk")

DISK_KIB = 512
FULL = "is full"
INJECTED = "injected SQLITE_FULL / ENOSPC (no tmpfs here)"


@contextlib.contextmanager
def small_disk(tmp_path: Path, tally: Tally) -> Iterator[Path | None]:
    with tmpfs(tmp_path / "disk", DISK_KIB) as disk:
        tally.how.add(f"tmpfs {DISK_KIB} KiB" if disk is not None else INJECTED)
        yield disk


def integrity(log: Path) -> str:
    with contextlib.closing(sqlite3.connect(log)) as db:
        result: str = db.execute("PRAGMA integrity_check").fetchone()[0]
        return result


WRITES = (
    ["log", "5"],
    ["log", "3", "--note", "after the stairs", "--context", "after-heat"],
    ["screen", "--json", "--none"],
)


def test_commands_on_a_full_disk_say_so_and_write_nothing(
    tmp_path: Path, tally: Tally, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    tally.at_stake()
    with small_disk(tmp_path, tally) as disk:
        if disk is None:
            return _commands_with_injected_full_disk(tmp_path, tally, cli, monkeypatch)
        home = disk / "home"
        log = seed_log(home, scores=5)
        (home / "settings.toml").write_text('region = "uk"\n')
        backup = tmp_path / "backup.json"
        backup.write_text(
            '{"format": "spasm-coach-log", "version": 2, "pain_scores": [{"uid": '
            '"4d7a3c0e-8b4e-4a57-9d2c-3f4f9b2f1a10", "recorded_at": "2026-01-02T03:04:05+00:00",'
            ' "score": 2, "context": "check-in", "note": null, "session": null}]}'
        )
        digest = sha256(log)
        for held_open in (False, True):
            # held open: a coach is running (its -wal and -shm files exist) as the disk fills
            holder = Store.open(log) if held_open else None
            filler = fill(disk)
            try:
                for args in (*WRITES, ["import", str(backup)]):
                    tally.tried += 1
                    ran = run_cli(args, home)
                    problem = clean_failure(ran, 74, says=FULL)
                    state = "held open" if held_open else "closed"
                    tally.check(problem is None, f"{' '.join(args)} (log {state}): {problem}")
            finally:
                filler.unlink()
                if holder is not None:
                    holder.close()
            tally.check(integrity(log) == "ok", "the log is damaged after a full disk")
            counted = pain_count(log)
            if counted != 5:
                tally.lose(max(0, 5 - counted))
                tally.fail(f"the log holds {counted} scores after refused writes, not 5")
        tally.check(sha256(log) == digest, "the log file changed although nothing was written")
        tally.tried += 1
        ran = run_cli(["log", "6"], home)
        tally.check(ran.code == 0, f"log after freeing space: exit {ran.code}: {ran.err!r}")
        tally.check(pain_count(log) == 6, "the score logged after freeing space is missing")
    tally.done()
    return None


def _commands_with_injected_full_disk(
    tmp_path: Path, tally: Tally, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback: every store the command opens refuses writes as a full disk does."""
    home = Path(os.environ["SPASM_COACH_HOME"])
    log = seed_log(home, scores=5)
    (home / "settings.toml").write_text('region = "uk"\n')
    real_open = vars(Store)["open"].__func__

    def refusing_open(cls: type[Store], /, *args: Any, **kwargs: Any) -> Store:
        store: Store = real_open(cls, *args, **kwargs)
        wrapper = Refusing(store._db)
        wrapper.fault = (sqlite3.SQLITE_FULL, "database or disk is full")
        store._db = wrapper  # type: ignore[assignment]  # a stand-in for the connection
        return store

    monkeypatch.setattr(Store, "open", classmethod(refusing_open))
    for args in WRITES:
        tally.tried += 1
        result = cli(*args)
        problem = clean_failure(result, 74, says=FULL)
        tally.check(problem is None, f"{' '.join(args)}: {problem}")
    monkeypatch.undo()
    counted = pain_count(log)
    if counted != 5:
        tally.lose(max(0, 5 - counted))
        tally.fail(f"the log holds {counted} scores after refused writes, not 5")
    tally.done()


def test_export_onto_a_full_disk_fails_cleanly(
    tmp_path: Path, tally: Tally, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    seed_log(home, scores=200)
    with small_disk(tmp_path, tally) as disk:
        folder = disk if disk is not None else tmp_path / "out"
        folder.mkdir(exist_ok=True)
        existing = folder / "kept.csv"
        existing.write_text("an earlier export\n")
        if disk is not None:
            filler = fill(disk)
        else:
            monkeypatch.setattr(os, "fsync", _no_space)
        for name, fmt in (("new.csv", "csv"), ("kept.csv", "json"), ("fhir.json", "fhir")):
            tally.tried += 1
            target = folder / name
            ran: Ran | Result
            if disk is not None:
                ran = run_cli(["export", "--format", fmt, "-o", str(target), "--force"], home)
            else:
                ran = cli("export", "--format", fmt, "-o", str(target), "--force")
            problem = clean_failure(ran, {1, 74})
            tally.check(problem is None, f"export -o {name}: {problem}")
            tally.check(
                not only_temp_files(folder), f"export -o {name} left {only_temp_files(folder)}"
            )
            if name == "kept.csv":
                tally.check(
                    existing.read_text() == "an earlier export\n",
                    "the earlier export was damaged by one that failed",
                )
            else:
                tally.check(not target.exists(), f"a half-written {name} was left")
        if disk is not None:
            filler.unlink()
        else:
            monkeypatch.undo()
        tally.tried += 1
        ran = run_cli(["export", "-o", str(folder / "new.csv")], home)
        tally.check(ran.code == 0, f"export after freeing space: exit {ran.code}: {ran.err!r}")
    tally.done()


def _no_space(descriptor: int) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


async def test_the_coach_on_a_full_disk_keeps_every_entry(
    tmp_path: Path, tally: Tally, content: Content, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check-in, then a whole session (check, score before, stop, score after) while the disk
    is full: nothing is lost, the banner says so, and all of it is saved once there is space.
    Then the same again, but the person quits: the rescue file (in the home folder, as the
    data folder is full) imports every entry."""
    from tests.pilot.drive import give_pain, start_app, start_session, wait_for

    from spasm_coach.restore import read_export
    from spasm_coach.tui.dialogs.problem import UnsavedQuitScreen
    from spasm_coach.tui.screens.home import HomeScreen
    from spasm_coach.tui.screens.summary import SummaryScreen

    monkeypatch.setenv("HOME", str(tmp_path / "person"))
    (tmp_path / "person").mkdir()
    tally.at_stake()
    settings = Settings(region="uk", cautions=NONE_APPLY)
    with small_disk(tmp_path, tally) as disk:
        home = disk / "home" if disk is not None else tmp_path / "home"
        monkeypatch.setenv("SPASM_COACH_HOME", str(home))
        log = seed_log(home, scores=5)  # the last is 4: a check-in of 4 is no rise
        for quit_unsaved in (False, True):
            store = Store.open(log, attempt_seconds=0.25)
            store.patience = 0
            refusing = None
            if disk is None:
                refusing = Refusing(store._db)
                store._db = refusing  # type: ignore[assignment]  # a stand-in for the connection
            app = make_app(store, FakeClock(), None, content=content, settings=settings)
            before = pain_count(log)
            try:
                async with start_app(app) as pilot:
                    if disk is not None:
                        filler = fill(disk)
                    else:
                        assert refusing is not None
                        refusing.fault = (sqlite3.SQLITE_FULL, "database or disk is full")
                    await pilot.press("p")
                    await give_pain(pilot, 4, "check-in")  # 4s: no offer of another routine
                    await wait_for(pilot, HomeScreen)
                    await start_session(pilot, content, before=4)
                    await pilot.press("x")
                    await give_pain(pilot, 4, "after-session")
                    await wait_for(pilot, SummaryScreen)
                    await pilot.press("enter")
                    await wait_for(pilot, HomeScreen)
                    await pilot.pause()
                    tally.tried += 3
                    words = app.unsaved_words() or ""
                    tally.check(
                        words.startswith("NOT SAVED YET: a pain score of 4") and FULL in words,
                        f"the banner says {words!r}",
                    )
                    tally.check(app.is_running, "the coach stopped on a full disk")
                    kept = len(app.journal.unsaved)
                    tally.check(kept >= 5, f"only {kept} writes kept for a whole session")
                    if quit_unsaved:
                        await pilot.press("q")
                        await wait_for(pilot, UnsavedQuitScreen)
                        await pilot.press("q")
                        await pilot.pause()
                    else:
                        if disk is not None:
                            filler.unlink()
                        else:
                            assert refusing is not None
                            refusing.fault = None
                        tally.check(app.journal.retry(), "the entries were not saved after all")
            finally:
                if disk is not None and (disk / "filler").exists():
                    (disk / "filler").unlink()
                store.close()
            if quit_unsaved:
                # in the data folder if it could be written there, else in the home folder
                rescued = sorted(
                    path
                    for folder in (home, tmp_path / "person")
                    for path in folder.glob("spasm-coach-unsaved-*.json")
                )
                tally.check(len(rescued) == 1, f"rescue files: {rescued}")
                if rescued:
                    with Store.open(log) as reopened:
                        reopened.restore(read_export(rescued[0]))
            counted = pain_count(log)
            if counted != before + 3:
                tally.lose(max(0, before + 3 - counted))
                tally.fail(f"{counted - before} of 3 scores in the log (quit: {quit_unsaved})")
            with Store.open(log) as reopened:
                stopped = [s for s in reopened.sessions() if s.outcome == "stopped"]
            tally.check(
                len(stopped) == 1 + quit_unsaved, f"{len(stopped)} stopped sessions in the log"
            )
    tally.done()
