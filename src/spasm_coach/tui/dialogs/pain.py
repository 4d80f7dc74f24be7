"""The 0-10 pain question: one key or one click per score, with the anchors in words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from spasm_coach.content import PainScale
from spasm_coach.tui.base import CoachModal
from spasm_coach.tui.text import plain
from spasm_coach.vocabulary import PainContext

TITLES = {
    PainContext.CHECK_IN: "How is your back right now?",
    PainContext.BEFORE_SESSION: "Before you start",
    PainContext.AFTER_SESSION: "How is it now, after the stretches?",
    PainContext.DURING_SESSION: "You stopped because it hurt",
    PainContext.AFTER_EXERCISE: "How is it now, after that exercise?",
    PainContext.AFTER_HEAT: "How is your back after the heat?",
    PainContext.AFTER_ICE: "How is your back after the ice?",
}


class PainScoreScreen(CoachModal[int | None]):
    """Returns the score, or None when skipped with Esc."""

    AUTO_FOCUS = ""
    """No score button has focus, so a stray Enter can't give a score for the person."""

    BINDINGS = [
        *(Binding(str(score), f"score({score})", show=False) for score in range(10)),
        Binding("t", "score(10)", "10", show=False),
        Binding("escape", "dismiss(None)", "Skip"),
    ]

    def __init__(self, scale: PainScale, context: PainContext) -> None:
        super().__init__()
        self.scale, self.context = scale, context

    def compose(self) -> ComposeResult:
        with Vertical(id="pain-dialog"):
            yield Static(TITLES.get(self.context, "Pain score"), id="pain-title")
            yield Static(plain(self.scale.question), id="pain-question")
            with Horizontal(id="pain-buttons"):
                for score in range(11):
                    yield Button(
                        str(score), id=f"score-{score}", classes=f"score-{score}", compact=True
                    )
            anchors = "   ".join(f"{score} {label}" for score, label in self.scale.anchors.items())
            yield Static(plain(anchors), id="pain-anchors")
            yield Static("Press 0-9, or t for 10.  Esc: skip", id="pain-keys")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(int(str(event.button.label)))

    def action_score(self, score: int) -> None:
        self.dismiss(score)
