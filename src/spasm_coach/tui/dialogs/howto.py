"""How to do the exercise on screen, in full: for a terminal too small to show it beside the
countdown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from spasm_coach.session import Phase, Step
from spasm_coach.tui.base import CoachModal
from spasm_coach.tui.text import labelled


def instructions(step: Step) -> Content:
    """The whole of how to do the step: where to start (or how to rest), how, what to feel and
    when to stop; a change for the person's cautions comes first."""
    exercise = step.exercise
    lines = []
    for caution in step.planned.modifications:
        lines.append(labelled(f"Changed for you ({caution.condition}):", caution.modified or ""))
    if step.phase is Phase.PREPARE:
        lines.append(labelled("Start:", " ".join(exercise.start_position)))
    elif step.phase is Phase.REST:
        lines.append(labelled("Rest.", "Breathe normally and let your back settle."))
    lines.append(labelled("How:", " ".join(exercise.movement)))
    lines.append(labelled("Feel:", exercise.feel))
    lines.append(labelled("Stop if:", " ".join(exercise.stop_if) + "  Press h."))
    return Content("\n").join(lines)


class HowToScreen(CoachModal[None]):
    BINDINGS = [Binding("escape,i,enter", "dismiss(None)", "Back to the countdown")]

    def __init__(self, name: str, text: Content) -> None:
        super().__init__()
        self.name_words, self.text = name, text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="how-to"):
            yield Static(Content(self.name_words), classes="dialog-title")
            yield Static(self.text)
            yield Static("i or Esc: back to the countdown (it keeps running)", id="how-to-keys")
