"""Spoken cues through a speech engine already on the computer; the coach installs nothing.

Looked for once, at start: `espeak-ng` (Linux), `spd-say` (speech-dispatcher), `say` (macOS).
With none, spoken cues are off and Settings says how to get one. A new cue cuts off one still
being spoken, so cues never pile up behind the countdown; the last one ("Done. Well done.") is
left to finish.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from spasm_coach.clock import Clock

ENGINES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("espeak-ng", ("espeak-ng", "-s", "150")),
    ("spd-say", ("spd-say", "--wait", "--rate", "-10")),
    ("say", ("say",)),
)
"""(program, the command before the words), in the order they are tried."""
HOW_TO_GET_ONE = (
    "Spoken cues need a speech engine: on Debian or Ubuntu, sudo apt install espeak-ng; "
    "macOS has one built in (say)."
)


class Speaker(Protocol):
    name: str

    def say(self, text: str) -> None:
        """Start saying `text` and return at once."""
        ...

    def stop(self) -> None:
        """Stop whatever is being said."""
        ...


class EngineSpeaker:
    """A speech engine run as a program, one utterance at a time."""

    def __init__(self, name: str, command: tuple[str, ...]) -> None:
        self.name = name
        self.command = command
        self._speaking: subprocess.Popen[bytes] | None = None

    def say(self, text: str) -> None:
        self.stop()
        try:
            self._speaking = subprocess.Popen(
                [*self.command, text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError:
            self._speaking = None  # the engine went away: the screen still says everything

    def stop(self) -> None:
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()
        self._speaking = None


def find_speaker(which: Callable[[str], str | None] = shutil.which) -> EngineSpeaker | None:
    for program, command in ENGINES:
        path = which(program)
        if path is not None:
            return EngineSpeaker(program, (path, *command[1:]))
    return None


@dataclass
class FakeSpeaker:
    """Remembers what it was asked to say, in order, and when on `clock` (for tests and the
    benchmark); a stop is remembered as None."""

    name: str = "fake"
    clock: Clock | None = None
    said: list[str] = field(default_factory=list)
    heard: list[tuple[float, str | None]] = field(default_factory=list)
    """(the clock's monotonic time, the words said or None for a stop), in order."""

    def say(self, text: str) -> None:
        self.said.append(text)
        self.heard.append((self._now(), text))

    def stop(self) -> None:
        self.heard.append((self._now(), None))

    def _now(self) -> float:
        return self.clock.monotonic() if self.clock is not None else 0.0
