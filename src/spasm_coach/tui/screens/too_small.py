"""Shown instead of the coach while the terminal is smaller than it can draw."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from spasm_coach.tui.app import CoachApp


class TooSmallScreen(Screen[None]):
    """Not a CoachScreen: coming to the top, it must neither let out the notices a safety card
    holds back nor show the unsaved line, since it only stands in until the terminal is larger."""

    def __init__(self, min_width: int, min_height: int) -> None:
        super().__init__()
        self.min_width, self.min_height = min_width, min_height

    @property
    def app(self) -> CoachApp:  # type: ignore[override]  # Textual types it as any App
        return cast("CoachApp", super().app)

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="too-small-message")

    def on_mount(self) -> None:
        self.show(self.app.size.width, self.app.size.height)

    def on_screen_resume(self) -> None:
        if not self.app.too_small:
            self.app.pop_screen()

    def on_screen_suspend(self) -> None:
        """Something opened on top while the terminal is still too small: stay in front."""
        self.app.call_after_refresh(self.app.check_size)

    def on_resize(self, event: events.Resize) -> None:
        self.show(event.size.width, event.size.height)

    def show(self, width: int, height: int) -> None:
        self.query_one(Static).update(
            "Please make the window a little larger.\n"
            f"The coach needs {self.min_width} x {self.min_height}; "
            f"this one is {width} x {height}.\nNothing is lost; Ctrl+C quits."
        )
