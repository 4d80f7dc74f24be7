"""What stands between the person and a session today: a warning sign earlier, or the advice
to stop stretching. Each shows its card in full; neither covers a card with anything."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.content import Content as ClinicalContent
from spasm_coach.content import Region
from spasm_coach.records import SafetyNote, Screening
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.cards import stop_card, warning_card
from spasm_coach.tui.text import plain

CLEARANCE_QUESTION = (
    "A session today needs this: has a doctor or nurse checked you since then, and said you can "
    "exercise?"
)


class ClearanceScreen(CoachScreen[bool]):
    """True when the person confirms a clinician has seen them since and said they may
    exercise."""

    shows_safety_card = True

    BINDINGS = [
        Binding("y", "dismiss(True)", "Yes, I've been checked"),
        Binding("escape,n", "dismiss(False)", "No: home"),
    ]

    AUTO_FOCUS = ""

    def __init__(
        self, content: ClinicalContent, warning: Screening, region: Region | None, when: str
    ) -> None:
        super().__init__()
        self.clinical, self.warning, self.where, self.when = content, warning, region, when

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="clearance", classes=f"-{self.warning.level.value}"):
            yield Static(
                warning_card(self.clinical, self.warning, self.where, self.when),
                id="clearance-card",
            )
            yield Static(plain(CLEARANCE_QUESTION), id="clearance-question")
            with Horizontal(id="clearance-buttons"):
                yield Button("(y) Yes, I've been checked", id="yes", variant="primary")
                yield Button("(n) No: home", id="no")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class StopForTodayScreen(CoachScreen[bool]):
    """True when the person chooses the breathing and relaxation routine instead."""

    shows_safety_card = True

    BINDINGS = [
        Binding("r", "dismiss(True)", "Breathe and relax"),
        Binding("escape", "dismiss(False)", "Home"),
    ]

    AUTO_FOCUS = ""

    def __init__(self, note: SafetyNote, routine_name: str, when: str) -> None:
        super().__init__()
        self.note, self.routine_name, self.when = note, routine_name, when

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stop-for-today"):
            yield Static(stop_card(self.note, self.when), id="stop-card")
            with Horizontal(id="stop-buttons"):
                yield Button(Content(f"(r) {self.routine_name}"), id="relax", variant="primary")
                yield Button("(esc) Home", id="go-home")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "relax")
