"""The countdown: whole seconds left, in block digits as big as the space allows."""

from __future__ import annotations

from textual.reactive import reactive

from spasm_coach.tui.widgets.bigtext import BigText


def clock_face(seconds: int) -> str:
    """'25' under a minute, '1:05' above."""
    minutes, rest = divmod(max(seconds, 0), 60)
    return f"{minutes}:{rest:02d}" if minutes else str(rest)


class Countdown(BigText):
    """Redraws only when the number shown changes (once a second at most)."""

    DEFAULT_CSS = """
    Countdown { height: 2fr; min-height: 5; width: 1fr; }
    """

    seconds: reactive[int] = reactive(0, init=False)
    """Seconds left in the current step."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(clock_face(0), biggest=8, **kwargs)

    def watch_seconds(self, seconds: int) -> None:
        self.text = clock_face(seconds)
