"""Bare Textual apps, the floor the coach is measured against: `python -m bench.bare_apps WHAT`.

bare             Header, a Static and Footer in a real terminal, until killed
bare-headless    the same app headless, gone after its first frame
digits SECONDS   a countdown in Textual's Digits, updated once a second, in a real terminal
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import Digits, Footer, Header, Static

BARE_TEXT = "A bare Textual app"


class Bare(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(BARE_TEXT)
        yield Footer()


class Countdown(App):
    CSS = "Screen { align: center middle; } Digits { width: auto; }"

    def __init__(self, seconds: int) -> None:
        super().__init__()
        self.left = seconds

    def compose(self) -> ComposeResult:
        yield Digits(str(self.left))

    def on_mount(self) -> None:
        self.set_interval(1, self.tick)

    def tick(self) -> None:
        self.left = max(self.left - 1, 0)
        self.query_one(Digits).update(str(self.left))


async def first_frame_then_exit(pilot) -> None:
    await pilot.pause()
    pilot.app.exit()


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "bare":
        Bare().run()
    elif what == "bare-headless":
        Bare().run(headless=True, size=(100, 30), auto_pilot=first_frame_then_exit)
    elif what == "digits":
        Countdown(int(sys.argv[2])).run()
    else:
        raise SystemExit(f"unknown app {what!r}")
