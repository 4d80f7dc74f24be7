"""A problem with the pain log, said plainly, over whatever is open."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static

from spasm_coach.tui.base import CoachModal


class ProblemScreen(CoachModal[None]):
    BINDINGS = [Binding("enter,escape", "dismiss(None)", "OK")]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_words, self.message = title, message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="problem"):
            yield Static(Content(self.title_words), classes="dialog-title")
            yield Static(Content(self.message))
            with Vertical(classes="dialog-buttons"):
                yield Button("(enter) OK", id="ok", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)


class UnsavedQuitScreen(CoachModal[bool]):
    """Quitting while the log still refuses some entries. True: quit (they go to a file)."""

    BINDINGS = [
        Binding("q", "dismiss(True)", "Quit anyway"),
        Binding("w,escape", "dismiss(False)", "Wait"),
    ]

    def __init__(self, words: str) -> None:
        super().__init__()
        self.words = words

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unsaved-quit"):
            yield Static("Some of what you entered is not saved yet", classes="dialog-title")
            yield Static(Content(self.words))
            yield Static(
                "Wait, and the coach keeps trying. Or quit: what is not saved goes into a "
                "private file you can add to the log later with spasm-coach import."
            )
            with Vertical(classes="dialog-buttons"):
                yield Button("(w) Wait", id="wait", compact=True, variant="primary")
                yield Button("(q) Quit anyway", id="quit", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")
