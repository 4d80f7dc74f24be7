"""A calm 'make the window larger' message, kept on top while the terminal is too small to draw
the app's screens; it goes by itself when the window grows again."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.app import App
from textual.geometry import Size

from spasm_coach.tui.screens.too_small import TooSmallScreen

ReturnT = TypeVar("ReturnT")


class SizeGuard(App[ReturnT]):
    """An app that shows TooSmallScreen below MIN_WIDTH x MIN_HEIGHT. Call `guard_size` once
    the first screen is up."""

    MIN_WIDTH: ClassVar[int] = 60
    MIN_HEIGHT: ClassVar[int] = 20

    _size_watched = False
    _terminal_size: Size | None = None
    """The size from the latest resize event (App.size can lag behind it)."""

    def on_resize(self, event: events.Resize) -> None:
        self._terminal_size = event.size
        self.check_size()

    @property
    def too_small(self) -> bool:
        width, height = self._terminal_size or self.size
        return width < self.MIN_WIDTH or height < self.MIN_HEIGHT

    def guard_size(self) -> None:
        self._size_watched = True
        self.check_size()

    def check_size(self) -> None:
        """Keep the message on top while the terminal is too small.

        A message left under another screen (a dialog opened meanwhile) closes itself when it
        comes back to the top in a terminal that is large enough again (TooSmallScreen).
        """
        if not self._size_watched:
            return  # the first screen isn't up yet: the message would end up under it
        on_top = isinstance(self.screen, TooSmallScreen)
        if self.too_small and not on_top:
            self.push_screen(TooSmallScreen(self.MIN_WIDTH, self.MIN_HEIGHT))
        elif not self.too_small and on_top:
            self.pop_screen()
