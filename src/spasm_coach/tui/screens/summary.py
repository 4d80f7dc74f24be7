"""After a session: before and after, the change in words, what was done, and the safety card."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from spasm_coach.content import Card
from spasm_coach.pain import Change, band
from spasm_coach.tui.format import duration
from spasm_coach.tui.screens.player import SessionResult

OUTCOME_WORDS = {
    "finished": "Session finished. Well done.",
    "stopped": "Session stopped.",
    "stopped-hurt": "Session stopped because it hurt.",
}


@dataclass(frozen=True)
class Summary:
    result: SessionResult
    before: int | None
    after: int | None
    stop_for_today: bool
    """Pain of 8+ or a rise of 2+: the red-flag check ran again and today's stretching ends."""


def hurt_advice(result: SessionResult) -> list[str]:
    exercise = result.hurt_exercise
    lines = [
        "[b]What to do now[/b]",
        "- Stop that stretch. Ease into a position that feels comfortable and breathe slowly.",
        "- Gentle heat (wrapped, 15-20 minutes) can help the muscle settle.",
        "- Keep moving gently through the day; don't push into pain.",
        "- Pain spreading down a leg, new numbness or weakness, or trouble peeing: "
        "get medical help (see the card below).",
    ]
    if exercise is not None:
        lines.insert(1, f"- Leave out {exercise.name} until it has settled, or ask a physio.")
    return lines


class SummaryScreen(Screen[None]):
    BINDINGS = [Binding("enter,escape", "dismiss(None)", "Home")]

    def __init__(self, summary: Summary, ces_card: Card) -> None:
        super().__init__()
        self.summary, self.ces_card = summary, ces_card

    def compose(self) -> ComposeResult:
        summary, result = self.summary, self.summary.result
        lines = [f"[b]{OUTCOME_WORDS.get(result.outcome, result.outcome)}[/b]", ""]

        def score(value: int | None) -> str:
            return "not given" if value is None else f"{value}/10 ({band(value)})"

        lines.append(f"Pain before: {score(summary.before)}    after: {score(summary.after)}")
        if summary.before is not None and summary.after is not None:
            lines.append(f"Change: {Change(summary.before, summary.after).describe()}")
        lines.append(f"Time stretching: {duration(result.active_seconds)}")
        lines.append("Done: " + (", ".join(result.done) or "none"))
        if result.skipped:
            lines.append(
                "Skipped: " + "; ".join(f"{name} ({reason})" for name, reason in result.skipped)
            )
        if summary.stop_for_today:
            lines += [
                "",
                "[b]Stop stretching for today.[/b] Your pain is high or rising. Rest, use "
                "gentle heat if it helps, and get advice if it doesn't settle.",
            ]
        if result.outcome == "stopped-hurt":
            lines += ["", *hurt_advice(result)]
        card = "\n".join(f"  - {line}" for line in self.ces_card.lines)
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static("\n".join(lines), id="summary-text")
            yield Static(f"[b]{self.ces_card.title}[/b]\n{card}", id="ces-card")
            yield Static("Enter: back to home", id="summary-keys")
        yield Footer()
