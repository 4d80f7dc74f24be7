"""A read-only folder (a tmpfs remounted read-only: EROFS) and a read-only log file (0400,
owned by the person, with the commands run as that person: `nobody`, through setpriv, since
root writes any file).

Writes exit 77 with the one line about permissions, naming the folder as it is spelt; reads
still read where SQLite can; the file is left byte for byte; and the coach, given a read-only
log, keeps every score, says so, and puts them in a rescue file when the person quits."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.faults.helpers import (
    PYTHON,
    clean_failure,
    cli_env,
    pain_count,
    remount,
    run_cli,
    seed_log,
    sha256,
    tmpfs,
)
from tests.faults.tally import Tally
from tests.faults.terminal import Terminal
from tests.support import NONE_APPLY_TOML

from spasm_coach.paths import DB_NAME
from spasm_coach.restore import read_export
from spasm_coach.store import Store

pytestmark = pytest.mark.fault("Read-only folder and file")

NOBODY = 65534
CANT_WRITE = "can't be written"
WRITES = (["log", "5"], ["screen", "--json", "--none"])
READS = (["history"], ["export"], ["export", "--format", "json"], ["remind"], ["plan"])


def a_backup(folder: Path) -> Path:
    backup = folder / "backup.json"
    backup.write_text(
        '{"format": "spasm-coach-log", "version": 2, "pain_scores": [{"uid": '
        '"4d7a3c0e-8b4e-4a57-9d2c-3f4f9b2f1a10", "recorded_at": "2026-01-02T03:04:05+00:00",'
        ' "score": 2, "context": "check-in", "note": null, "session": null}]}'
    )
    backup.chmod(0o644)
    return backup


def try_commands(tally: Tally, home: Path, backup: Path, user: int | None, reads_ok: bool) -> None:
    for args in (*WRITES, ["import", str(backup)]):
        tally.tried += 1
        ran = run_cli(args, home, user=user)
        problem = clean_failure(ran, 77)
        if problem is None and str(home / DB_NAME) not in ran.err:
            problem = f"the line does not name the log {home / DB_NAME} as spelt: {ran.err!r}"
        tally.check(problem is None, f"{' '.join(args)}: {problem}")
    for args in READS:
        tally.tried += 1
        ran = run_cli(args, home, user=user)
        if reads_ok:
            ok = ran.code in (0, 3) and ran.out.strip() and not ran.err.strip()
            tally.check(bool(ok), f"{' '.join(args)} can't read: exit {ran.code}: {ran.err!r}")
        else:
            problem = clean_failure(ran, {0, 3, 77})
            tally.check(problem is None, f"{' '.join(args)}: {problem}")


def test_a_read_only_disk(tmp_path: Path, tally: Tally) -> None:
    with tmpfs(tmp_path / "disk", 1024) as disk:
        if disk is None:
            pytest.skip("no tmpfs can be mounted here (not root), so no read-only disk")
        tally.how.add("tmpfs remounted read-only (EROFS)")
        tally.at_stake()
        home = disk / "Data Folder"  # upper case and a space: the message must spell it so
        log = seed_log(home, scores=4)
        (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML)
        backup = a_backup(tmp_path)
        digest = sha256(log)
        remount(disk, "ro")
        try:
            try_commands(tally, home, backup, None, reads_ok=True)
            tally.tried += 1
            term = Terminal(home)
            try:
                term.wait_for(r"\Z\A", timeout=8)  # until it exits (the pattern never matches)
                output = term.output.decode("utf-8", "replace")
                status = term.exit_status
            finally:
                term.close()
            code = os.waitstatus_to_exitcode(status) if status is not None else None
            tally.check(
                code == 77 and "spasm-coach: " in output and "Traceback" not in output,
                f"the coach on a read-only disk: exit {code}, {output[-300:]!r}",
            )
        finally:
            remount(disk, "rw")
        tally.check(sha256(log) == digest, "the log changed on a read-only disk")
        tally.tried += 1
        ran = run_cli(["log", "6"], home)
        tally.check(ran.code == 0, f"log once writable again: exit {ran.code}: {ran.err!r}")
        if pain_count(log) != 5:
            tally.lose(max(0, 5 - pain_count(log)))
            tally.fail(f"{pain_count(log)} scores in the log, not 5")
    tally.done()


@pytest.fixture
def private_folder() -> Iterator[tuple[Path, int | None]]:
    """A folder another user can reach (pytest's are root's only), and that user: `nobody`
    when this runs as root, else this user (who can't write a 0400 file either)."""
    folder = Path(tempfile.mkdtemp(prefix="spasm-coach-faults-", dir="/tmp"))
    folder.chmod(0o755)
    user = NOBODY if os.geteuid() == 0 else None
    try:
        yield folder, user
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def hand_over(home: Path, log: Path, user: int | None) -> None:
    """The person owns the folder and the log, and the log is read-only (0400)."""
    if user is not None:
        for path in (home, *home.iterdir()):
            os.chown(path, user, user)
    log.chmod(0o400)


def can_run_as(user: int | None) -> bool:
    if user is None:
        return True
    ran = subprocess.run(
        ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", PYTHON, "-c", ""],
        capture_output=True,
        check=False,
    )
    return ran.returncode == 0


def test_a_read_only_log_file(private_folder: tuple[Path, int | None], tally: Tally) -> None:
    folder, user = private_folder
    if not can_run_as(user):
        pytest.skip(f"user {user} can't run {PYTHON} (its folders are private)")
    tally.how.add("log 0400, commands as nobody (setpriv)" if user else "log 0400")
    tally.at_stake()
    home = folder / "Home"
    log = seed_log(home, scores=4)
    (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML)
    backup = a_backup(folder)
    hand_over(home, log, user)
    digest = sha256(log)
    try_commands(tally, home, backup, user, reads_ok=True)
    tally.check(sha256(log) == digest, "the read-only log changed")
    if pain_count(log) != 4:
        tally.lose(max(0, 4 - pain_count(log)))
        tally.fail(f"{pain_count(log)} scores in the log, not 4")
    tally.done()


COACH = """
import asyncio, json, sys
from pathlib import Path
from spasm_coach.clock import FakeClock
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.vocabulary import CONDITIONS

async def main():
    store = Store.open(Path(sys.argv[1]), attempt_seconds=0.25)
    store.patience = 0
    answered = Settings(region="uk", cautions=dict.fromkeys(CONDITIONS, False))
    app = make_app(store, FakeClock(), None, settings=answered)
    said = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for score in (1, 0):
            await pilot.press("p")
            await pilot.pause()
            await pilot.press(str(score))
            for _ in range(50):
                if isinstance(app.screen, HomeScreen):
                    break
                await pilot.pause()
        said["kept"] = len(app.journal.unsaved)
        said["banner"] = app.unsaved_words()
        said["saved on retry"] = app.journal.retry()
        said["running"] = app.is_running
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    said["exit"] = app.return_code
    print(json.dumps(said))

asyncio.run(main())
"""


def test_the_coach_with_a_read_only_log_keeps_what_is_entered(
    private_folder: tuple[Path, int | None], tally: Tally
) -> None:
    folder, user = private_folder
    if not can_run_as(user):
        pytest.skip(f"user {user} can't run {PYTHON} (its folders are private)")
    tally.how.add("coach in-process as nobody" if user else "coach in-process")
    tally.at_stake()
    home = folder / "Home"
    log = seed_log(home, scores=2)  # the last score is 1: neither 1 nor 0 asks a check
    hand_over(home, log, user)
    command = [PYTHON, "-c", COACH, str(log)]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    done = subprocess.run(
        command,
        env=cli_env(home, HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    tally.tried += 2
    try:
        said = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        tally.fail(f"the coach script failed: {done.stdout[-300:]!r} {done.stderr[-600:]!r}")
        tally.done()
        return
    banner = said["banner"] or ""
    tally.check(said["kept"] == 2, f"{said['kept']} of 2 scores kept")
    tally.check(
        banner.startswith("NOT SAVED YET: a pain score of 1 and 1 more") and CANT_WRITE in banner,
        f"the banner says {banner!r}",
    )
    tally.check(said["running"] and not said["saved on retry"], f"the coach: {said}")
    tally.check(said["exit"] == 1, f"quitting with unsaved scores exits {said['exit']}")
    rescued = sorted(home.glob("spasm-coach-unsaved-*.json"))
    log.chmod(0o600)
    if len(rescued) != 1:
        tally.lose(2)
        tally.fail(f"rescue files: {rescued}")
    else:
        with Store.open(log) as store:
            added = store.restore(read_export(rescued[0])).added
        if added != 2:
            tally.lose(2 - added)
            tally.fail(f"the rescue file gave back {added} of 2 scores")
    tally.done()


def test_a_read_only_log_made_writable_again_takes_entries(
    private_folder: tuple[Path, int | None], tally: Tally
) -> None:
    """A log left 0400: the commands read it (SQLite makes its -wal and -shm beside it with the
    log's own mode, 0400), and a write says to make it writable. Once the person does (chmod
    u+w, as the message says), the next write must work: the files beside it are the owner's
    to write again (they once stayed 0400, and every write failed, now blaming the folder)."""
    folder, user = private_folder
    if not can_run_as(user):
        pytest.skip(f"user {user} can't run {PYTHON} (its folders are private)")
    tally.how.add("log 0400 then 0600, commands as nobody (setpriv)" if user else "log 0400")
    tally.at_stake()
    home = folder / "Home"
    log = seed_log(home, scores=3)
    hand_over(home, log, user)
    for args, code in ((["log", "5"], 77), (["history"], 0), (["log", "5"], 77)):
        tally.tried += 1
        ran = run_cli(args, home, user=user)
        tally.check(ran.code == code, f"while read-only, {' '.join(args)}: exit {ran.code}")
    log.chmod(0o600)
    tally.tried += 1
    ran = run_cli(["log", "6"], home, user=user)
    tally.check(ran.code == 0, f"once writable, log 6: exit {ran.code}: {ran.err!r}")
    modes = {
        path.name: oct(stat.S_IMODE(path.stat().st_mode))
        for path in home.iterdir()
        if path.name.startswith(log.name)
    }
    tally.check(set(modes.values()) == {"0o600"}, f"the log's files: {modes}")
    if pain_count(log) != 4:
        tally.lose(max(0, 4 - pain_count(log)))
        tally.fail(f"{pain_count(log)} scores in the log, not 4")
    tally.done()
