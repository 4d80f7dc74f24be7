"""Text for the screen that is never read as markup: whatever comes from a file, the log or the
person (a routine named "Rehab [/week 1]", a note) shows exactly as written.

Screens build Textual `Content` with these helpers instead of markup strings.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from spasm_coach.guard import safe_text


def heading(text: str) -> Content:
    return Content.styled(text, "bold")


def headed(title: str, lines: Iterable[str]) -> Content:
    """A bold heading over plain lines."""
    return Content.assemble(heading(title), "\n", "\n".join(lines))


def bullet_card(title: str, lines: Iterable[str]) -> Content:
    """A bold title over indented bullet lines (the cauda-equina card, advice cards)."""
    return Content.assemble(heading(title), "\n", "\n".join(f"  - {line}" for line in lines))


def labelled(label: str, text: str) -> Content:
    """'Label: text' with the label in bold: 'How: ...', 'Stop if: ...'."""
    return Content.assemble(heading(label), " ", text)


def plain(text: str) -> Content:
    """Text as written, through the text guard: a control character shows as U+FFFD."""
    return Content(safe_text(text))
