"""Safety answers: yes, no or not answered, each given on purpose.

Every safety question (a red flag, a personal caution, a heat or ice question) has three states:
yes, no, or not answered yet. An answer is kept as `True` (yes) or `False` (no) under the
question's id; a question whose id is missing has not been answered, and is asked before it
matters. Nothing that was not said counts as no.

An answer is a key (or a click) made on purpose, so a held or repeated key answers at most one
question. `ReadGuard` decides which keys count, on the caller's monotonic clock (the injected
clock, so tests move it rather than wait).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

Answers = Mapping[str, bool]
"""Question id -> yes (True) or no (False). An id that is not there is not answered yet."""

READ_SECONDS = 1.0
"""How long a question is on screen before a key counts as its answer; a key before that is
ignored and starts the wait again.

Why one second. A held key repeats after a delay of 250-660 ms (X11 and Wayland defaults 500-660
ms, macOS and Windows 500 ms) and then 25-33 times a second, so the first repeat falls inside the
second and every repeat after it starts the wait again: a held key answers the question on
screen and nothing more until it is let go. A person answering on purpose loses little: the
shortest question (five to ten words) takes about a second to read even at a fast 400-600 words a
minute, and the longest take several. Longer would slow every check for everyone; shorter would
let a key held past its repeat delay answer the next question unread."""


def yes_to(ids: Iterable[str], answers: Answers) -> tuple[str, ...]:
    """The ids answered yes, in the order of `ids`."""
    return tuple(item for item in ids if answers.get(item) is True)


def unanswered(ids: Iterable[str], answers: Answers) -> tuple[str, ...]:
    """The ids with no answer yet, in the order of `ids`."""
    return tuple(item for item in ids if item not in answers)


class ReadGuard:
    """Which keys count as answers: only one made once the question has been on screen for
    `seconds`, with no early key since (each early key starts the wait again)."""

    def __init__(self, seconds: float = READ_SECONDS) -> None:
        self.seconds = seconds
        self.ready_at = 0.0
        """The monotonic time from which a key counts."""
        self.ignored = 0
        """Keys ignored for the question on screen now."""

    def show(self, now: float) -> None:
        """A question has just appeared."""
        self.ready_at = now + self.seconds
        self.ignored = 0

    def take(self, now: float) -> bool:
        """True when a key at `now` counts as an answer; False when it came too soon."""
        if now >= self.ready_at:
            return True
        self.ignored += 1
        self.ready_at = now + self.seconds
        return False
