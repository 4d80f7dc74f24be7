"""How the coach ends when the person didn't ask it to: a signal, or an unexpected error.

SIGHUP (the terminal was closed) and SIGTERM (the computer is shutting down) end it keeping
everything (CoachApp.end_now); an error nothing handled is said in one plain line, never a
traceback that would print the person's entries.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import App

ENDING_SIGNALS = {
    signal.SIGHUP: "the terminal was closed",
    signal.SIGTERM: "the coach was asked to stop",
}
"""Signals that end the coach keeping everything, and what each means in words."""
SIGNAL_GRACE_SECONDS = 5
"""After SIGTERM the coach closes as usual; if it hasn't within this time, it leaves at once."""


class PlainCrash(Exception):
    """An unexpected error, shown as one plain line: a traceback would print the person's
    entries (Textual's shows local variables) and help nobody at home."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(type(error).__name__)
        self.error = error

    def __rich__(self) -> Text:
        return Text(
            f"spasm-coach stopped because of an unexpected error ({type(self.error).__name__}). "
            "Everything you had entered before it was saved. Run with SPASM_COACH_DEBUG=1 for "
            "details to report."
        )


def end_on_signals(
    app: App[Any], end_now: Callable[[str], int], farewell: Callable[[], str | None]
) -> None:
    """SIGHUP and SIGTERM end the app through `end_now` (which keeps everything and returns
    the exit code); `farewell` is the line to leave with should the app not close in time.

    The handlers are Python's own, not the event loop's: they run even while the loop is
    stuck (writing to a terminal that has gone), so what was entered is always kept.
    """
    loop = asyncio.get_running_loop()

    def close(code: int) -> None:
        """Close as usual, in the event loop, with no flow left to open a screen meanwhile."""
        app.workers.cancel_all()
        app.exit(return_code=code)

    def leave_now(code: int) -> None:
        """The app did not close in time after a signal (its output stuck): say what was
        kept, and go."""
        with contextlib.suppress(OSError, ValueError):
            print(farewell(), file=sys.stderr, flush=True)
        os._exit(code)

    def ended(number: int, frame: object) -> None:
        code = end_now(ENDING_SIGNALS[signal.Signals(number)])
        if number == signal.SIGHUP or loop.is_closed():
            # The terminal has gone (nothing to put back, nowhere to say it), or the app
            # has already closed: nothing is left to do.
            os._exit(code)
        loop.call_soon_threadsafe(close, code)
        watchdog = threading.Timer(SIGNAL_GRACE_SECONDS, leave_now, (code,))
        watchdog.daemon = True
        watchdog.start()

    for number in ENDING_SIGNALS:
        signal.signal(number, ended)
