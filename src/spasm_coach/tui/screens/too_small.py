"""Shown instead of the coach while the terminal is smaller than it can draw."""

from __future__ import annotations

from typing import Protocol, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static


class Guarded(Protocol):
    """The app as this screen sees it (a tui.sizing.SizeGuard)."""

    ROOMY_WIDTH: int

    @property
    def too_small(self) -> bool: ...

    def check_size(self) -> None: ...


class TooSmallScreen(Screen[None]):
    """Not a CoachScreen: coming to the top, it must neither let out the notices a safety card
    holds back nor show the unsaved line, since it only stands in until the terminal is larger."""

    def __init__(self, smallest: str) -> None:
        super().__init__()
        self.smallest = smallest
        """The sizes the app can draw, in words."""

    @property
    def guarded(self) -> Guarded:
        return cast("Guarded", self.app)

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="too-small-message")

    def on_mount(self) -> None:
        self.show(self.app.size.width, self.app.size.height)

    def on_screen_resume(self) -> None:
        if not self.guarded.too_small:
            self.app.pop_screen()

    def on_screen_suspend(self) -> None:
        """Something opened on top while the terminal is still too small: stay in front."""
        self.app.call_after_refresh(self.guarded.check_size)

    def on_resize(self, event: events.Resize) -> None:
        self.show(event.size.width, event.size.height)

    def show(self, width: int, height: int) -> None:
        needs = f"The coach needs {self.smallest}; this one is {width} x {height}."
        if self.app.is_web:  # a browser tab, perhaps on a phone: no window to drag larger
            turn = "upright" if width >= self.guarded.ROOMY_WIDTH else "sideways"
            words = (
                f"Please give the coach a little more room.\n{needs}\n"
                f"On a phone, turn it {turn}, or zoom the page out; on a computer, Ctrl and "
                "minus zooms out. Or add ?fontsize=12 to the address.\nNothing is lost."
            )
        else:
            words = (
                f"Please make the window a little larger.\n{needs}\nNothing is lost; Ctrl+C quits."
            )
        self.query_one(Static).update(words)
