"""Why an exercise is skipped: one of a few reasons, chosen on purpose."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Static

from spasm_coach.tui.base import CoachModal
from spasm_coach.vocabulary import SkipReason

SKIP_REASONS = tuple(SkipReason)
"""Offered in this order; the first (it hurts too much) stops the session as h does."""


class SkipReasonScreen(CoachModal[SkipReason | None]):
    AUTO_FOCUS = ""
    """A reason is chosen on purpose, never by a stray Enter."""

    BINDINGS = [
        *(
            Binding(str(number), f"pick({number})", show=False)
            for number in range(1, len(SKIP_REASONS) + 1)
        ),
        Binding("escape", "dismiss(None)", "Back to the exercise"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Skip this exercise: why?", classes="dialog-title")
            yield Static("If it hurts too much, the session stops, as h does.")
            for number, reason in enumerate(SKIP_REASONS, start=1):
                yield Button(f"({number}) {reason.words}", id=f"reason-{number}", compact=True)
            yield Static("Esc: back to the exercise")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_pick(int((event.button.id or "reason-1").removeprefix("reason-")))

    def action_pick(self, number: int) -> None:
        self.dismiss(SKIP_REASONS[number - 1])
