"""What every command shares: the context (its clock), one-line failures, the log and content.

Every mistake in what was typed gets one line on stderr and exit code 2; a failure that is not
the user's typing exits with the code of its cause (see README, "Exit codes"). Nothing is written
when input is rejected.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from spasm_coach.cli.coach import say, say_busy
from spasm_coach.clock import Clock
from spasm_coach.guard import safe_text
from spasm_coach.vocabulary import ExitCode

if TYPE_CHECKING:
    from spasm_coach.content import Content
    from spasm_coach.journal import Journal
    from spasm_coach.log_reader import LogReader
    from spasm_coach.store import Store
    from spasm_coach.tui.clinic import StandingWarning


@dataclass(frozen=True)
class CliContext:
    """Passed to every command as click's context object, so tests can give their own clock."""

    clock: Clock


def clock_of(ctx: typer.Context) -> Clock:
    obj = ctx.find_object(CliContext)
    assert obj is not None, "main() always passes a CliContext"
    return obj.clock


def now_of(ctx: typer.Context) -> datetime:
    return clock_of(ctx).now()


def echo(message: str, *, err: bool = False) -> None:
    """Output holding names, paths or text from files and the log, through the text guard, so
    nothing in it reaches the terminal as a command."""
    typer.echo(safe_text(message), err=err)


def fail(message: str, code: int = ExitCode.USAGE) -> NoReturn:
    """One plain line on stderr, then exit: 2 for what was typed, another code otherwise."""
    say(message)
    raise typer.Exit(code)


@contextmanager
def open_store(*, readonly: bool = False, must_exist: bool = False) -> Iterator[LogReader]:
    """The pain log for reading (every write goes through `open_journal`)."""
    with _open_log(readonly=readonly, must_exist=must_exist) as store:
        yield store


@contextmanager
def _open_log(*, readonly: bool = False, must_exist: bool = False) -> Iterator[Store]:
    """The pain log, waiting patiently while it is busy; its problems become one clear line.

    `must_exist`: a read that only makes sense with a log (an export) fails when there is none,
    so a mistyped --data-dir never writes an empty backup as if all were well.
    """
    from spasm_coach.paths import database_path
    from spasm_coach.store import Store, StoreError

    path = database_path()
    _clean_stale_exports(path.parent)
    if must_exist and not path.exists():
        fail(
            f"there is no pain log at {path}; nothing was written. Check --data-dir or "
            "SPASM_COACH_HOME (spasm-coach where shows the folders).",
            ExitCode.NO_INPUT,
        )
    try:
        store = Store.open(path, readonly=readonly, on_busy=say_busy)
    except StoreError as exc:
        fail(str(exc), exc.exit_code)
    try:
        yield store
    except StoreError as exc:
        fail(str(exc), exc.exit_code)
    finally:
        store.close()


def _clean_stale_exports(folder: Path) -> None:
    """Half-written exports left by a run that was killed (never one still being written)."""
    import time

    from spasm_coach.files import clean_stale_temp_files

    clean_stale_temp_files(folder, time.time())  # file times are real time, not the session's


@contextmanager
def open_journal(ctx: typer.Context) -> Iterator[Journal]:
    """The log for writing, through the journal at the command's clock."""
    from spasm_coach.journal import Journal

    with _open_log() as store:
        yield Journal(store, clock_of(ctx))


def load_content() -> Content:
    from spasm_coach.content import ContentError
    from spasm_coach.content import load_content as load

    try:
        return load()
    except ContentError as exc:
        fail(f"the built-in content is broken: {exc}. Reinstall spasm-coach.", ExitCode.FAILURE)


def parse_window(
    ctx: typer.Context, since: str | None, until: str | None
) -> tuple[datetime | None, datetime | None]:
    from spasm_coach.dates import parse_when

    now = now_of(ctx)
    try:
        start = parse_when(since, now, whole_days=True) if since else None
        end = parse_when(until, now, end_of_day=True) if until else None
    except ValueError as exc:
        fail(str(exc))
    if start and end and start >= end:
        fail(f"--since ({since}) must be before --until ({until})")
    return start, end


# --- files a command writes: never half a file, replaced only when the person says so ---


def prepare_output(output: Path | None, *, force: bool) -> Path | None:
    """The file to write (None: the screen), checked before any work is done.

    Never the pain log or a folder; an existing file is replaced with --force, or when the
    person answers yes on a terminal. Otherwise nothing is written.
    """
    from spasm_coach.export import ExportTargetError, check_target
    from spasm_coach.paths import database_path

    if output is None:
        return None
    try:
        target = check_target(output, database_path())
    except ExportTargetError as exc:
        fail(f"--output: {exc}")
    _clean_stale_exports(target.parent)
    if target.exists() and not force:
        if not sys.stdin.isatty():
            fail(f"--output: {output} already exists; add --force to replace it")
        if not typer.confirm(
            f"{safe_text(str(output))} already exists. Replace it?", default=False
        ):
            fail(f"{output} was kept; nothing was written", ExitCode.FAILURE)
    return target


def write_output(text: str, target: Path | None, what: str) -> None:
    """`text` to the screen, or to `target` whole: written beside it, then renamed over it."""
    from spasm_coach.files import atomic_text_file

    if target is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        with atomic_text_file(target) as out:
            out.write(text)
    except OSError as exc:
        fail_to_write(target, exc)
    echo(f"Wrote the {what} to {target}.", err=True)


def fail_to_write(target: Path, exc: OSError) -> NoReturn:
    """A file that couldn't be written: why, and the code for it (a full disk is 74)."""
    code = {
        errno.ENAMETOOLONG: ExitCode.USAGE,
        errno.ENOSPC: ExitCode.IO_ERROR,
        errno.EDQUOT: ExitCode.IO_ERROR,
    }
    fail(f"can't write {target}: {exc.strerror or exc}", code.get(exc.errno or 0, ExitCode.FAILURE))


def standing_warning(ctx: typer.Context, content: Content) -> StandingWarning | None:
    """A warning sign standing in the data folder's pain log, for clinic mode to show first;
    read only, and only if there is a log. A log that can't be read may hold one too."""
    from spasm_coach.advice import region_of
    from spasm_coach.gate import today
    from spasm_coach.paths import database_path, settings_path
    from spasm_coach.settings import load_settings
    from spasm_coach.store import Store, StoreError
    from spasm_coach.tui.clinic import StandingWarning
    from spasm_coach.wording import clock_time

    path = database_path()
    if not path.is_file():
        return None
    region = region_of(content, load_settings(settings_path()).region)
    now = now_of(ctx)
    try:
        with Store.open(path, readonly=True) as store:
            warning = today(store, now).warning
    except StoreError as exc:
        return StandingWarning(content, None, region, "", problem=str(exc))
    if warning is None:
        return None
    when = clock_time(warning.screened_at, now, round_up=False)
    return StandingWarning(content, warning, region, when)
