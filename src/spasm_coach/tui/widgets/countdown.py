"""The countdown: whole seconds left, in block digits as big as the space allows.

Each character is its own small widget. Textual redraws a changed line of a widget from the
widget's left edge, so a countdown drawn as one wide widget would resend most of its width every
second; drawn a digit a widget, going from 25 to 24 resends only the lines of the last digit
that change. That keeps a hold down to a few hundred bytes a second to the terminal.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from spasm_coach.tui.widgets.bigtext import (
    ROWS,
    best_scale,
    big_lines,
    big_width,
    changed_regions,
    drawable,
)

LONGEST = 5
"""Characters in the longest face shown ('10:00'); a hold is never that long."""


def clock_face(seconds: int) -> str:
    """'25' under a minute, '1:05' above."""
    minutes, rest = divmod(max(seconds, 0), 60)
    return f"{minutes}:{rest:02d}" if minutes else str(rest)


class Glyph(Widget):
    """One character of the countdown in block letters at the countdown's scale; at scale 0
    (no room for blocks) the first glyph shows the whole face as plain bold text."""

    DEFAULT_CSS = """
    Glyph { width: auto; height: auto; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.char = ""
        self.scale = 1
        self.plain = ""
        """The whole face, when there is no room for block letters."""

    def get_content_width(self, container: Size, viewport: Size) -> int:
        if self.plain:
            return len(self.plain)
        return big_width(self.char, self.scale) if self.char else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.plain:
            return 1
        return ROWS * self.scale if self.char else 0

    def lines(self) -> list[str]:
        return big_lines(self.char, self.scale) if self.char else []

    def show(self, char: str, scale: int) -> None:
        """Draw `char`: only its changed lines when the shape keeps its size, else afresh."""
        if char == self.char and scale == self.scale and not self.plain:
            return
        same_size = (
            not self.plain
            and bool(char and self.char)
            and scale == self.scale
            and big_width(char, scale) == big_width(self.char, scale)
        )
        before = self.lines()
        self.plain = ""
        self.char, self.scale = char, scale
        self.display = bool(char)
        if not same_size:
            self.refresh(layout=True)
            return
        width = big_width(char, scale)
        padded = [line.ljust(width) for line in self.lines()]
        if regions := changed_regions([line.ljust(width) for line in before], padded):
            self.refresh(*regions)

    def show_plain(self, face: str) -> None:
        self.plain, self.char = face, ""
        self.display = True
        self.refresh(layout=True)

    def render(self) -> Content:
        if self.plain:
            return Content.styled(self.plain, "bold")
        return Content("\n".join(self.lines()))


class Countdown(Widget):
    """Redraws only what changed, once a second at most."""

    DEFAULT_CSS = """
    Countdown {
        height: 2fr;
        min-height: 5;
        width: 1fr;
        layout: horizontal;
        align: center middle;
    }
    """

    seconds: reactive[int] = reactive(0, init=False, repaint=False)
    """Seconds left in the current step."""

    def __init__(self, *, biggest: int = 8, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.biggest = biggest
        self.face = clock_face(0)
        self._spacing = 0
        """The scale the gaps between letters were set for."""

    def compose(self) -> ComposeResult:
        for _ in range(LONGEST):
            yield Glyph()

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def watch_seconds(self, seconds: int) -> None:
        self.face = clock_face(seconds)
        self._draw()

    @property
    def scale(self) -> int:
        return best_scale(self.face, self.content_size, self.biggest) if drawable(self.face) else 0

    def _draw(self) -> None:
        glyphs = list(self.query_children(Glyph))
        scale = self.scale
        if scale == 0:
            glyphs[0].show_plain(self.face)
            for glyph in glyphs[1:]:
                glyph.show("", 1)
            return
        if scale != self._spacing:
            self._spacing = scale
            for glyph in glyphs[1:]:
                glyph.styles.margin = (0, 0, 0, scale)  # the gap between letters
        for index, glyph in enumerate(glyphs):
            glyph.show(self.face[index] if index < len(self.face) else "", scale)
