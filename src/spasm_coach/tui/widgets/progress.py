"""How far through the session: a one-line bar that redraws only the cells that changed.

Textual's ProgressBar redraws its whole line (and a percentage) whenever its value moves, which
during a hold is most seconds; this bar changes a cell at a time, so a session costs the
terminal a few bytes a second.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

DONE, TO_DO = "━", "─"
"""Different characters as well as colours, so the bar reads without colour (NO_COLOR)."""


class SessionProgress(Widget):
    DEFAULT_CSS = """
    SessionProgress { height: 1; width: 1fr; color: $primary; }
    SessionProgress > .session-progress--to-do { color: $foreground-darken-3; }
    """
    COMPONENT_CLASSES = {"session-progress--to-do"}

    fraction: reactive[float] = reactive(0.0, repaint=False)
    """Between 0 (not started) and 1 (finished)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._filled = 0

    def filled(self) -> int:
        """Cells drawn as done: a cell counts once it is fully passed."""
        return int(min(max(self.fraction, 0.0), 1.0) * self.size.width)

    def watch_fraction(self) -> None:
        filled = self.filled()
        if filled != self._filled:
            low, high = sorted((filled, self._filled))
            self._filled = filled
            self.refresh(Region(low, 0, high - low, 1))

    def on_resize(self) -> None:
        self._filled = self.filled()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != 0 or width == 0:
            return Strip.blank(width)
        filled = self.filled()
        done = self.rich_style
        to_do = self.get_component_rich_style("session-progress--to-do")
        return Strip(
            [Segment(DONE * filled, done), Segment(TO_DO * (width - filled), to_do)], width
        )
