"""What stands between the person and a session: a warning sign not yet cleared, or the advice
to stop stretching today. Each shows its card in full; nothing covers a card."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.answers import ReadGuard
from spasm_coach.content import Content as ClinicalContent
from spasm_coach.content import Region
from spasm_coach.records import SafetyNote, Screening
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.cards import READ_FIRST, stop_card, warning_card
from spasm_coach.tui.text import plain

CLEARANCE_QUESTION = (
    "A session needs this first: has a doctor or nurse checked you since then, and said you "
    "can exercise?"
)
HEAT_ICE_QUESTION = (
    "Heat or ice can ease the pain while you get help, but it does nothing for this warning "
    "sign. Go on to heat or ice?"
)


class WarningCardScreen(CoachScreen[bool]):
    """A warning sign standing, in full, and one question about it: True for a yes given on
    purpose (a key once the card has been on screen long enough to read)."""

    shows_safety_card = True

    BINDINGS = [
        Binding("y", "answer", "Yes"),
        Binding("escape,n", "dismiss(False)", "No: home"),
    ]

    AUTO_FOCUS = ""

    def __init__(
        self,
        content: ClinicalContent,
        warning: Screening,
        region: Region | None,
        when: str,
        question: str,
        yes: str,
    ) -> None:
        super().__init__()
        self.clinical, self.warning, self.where, self.when = content, warning, region, when
        self.question, self.yes_label = question, yes
        self.guard = ReadGuard()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="clearance", classes=f"-{self.warning.level.value}"):
            yield Static(
                warning_card(self.clinical, self.warning, self.where, self.when),
                id="clearance-card",
            )
            yield Static(plain(self.question), id="clearance-question")
            with Horizontal(id="clearance-buttons"):
                yield Button(plain(f"(y) {self.yes_label}"), id="yes", variant="primary")
                yield Button("(n) No: home", id="no")
            yield Static(id="too-quick")
        yield Footer()

    def on_mount(self) -> None:
        self.guard.show(self.coach.clock.monotonic())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "yes":
            self.action_answer()
        else:
            self.dismiss(False)

    def action_answer(self) -> None:
        if self.guard.take(self.coach.clock.monotonic()):
            self.dismiss(True)
            return
        note = self.query_one("#too-quick", Static)
        note.update(READ_FIRST)
        note.display = True


class ClearanceScreen(WarningCardScreen):
    """True when the person confirms a clinician has seen them since and said they may
    exercise."""

    def __init__(
        self, content: ClinicalContent, warning: Screening, region: Region | None, when: str
    ) -> None:
        super().__init__(
            content, warning, region, when, CLEARANCE_QUESTION, "Yes, I've been checked"
        )


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
