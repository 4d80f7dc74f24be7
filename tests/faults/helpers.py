"""What the fault tests share: the command in a real process, what a clean failure looks like,
a small disk of its own (tmpfs) where the machine allows one, and logs to break."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from tests.factory import add_pain, add_screening, add_session

from spasm_coach.paths import DB_NAME, HOME_ENV
from spasm_coach.store import Store

PYTHON = sys.executable
EXIT_CODES = {0, 1, 2, 3, 65, 66, 74, 75, 77, 78}
"""Every exit code the command line documents."""
SECRET_NOTE = "zebra-crossing-note"
"""A note no message should ever repeat: error messages carry no health data."""
SECRET_TIMES = ("2025-05-06T07:08:09", "07:08")
"""How the seeded entries' time could appear in a message that leaks it."""
SEEDED_AT = datetime(2025, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=1)))


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a command: its data folder, and a home folder of its own beside it
    (a rescue file that can't go in the data folder goes there, never in the real one)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SPASM_COACH_DEBUG", "NO_COLOR")}
    env.update(
        {
            HOME_ENV: str(home),
            "HOME": str(home.parent / "person"),
            "LC_ALL": "C.UTF-8",
            "COLUMNS": "100",
        },
        **extra,
    )
    return env


def run_cli(
    args: Sequence[str | bytes],
    home: Path,
    *,
    user: int | None = None,
    timeout: float = 120,
    **env: str,
) -> Ran:
    """`python -m spasm_coach ARGS` in a process of its own, with no terminal and no input,
    in the folder holding `home` (so a relative path lands there); as another user (uid and
    gid) when `user` is given (setpriv)."""
    command: list[str | bytes] = [PYTHON, "-m", "spasm_coach", *args]
    if user is not None:
        command = [
            "setpriv",
            f"--reuid={user}",
            f"--regid={user}",
            "--clear-groups",
            "--",
            *command,
        ]
    done = subprocess.run(
        command,
        env=cli_env(home, **env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=home.parent,
        timeout=timeout,
        check=False,
    )
    return Ran(
        done.returncode,
        done.stdout.decode("utf-8", "replace"),
        done.stderr.decode("utf-8", "replace"),
    )


def leaks(text: str) -> str | None:
    """What health data `text` repeats, if any: the seeded note or time."""
    for secret in (SECRET_NOTE, *SECRET_TIMES):
        if secret in text:
            return secret
    return None


def clean_failure(ran: Ran | Any, codes: int | set[int], *, says: str | None = None) -> str | None:
    """None if `ran` failed as promised: an expected exit code, one line on stderr starting
    'spasm-coach: ' (saying `says`), no traceback and no health data. Else what is wrong."""
    codes = {codes} if isinstance(codes, int) else codes
    lines = [line for line in ran.err.splitlines() if line.strip()]
    if "Traceback" in ran.err or "Traceback" in ran.out:
        return f"a traceback (exit {ran.code}): {ran.err[-300:]!r}"
    if ran.code not in codes:
        return f"exit {ran.code}, expected {sorted(codes)}: {ran.err[-300:]!r}"
    if "unexpected error" in ran.err:
        return f"an unexpected error (a bug): {ran.err.strip()[:300]!r}"
    if len(lines) != 1 or not lines[0].startswith("spasm-coach: "):
        return f"not one 'spasm-coach: ' line on stderr: {ran.err[:400]!r}"
    if says is not None and says not in lines[0]:
        return f"the line does not say {says!r}: {lines[0][:300]!r}"
    if (secret := leaks(ran.err)) is not None:
        return f"the message repeats health data ({secret!r}): {lines[0][:300]!r}"
    return None


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_log(folder: Path, scores: int = 5) -> Path:
    """A healthy log with `scores` pain scores (the note and time are the secrets), a screening
    and a finished session; closed, so no -wal or -shm file is left beside it."""
    from spasm_coach.vocabulary import Level, ScreeningReason, SessionOutcome

    path = folder / DB_NAME
    with Store.open(path) as store:
        for n in range(scores):
            add_pain(store, n % 11, SEEDED_AT + timedelta(minutes=n), note=SECRET_NOTE)
        add_screening(store, Level.CLEAR, (), {}, SEEDED_AT, ScreeningReason.CLI)
        session = add_session(store, "gentle", "Gentle", SEEDED_AT, None)
        store.end_session(session.uid, SEEDED_AT + timedelta(minutes=9), SessionOutcome.FINISHED)
    return path


def pain_count(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        count: int = db.execute("SELECT count(*) FROM pain_score").fetchone()[0]
        return count


# --- a small disk of its own -------------------------------------------------------------------


def can_mount() -> str | None:
    """None if this process may mount a tmpfs; else why not (then a test injects the fault).

    SPASM_COACH_FAULTS_NO_MOUNT=1 takes the injected path even as root, to try it."""
    if os.environ.get("SPASM_COACH_FAULTS_NO_MOUNT"):
        return "SPASM_COACH_FAULTS_NO_MOUNT is set"
    if os.geteuid() != 0:
        return "not root"
    return None


@contextlib.contextmanager
def tmpfs(folder: Path, size_kib: int) -> Iterator[Path | None]:
    """A tmpfs of `size_kib` KiB mounted on `folder` (None if it can't be mounted here)."""
    folder.mkdir(parents=True, exist_ok=True)
    if can_mount() is not None:
        yield None
        return
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        unmounted = subprocess.run(["umount", str(folder)], capture_output=True, check=False)
        if unmounted.returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def fill(folder: Path) -> Path:
    """Fill the disk holding `folder` to the last byte; returns the file that fills it."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    try:
        for size in (1 << 16, 1 << 12, 1 << 9, 1):
            while True:
                try:
                    os.write(descriptor, b"\0" * size)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    break
    finally:
        os.close(descriptor)
    return filler


def only_temp_files(folder: Path) -> list[str]:
    """Export temp files left in `folder` (there should be none)."""
    return sorted(p.name for p in folder.glob(".spasm-coach-export.*"))
