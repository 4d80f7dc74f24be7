"""How to do the exercise on screen, in full: for a terminal too small to show it beside the
countdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from spasm_coach.tui.base import CoachModal


class HowToScreen(CoachModal[None]):
    BINDINGS = [Binding("escape,i,enter", "dismiss(None)", "Back to the countdown")]

    def __init__(self, name: str, text: Content) -> None:
        super().__init__()
        self.name_words, self.text = name, text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="how-to"):
            yield Static(Content(self.name_words), classes="dialog-title")
            yield Static(self.text)
            yield Static("i or Esc: back to the countdown (it keeps running)", id="how-to-keys")
