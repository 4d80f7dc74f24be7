"""The line that says what is not saved yet, and why, while the log refuses writes."""

from __future__ import annotations

from textual.widgets import Static


class UnsavedBanner(Static):
    """Docked at the bottom of the screen above the keys; shown only while something waits."""

    DEFAULT_CSS = """
    UnsavedBanner {
        dock: bottom;
        height: auto;
        max-height: 5;
        background: $error;
        color: $text;
        padding: 0 1;
        display: none;
    }
    UnsavedBanner.-shown { display: block; }
    """
