"""Big block letters for reading across a room: the countdown and the step's word.

A 3x5 font of full blocks, drawn at a whole-number scale that fits the space the widget has, so
a larger terminal gets larger letters. Plain characters only: nothing here is markup, and the
words never depend on colour.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
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


MERGE_GAP = 4
"""Changed cells this close together on a line are redrawn as one run: a cursor move costs
about as much as a few cells."""


def place(
    lines: list[str], text_width: int, room: Size, horizontal: str, vertical: str
) -> list[str]:
    """`lines` set in a `room`-sized grid of spaces, aligned as content-align says."""
    width, height = room
    left = {"left": 0, "center": (width - text_width) // 2}.get(horizontal, width - text_width)
    top = {"top": 0, "middle": (height - len(lines)) // 2}.get(vertical, height - len(lines))
    blank = " " * width
    body = [(" " * left + line).ljust(width) for line in lines]
    return [blank] * top + body + [blank] * (height - top - len(lines))


def changed_regions(before: list[str], after: list[str]) -> list[Region]:
    """The parts of a grid that differ between two drawings of the same size: runs of changed
    cells on each line, with a run repeated on the lines below it as one taller region."""
    runs: list[tuple[int, int, int]] = []  # (y, start, end)
    for y, (old, new) in enumerate(zip(before, after, strict=True)):
        start = end = None
        for x, (was, now) in enumerate(zip(old, new, strict=True)):
            if was == now:
                continue
            if start is not None and end is not None and x - end <= MERGE_GAP:
                end = x + 1
                continue
            if start is not None and end is not None:
                runs.append((y, start, end))
            start, end = x, x + 1
        if start is not None and end is not None:
            runs.append((y, start, end))
    regions: list[Region] = []
    for y, start, end in runs:
        last = regions[-1] if regions else None
        if last is not None and (last.x, last.right, last.bottom) == (start, end, y):
            regions[-1] = Region(start, last.y, end - start, last.height + 1)
        else:
            regions.append(Region(start, y, end - start, 1))
    return regions


class BigText(Widget):
    """Words in block letters as big as the widget's space allows; plain bold words when even
    the smallest block letters don't fit (a narrow terminal, a long word).

    When the words change, only the lines that changed are redrawn, each up to its last changed
    cell (Textual writes a line of a widget from the widget's left edge).
    """

    DEFAULT_CSS = """
    BigText { height: 1fr; width: 1fr; }
    """

    text: reactive[str] = reactive("", repaint=False)
    """What to show; redrawn only where it changes (or all of it when the widget is resized)."""

    def __init__(self, text: str = "", *, biggest: int = 8, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.biggest = biggest
        self.set_reactive(BigText.text, text)
        self._drawn: list[str] | None = None
        """The grid on screen now; None when the words are shown plain."""

    @property
    def scale(self) -> int:
        if not drawable(self.text):
            return 0
        return best_scale(self.text, self.content_size, self.biggest)

    def grid(self) -> list[str] | None:
        """The block letters placed in the content area, one string a row, as wide as it; None
        when even the smallest don't fit."""
        scale = self.scale
        if scale == 0:
            return None
        styles = self.styles
        return place(
            big_lines(self.text, scale),
            big_width(self.text, scale),
            self.content_size,
            styles.content_align_horizontal,
            styles.content_align_vertical,
        )

    def watch_text(self) -> None:
        before, after = self._drawn, self.grid()
        if (
            before is None
            or after is None
            or [len(row) for row in before] != [len(row) for row in after]
        ):
            self.refresh()
        elif regions := changed_regions(before, after):
            self.refresh(*regions)

    def render(self) -> Content:
        self._drawn = self.grid()
        if self._drawn is None:
            return Content.styled(self.text, "bold")
        return Content("\n".join(self._drawn))
