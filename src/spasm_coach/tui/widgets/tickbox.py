"""A checkbox that shows its state as a mark, and whose question wraps instead of being cut."""

from __future__ import annotations

import textwrap

from textual.content import Content
from textual.geometry import Size
from textual.widgets import Checkbox

BOX_WIDTH = 4
"""The box and the space after it; wrapped lines of the label start under the label."""


class TickBox(Checkbox):
    """An X in the box when ticked (never colour alone); a long question wraps onto more lines,
    each indented under the first, so a person can read all of it at any width."""

    DEFAULT_CSS = """
    TickBox { width: 1fr; height: auto; }
    """

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        """The mark follows the value (set before the redraw the change asks for)."""
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()

    def _label_lines(self, width: int) -> list[str]:
        room = max(width - BOX_WIDTH, 8)
        return textwrap.wrap(self.label.plain, room) or [""]

    def render(self) -> Content:
        lines = self._label_lines(self.content_region.width or self.size.width)
        label_style = self.get_visual_style("toggle--label")
        first = Content(lines[0]).stylize_before(label_style)
        rest = [Content(" " * BOX_WIDTH + line).stylize_before(label_style) for line in lines[1:]]
        return Content("\n").join([Content.assemble(self._button, " ", first), *rest])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._label_lines(width))
