"""Clinic mode, before anything else: a warning sign standing in this data folder's pain log.

Clinic mode reads and writes no log of its own, but a physiotherapist demonstrating on the
person's own computer must know of a warning that stands (an emergency or urgent answer not yet
cleared by a clinician). Its card comes first, and one key (y, once the card has been on screen
long enough to read) confirms a clinician is present; q leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from spasm_coach.answers import ReadGuard
from spasm_coach.tui.cards import READ_FIRST, warning_card
from spasm_coach.tui.text import heading, plain

if TYPE_CHECKING:
    from spasm_coach.content import Content, Region
    from spasm_coach.records import Screening
    from spasm_coach.tui.coach import Demo

CONFIRM = (
    "A demonstration needs a clinician present. Press y to confirm one is here with this "
    "person, or q to quit."
)
UNREADABLE = (
    "The pain log in this data folder can't be read ({problem}), so a warning sign standing in "
    "it can't be ruled out."
)


class ClinicWarningScreen(Screen[None]):
    """The standing warning (or the log that can't be read), then y to go on to the demo."""

    shows_safety_card = True

    BINDINGS = [
        Binding("y", "confirm", "A clinician is here"),
        Binding("q,escape", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        content: Content,
        warning: Screening | None,
        region: Region | None,
        when: str,
        problem: str | None = None,
    ) -> None:
        super().__init__()
        self.clinical, self.warning, self.where, self.when = content, warning, region, when
        self.problem = problem
        self.guard = ReadGuard()

    @property
    def demo(self) -> Demo:
        """Clinic mode's app as this screen sees it."""
        return cast("Demo", self.app)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="clinic-warning"):
            if self.warning is not None:
                yield Static(
                    warning_card(self.clinical, self.warning, self.where, self.when),
                    id="clinic-warning-card",
                )
            else:
                yield Static(
                    plain(UNREADABLE.format(problem=self.problem)), id="clinic-warning-card"
                )
            yield Static(heading(CONFIRM), id="clinic-warning-confirm")
            yield Static(id="too-quick")

    def on_mount(self) -> None:
        self.guard.show(self.demo.clock.monotonic())

    def action_confirm(self) -> None:
        if self.guard.take(self.demo.clock.monotonic()):
            self.demo.begin_demo()
            return
        note = self.query_one("#too-quick", Static)
        note.update(READ_FIRST.replace("y or n", "y"))
        note.display = True
