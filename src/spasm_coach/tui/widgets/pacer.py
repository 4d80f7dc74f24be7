"""The breath pacer: words first (never colour alone), and a bar that fills with the breath."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

BAR_WIDTH = 20
"""Cells in the bar; the player wakes for each one that fills or empties, and no more often."""


def pacer_words(direction: str, fraction: float, reduced_motion: bool) -> str:
    words = "Breathe in  (slowly)" if direction == "in" else "Breathe out (slowly)"
    if reduced_motion:
        return words
    filled = round(fraction * BAR_WIDTH)
    if direction == "out":
        filled = BAR_WIDTH - filled
    return f"{words}  [{'=' * filled}{' ' * (BAR_WIDTH - filled)}]"


class BreathPacer(Static):
    """Shows 'Breathe in' or 'Breathe out' and how far through that breath the person is."""

    breath: reactive[tuple[str, float] | None] = reactive(None, always_update=True, repaint=False)
    """('in' | 'out', fraction through it), or None when this step isn't paced."""

    def __init__(self, *, reduced_motion: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reduced_motion = reduced_motion
        self._words: str | None = None

    def watch_breath(self, breath: tuple[str, float] | None) -> None:
        words = None if breath is None else pacer_words(*breath, self.reduced_motion)
        if words == self._words:
            return  # the same cell as before: nothing to redraw
        self._words = words
        self.display = words is not None
        if words is not None:
            self.update(Content(words))
