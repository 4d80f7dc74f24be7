"""The breath pacer: words first (never colour alone), and a bar that fills with the breath."""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

BAR_WIDTH = 20


class BreathPacer(Static):
    """Shows 'Breathe in' or 'Breathe out' and how far through that breath the person is."""

    breath: reactive[tuple[str, float] | None] = reactive(None)
    """('in' | 'out', fraction through it), or None when this step isn't paced."""

    def __init__(self, *, reduced_motion: bool, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.reduced_motion = reduced_motion

    def watch_breath(self, breath: tuple[str, float] | None) -> None:
        self.display = breath is not None
        if breath is None:
            return
        direction, fraction = breath
        words = "Breathe in  (slowly)" if direction == "in" else "Breathe out (slowly)"
        if self.reduced_motion:
            self.update(words)
            return
        filled = round(fraction * BAR_WIDTH)
        if direction == "out":
            filled = BAR_WIDTH - filled
        self.update(Content(f"{words}  [{'=' * filled}{' ' * (BAR_WIDTH - filled)}]"))
