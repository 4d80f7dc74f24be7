"""Heat and ice dialogs: the end alert, and quitting with a timer on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static

from spasm_coach.tui.base import CoachModal


class RemoveNowScreen(CoachModal[bool]):
    """The end of an application, shown over whatever screen is open. True: log pain now."""

    AUTO_FOCUS = "#close"
    BINDINGS = [
        Binding("p", "dismiss(True)", "Log pain"),
        Binding("enter,escape", "dismiss(False)", "Close"),
    ]

    def __init__(self, name: str, *, on_since: str | None = None) -> None:
        """`on_since`: the time it went on, when the coach was closed while it ran."""
        super().__init__()
        self.kind_name, self.on_since = name, on_since

    def compose(self) -> ComposeResult:
        title = f"TIME'S UP: REMOVE THE {self.kind_name.upper()} NOW"
        if self.on_since is not None:
            title = f"REMOVE THE {self.kind_name.upper()} NOW: it has been on since {self.on_since}"
        with Vertical(classes="dialog", id="remove-now"):
            yield Static(Content(title), id="remove-title")
            yield Static(
                "Take it off and look at your skin. If it is very red, white, blotchy, numb or "
                "sore, leave it off and let it recover."
            )
            with Vertical(classes="dialog-buttons"):
                yield Button("(p) Log how your pain is now", id="pain", compact=True)
                yield Button("(enter) Close", id="close", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "pain")


class QuitWithTimerScreen(CoachModal[bool]):
    """Quitting stops the timer and its alert, so say when to take the heat or ice off."""

    BINDINGS = [
        Binding("y", "dismiss(True)", "Quit"),
        Binding("n,escape", "dismiss(False)", "Stay"),
    ]

    def __init__(self, name: str, off_by: str) -> None:
        super().__init__()
        self.kind_name, self.off_by = name, off_by

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                Content(f"The {self.kind_name.lower()} timer is running"), classes="dialog-title"
            )
            yield Static(
                Content(
                    f"If you quit, the coach can't remind you. Take the {self.kind_name.lower()} "
                    f"off by {self.off_by}, and don't fall asleep with it on.\n\nQuit now? (y / n)"
                )
            )
