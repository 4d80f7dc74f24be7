"""A checkbox that shows its state as a mark, not only as a colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def BUTTON_INNER(self) -> str:
        return "X" if self.value else " "
