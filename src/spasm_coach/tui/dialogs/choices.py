"""Small choices on the way into a session: the gentle routine, or the one for settled pain.
(The plan's offers of a stage to move on or back to are in plan.py.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Static

from spasm_coach.content import Routine
from spasm_coach.tui.base import CoachModal


class GentleOfferScreen(CoachModal[Routine | None]):
    """Pain of 7 or more: offer the gentle routine first."""

    BINDINGS = [
        Binding("g", "pick('gentle')", "Gentle"),
        Binding("o", "pick('other')", "Other"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, score: int, gentle: Routine, chosen: Routine) -> None:
        super().__init__()
        self.score, self.gentle, self.chosen = score, gentle, chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="gentle-offer", classes="dialog"):
            yield Static(f"Your pain is high ({self.score}/10).", classes="dialog-title")
            yield Static(
                Content(
                    f"The gentle routine is shorter and easier: {self.gentle.name}. "
                    "Start with that today?"
                )
            )
            with Vertical(classes="dialog-buttons"):
                yield Button("(g) Gentle (suggested)", id="gentle", variant="primary", compact=True)
                yield Button(Content(f"(o) {self.chosen.name}"), id="other", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_pick(event.button.id or "gentle")

    def action_pick(self, which: str) -> None:
        self.dismiss(self.gentle if which == "gentle" else self.chosen)
