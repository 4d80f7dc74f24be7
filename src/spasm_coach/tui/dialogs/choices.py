"""Small choices on the way into a session: personal cautions, and the gentle routine offer.
(The plan's offers of a stage to move on or back to are in plan.py.)"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Static

from spasm_coach.content import Routine
from spasm_coach.tui.base import CoachModal
from spasm_coach.tui.labels import CONDITION_LABELS
from spasm_coach.tui.widgets.tickbox import TickBox
from spasm_coach.vocabulary import CONDITIONS


class CautionsScreen(CoachModal[tuple[str, ...] | None]):
    """Asked once and remembered; the session then modifies or leaves out exercises."""

    AUTO_FOCUS = "#save"

    BINDINGS = [
        *(
            Binding(str(number), f"tick({number})", show=False)
            for number in range(1, len(CONDITIONS) + 1)
        ),
        Binding("enter", "save", "Save"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    def __init__(self, chosen: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical(id="cautions", classes="dialog"):
            yield Static("Does any of these apply to you?", classes="dialog-title")
            yield Static(
                "The coach changes or leaves out stretches that don't suit them. "
                "It asks once and remembers; change it later in the settings file."
            )
            for number, condition in enumerate(CONDITIONS, start=1):
                yield TickBox(
                    f"({number}) {CONDITION_LABELS[condition]}",
                    value=condition in self.chosen,
                    id=condition,
                    compact=True,
                )
            with Vertical(classes="dialog-buttons"):
                yield Button("(enter) Save", id="save", variant="primary", compact=True)

    def action_tick(self, number: int) -> None:
        self.query_one(f"#{CONDITIONS[number - 1]}", Checkbox).toggle()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(tuple(c for c in CONDITIONS if self.query_one(f"#{c}", Checkbox).value))


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
