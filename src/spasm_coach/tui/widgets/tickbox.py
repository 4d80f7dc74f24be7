"""A checkbox that shows its state as a mark, not only as a colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    BUTTON_INNER = " "

    def watch_value(self) -> None:
        """The mark follows the value (set before the redraw the change asks for)."""
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()
