"""Big block letters for reading across a room: the countdown and the step's word.

A 3x5 font of full blocks, drawn at a whole-number scale that fits the space the widget has, so
a larger terminal gets larger letters. Plain characters only: nothing here is markup, and the
words never depend on colour.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

FONT: dict[str, tuple[str, str, str, str, str]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    "A": (" # ", "# #", "###", "# #", "# #"),
    "B": ("## ", "# #", "## ", "# #", "## "),
    "C": ("###", "#  ", "#  ", "#  ", "###"),
    "D": ("## ", "# #", "# #", "# #", "## "),
    "E": ("###", "#  ", "## ", "#  ", "###"),
    "F": ("###", "#  ", "## ", "#  ", "#  "),
    "G": ("###", "#  ", "# #", "# #", "###"),
    "H": ("# #", "# #", "###", "# #", "# #"),
    "I": ("###", " # ", " # ", " # ", "###"),
    "J": ("  #", "  #", "  #", "# #", "###"),
    "K": ("# #", "# #", "## ", "# #", "# #"),
    "L": ("#  ", "#  ", "#  ", "#  ", "###"),
    "M": ("# #", "###", "###", "# #", "# #"),
    "N": ("## ", "# #", "# #", "# #", "# #"),
    "O": ("###", "# #", "# #", "# #", "###"),
    "P": ("###", "# #", "###", "#  ", "#  "),
    "Q": ("###", "# #", "# #", "###", "  #"),
    "R": ("## ", "# #", "## ", "# #", "# #"),
    "S": ("###", "#  ", "###", "  #", "###"),
    "T": ("###", " # ", " # ", " # ", " # "),
    "U": ("# #", "# #", "# #", "# #", "###"),
    "V": ("# #", "# #", "# #", "# #", " # "),
    "W": ("# #", "# #", "###", "###", "# #"),
    "X": ("# #", "# #", " # ", "# #", "# #"),
    "Y": ("# #", "# #", "###", " # ", " # "),
    "Z": ("###", "  #", " # ", "#  ", "###"),
    " ": ("   ", "   ", "   ", "   ", "   "),
    ":": (" ", "#", " ", "#", " "),
    "-": ("   ", "   ", "###", "   ", "   "),
    "'": ("#", "#", " ", " ", " "),
    ".": (" ", " ", " ", " ", "#"),
    ",": (" ", " ", " ", "#", "#"),
    "(": (" #", "# ", "# ", "# ", " #"),
    ")": ("# ", " #", " #", " #", "# "),
}
ROWS = 5
BLOCK = "█"


def drawable(text: str) -> bool:
    return all(char in FONT for char in text.upper())


def big_width(text: str, scale: int) -> int:
    """Columns `text` takes at `scale`: each glyph, and a blank column between glyphs."""
    glyphs = [FONT[char] for char in text.upper()]
    return sum(len(glyph[0]) * scale for glyph in glyphs) + max(len(glyphs) - 1, 0) * scale


def big_lines(text: str, scale: int) -> list[str]:
    """`text` in block letters, `5 * scale` lines tall."""
    glyphs = [FONT[char] for char in text.upper()]
    rows = []
    for row in range(ROWS):
        cells = (
            "".join((BLOCK if mark == "#" else " ") * scale for mark in glyph[row])
            for glyph in glyphs
        )
        line = (" " * scale).join(cells).rstrip()
        rows.extend([line] * scale)
    return rows


def best_scale(text: str, room: Size, biggest: int = 8) -> int:
    """The largest scale at which `text` fits `room`; 0 when even the smallest doesn't."""
    for scale in range(biggest, 0, -1):
        if big_width(text, scale) <= room.width and ROWS * scale <= room.height:
            return scale
    return 0


class BigText(Widget):
    """Words in block letters as big as the widget's space allows; plain bold words when even
    the smallest block letters don't fit (a narrow terminal, a long word)."""

    DEFAULT_CSS = """
    BigText { height: 1fr; width: 1fr; }
    """

    text: reactive[str] = reactive("")
    """What to show; redrawn only when it changes (or the widget is resized)."""

    def __init__(self, text: str = "", *, biggest: int = 8, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.biggest = biggest
        self.set_reactive(BigText.text, text)

    @property
    def scale(self) -> int:
        if not drawable(self.text):
            return 0
        return best_scale(self.text, self.content_size, self.biggest)

    def render(self) -> Content:
        scale = self.scale
        if scale == 0:
            return Content.styled(self.text, "bold")
        return Content("\n".join(big_lines(self.text, scale)))
