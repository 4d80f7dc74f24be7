"""Opening the coach, without the command-line parser.

`spasm-coach` on its own is how most people start the coach, so that path skips typer and
click altogether (main() sends it here) and starts about as fast as a bare Textual app. The
`coach` command comes here too, after parsing its options. Messages go to stderr as one plain
line each, exactly as the parsed commands print them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import TYPE_CHECKING

from spasm_coach.guard import safe_text
from spasm_coach.vocabulary import ExitCode

if TYPE_CHECKING:
    from spasm_coach.clock import Clock
    from spasm_coach.content import Content, Routine

TUI_ATTEMPT_SECONDS = 0.25
"""How long the coach waits for a busy log on each write before keeping the entry for later."""


def say(message: str) -> None:
    """One line on stderr, whatever the message holds: a file name or an id as typed may hold
    a line break or a terminal escape, which the text guard shows as U+FFFD."""
    print(f"spasm-coach: {safe_text(message, one_line=True)}", file=sys.stderr, flush=True)


def say_busy() -> None:
    say("the pain log is busy (another spasm-coach may be importing); waiting for it...")


def open_coach(clock: Clock, content: Content | None = None, routine: Routine | None = None) -> int:
    """Run the coach on the person's own log until it closes; returns the exit code."""
    from spasm_coach.paths import database_path, plans_dir, routines_dir, settings_path
    from spasm_coach.speech import find_speaker
    from spasm_coach.store import Store, StoreError

    try:
        store = Store.open(database_path(), attempt_seconds=TUI_ATTEMPT_SECONDS, on_busy=say_busy)
    except StoreError as exc:
        say(str(exc))
        return exc.exit_code
    store.patience = 0  # from here the journal keeps what the log refuses and retries
    from spasm_coach.tui.app import make_app

    with store:
        tui = make_app(
            store,
            clock,
            settings_path=settings_path(),
            content=content,
            routine=routine,
            speaker=find_speaker(),
            routines_dir=routines_dir(),
            plans_dir=plans_dir(),
            ends_on_signals=True,
        )
        try:
            tui.run()
        finally:
            # However the coach ended (a crash, say), anything the log still refuses goes to a
            # rescue file, as on quitting; then one line says what was kept, unwrapped.
            kept = tui.rescue_unsaved()
            farewell = kept or tui.farewell
            if farewell is not None:
                with contextlib.suppress(OSError):  # no terminal left to say it on
                    print(farewell, file=sys.stderr, flush=True)
    return tui.return_code or (ExitCode.FAILURE if kept else 0)


def run_alone(clock: Clock) -> int:
    """`spasm-coach` with nothing after it: the coach, with the same failures as every command."""
    try:
        return open_coach(clock)
    except KeyboardInterrupt:
        print("\nStopped; nothing more was saved.", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:
        return report_failure(exc)


def report_failure(exc: Exception) -> int:
    """A store error that escaped a command says its cause; anything else is unexpected, and
    its message (which could hold what the person typed) is not printed."""
    from spasm_coach.paths import PathMistake
    from spasm_coach.store import StoreError

    if isinstance(exc, StoreError):
        say(str(exc))
        return exc.exit_code
    if isinstance(exc, PathMistake):  # a ~user that is no one, wherever a path was typed
        say(str(exc))
        return ExitCode.USAGE
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:  # a path as typed
        say("a file name given is too long; nothing was written.")
        return ExitCode.USAGE
    if os.environ.get("SPASM_COACH_DEBUG"):
        raise exc
    say(
        f"unexpected error ({type(exc).__name__}). Nothing you entered before this was lost. "
        "Run again with SPASM_COACH_DEBUG=1 for details to report."
    )
    return ExitCode.FAILURE
