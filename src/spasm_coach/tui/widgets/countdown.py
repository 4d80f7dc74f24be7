"""The big countdown: Textual's Digits, and twice the size when the terminal has room."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Digits, Static

BLOCK_FONT = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", "███", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", "  █", "  █", "  █"),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
    ":": ("   ", " █ ", "   ", " █ ", "   "),
}
BIG_SCALE = 2
"""The block font drawn at twice its size: 10 rows, 6 columns a digit."""


def big_text(value: str, scale: int = BIG_SCALE) -> str:
    rows = []
    for row in range(5):
        line = " ".join("".join(cell * scale for cell in BLOCK_FONT[char][row]) for char in value)
        rows.extend([line] * scale)
    return "\n".join(rows)


def clock_face(seconds: int) -> str:
    """'25' under a minute, '1:05' above."""
    minutes, rest = divmod(max(seconds, 0), 60)
    return f"{minutes}:{rest:02d}" if minutes else str(rest)


class Countdown(Widget):
    """Whole seconds left. Redraws only when the number shown changes."""

    DEFAULT_CSS = """
    Countdown { height: auto; width: 1fr; }
    Countdown > Digits { width: auto; }
    Countdown > #big { display: none; width: auto; }
    Countdown.-big > Digits { display: none; }
    Countdown.-big > #big { display: block; }
    """

    seconds: reactive[int] = reactive(0, init=False)
    """Seconds left in the current step."""

    def compose(self) -> ComposeResult:
        yield Digits(clock_face(self.seconds))
        yield Static(big_text(clock_face(self.seconds)), id="big")

    def watch_seconds(self, seconds: int) -> None:
        face = clock_face(seconds)
        self.query_one(Digits).update(face)
        self.query_one("#big", Static).update(big_text(face))
