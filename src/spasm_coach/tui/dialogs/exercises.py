"""Clinic mode's dialogs: which exercise to show next, for a physio demonstrating a routine with
more than a number key can reach (or who would rather pick from the names), and Esc's "quit the
demonstration?"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option


class ExerciseChoiceScreen(ModalScreen[int | None]):
    """Returns the chosen exercise's position (from 0), or None for Esc."""

    BINDINGS = [Binding("escape,g", "dismiss(None)", "Back")]

    def __init__(self, names: list[str], current: int) -> None:
        super().__init__()
        self.names, self.current = names, current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="exercise-choice"):
            yield Static("Show which exercise?", classes="dialog-title")
            yield OptionList(
                *(
                    Option(Content(f"{number}  {name}"), id=str(number - 1))
                    for number, name in enumerate(self.names, start=1)
                ),
                id="exercise-list",
            )
            yield Static("Arrows and Enter to choose; Esc: back", id="exercise-choice-keys")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = self.current

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class LeaveDemoScreen(ModalScreen[bool]):
    """Esc asks before the demonstration closes: on a shared screen or in a browser, Esc is
    pressed for other things (leaving full screen, a menu). True: quit."""

    AUTO_FOCUS = "#stay"
    BINDINGS = [
        Binding("q,y", "dismiss(True)", "Quit"),
        Binding("escape,n", "dismiss(False)", "Stay"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="leave-demo"):
            yield Static("Quit the demonstration?", classes="dialog-title")
            yield Static("Nothing is saved in clinic mode, so nothing is lost.")
            with Vertical(classes="dialog-buttons"):
                yield Button("(esc) Stay", id="stay", compact=True, variant="primary")
                yield Button("(q) Quit", id="quit", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")
