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
    """An app that shows TooSmallScreen while the terminal is smaller than it can draw. Call
    `guard_size` once the first screen is up.

    Two shapes fit: at least ROOMY_WIDTH x MIN_HEIGHT, or narrower down to MIN_WIDTH when there
    are SLIM_MIN_HEIGHT rows, as on a phone held upright in browser mode (about 40-45 columns
    and 40 rows or more). Under ROOMY_WIDTH every screen has the class '-slim' (rows of buttons
    share the width or stack; see app.tcss)."""

    ROOMY_WIDTH: ClassVar[int] = 60
    MIN_WIDTH: ClassVar[int] = 40
    MIN_HEIGHT: ClassVar[int] = 20
    SLIM_MIN_HEIGHT: ClassVar[int] = 30
    HORIZONTAL_BREAKPOINTS = [(0, "-slim"), (ROOMY_WIDTH, "-roomy")]

    _size_watched = False
    _terminal_size: Size | None = None
    """The size from the latest resize event (App.size can lag behind it)."""

    def on_resize(self, event: events.Resize) -> None:
        self._terminal_size = event.size
        self.check_size()

    @property
    def too_small(self) -> bool:
        width, height = self._terminal_size or self.size
        if width < self.ROOMY_WIDTH:
            return width < self.MIN_WIDTH or height < self.SLIM_MIN_HEIGHT
        return height < self.MIN_HEIGHT

    def smallest_sizes(self) -> str:
        """'60 x 20 (or 40 x 30 on a phone held upright)': the shapes the app can draw."""
        return (
            f"{self.ROOMY_WIDTH} x {self.MIN_HEIGHT} characters (or {self.MIN_WIDTH} x "
            f"{self.SLIM_MIN_HEIGHT} on a phone held upright)"
        )

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
            self.push_screen(TooSmallScreen(self.smallest_sizes()))
        elif not self.too_small and on_top:
            self.pop_screen()
