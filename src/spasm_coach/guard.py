"""The one guard for text from outside the program on its way out.

Every string that comes from a file, the log, an argument or the person and is shown in the
terminal (a message, a command's output, a screen) or written into a page, a Markdown handout
or a CSV cell goes through `safe_text`. A control character (C0, DEL or C1) is what starts a
terminal's escape sequences (ESC, CSI U+009B, OSC U+009D ...), rings its bell, or moves its
cursor, so each one is shown as U+FFFD instead: the sequence is broken and what is left of it
shows as plain text, never as a command. A lone surrogate (a byte that was not UTF-8 in an
argument or a file name) is shown the same way, since no stream could write it.
"""

from __future__ import annotations

import re

MARK = "\N{REPLACEMENT CHARACTER}"
"""What a control character is shown as."""
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters other than tab and line feed, and lone surrogates."""
LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""The same, with tab and line feed too: for text that must stay on one line."""


def safe_text(text: str, *, one_line: bool = False) -> str:
    """`text` safe to show in a terminal or to write into a page, a handout or a CSV cell.

    Control characters and lone surrogates show as U+FFFD; a Windows line end is a line end.
    Text of several lines keeps its line feeds and tabs; with `one_line` (a message, a table
    row) they become spaces, so one message is always one line.
    """
    if text.isprintable():
        return text  # the common case: nothing to change
    if one_line:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
        return LINE_CONTROL.sub(MARK, text)
    return CONTROL.sub(MARK, text.replace("\r\n", "\n"))


def has_control(text: str) -> bool:
    """`text` holds a control character other than tab and line feed (or a lone surrogate):
    typed or imported text like this is refused rather than kept."""
    return CONTROL.search(text) is not None
