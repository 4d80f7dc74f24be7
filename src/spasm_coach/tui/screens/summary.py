"""After a session: before and after, the change in words, what was done, and the safety card."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, Static

from spasm_coach.content import Card
from spasm_coach.gate import STOP_ADVICE, STOP_TITLE
from spasm_coach.pain import Change, band
from spasm_coach.session import SessionResult
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.text import bullet_card, heading
from spasm_coach.vocabulary import SessionOutcome
from spasm_coach.wording import duration


@dataclass(frozen=True)
class Summary:
    result: SessionResult
    before: int | None
    after: int | None
    stop_for_today: bool
    """Pain of 8+ or a rise of 2+: the red-flag check ran again and today's stretching ends."""
    plan_note: str | None = None
    """The plan stepped back by itself (it hurt, or pain rose by 2), in words."""
    check_finished: bool = True
    """False when the check after it (it hurt, or pain high or rising) was left unfinished."""


def hurt_advice(result: SessionResult) -> list[str]:
    lines = [
        "- Stop that stretch. Ease into a position that feels comfortable and breathe slowly.",
        "- Gentle heat (wrapped, 15-20 minutes) can help the muscle settle.",
        "- Keep moving gently through the day; don't push into pain.",
        "- Pain spreading down a leg, new numbness or weakness, or trouble peeing: "
        "get medical help (see the card below).",
    ]
    if result.hurt_exercise is not None:
        name = result.hurt_exercise.name
        lines.insert(1, f"- Leave out {name} until it has settled, or ask a physio.")
    return lines


def summary_text(summary: Summary) -> Content:
    result = summary.result

    def score(value: int | None) -> str:
        return "not given" if value is None else f"{value}/10 ({band(value)})"

    lines = [f"Pain before: {score(summary.before)}    after: {score(summary.after)}"]
    if summary.before is not None and summary.after is not None:
        lines.append(f"Change: {Change(summary.before, summary.after).describe()}")
    lines.append(f"Time stretching: {duration(result.active_seconds)}")
    lines.append("Done: " + (", ".join(result.done) or "none"))
    if result.skipped:
        lines.append(
            "Skipped: " + "; ".join(f"{name} ({reason})" for name, reason in result.skipped)
        )
    parts: list[Content | str] = [
        heading(result.outcome.heading),
        "\n\n",
        "\n".join(lines),
    ]
    if summary.stop_for_today:
        parts += ["\n\n", heading(STOP_TITLE), f" {STOP_ADVICE}"]
    if not summary.check_finished:
        parts += [
            "\n\n",
            heading("The check for warning signs was not finished:"),
            " no stretches until it is.",
        ]
    if result.outcome is SessionOutcome.STOPPED_HURT:
        parts += ["\n\n", heading("What to do now"), "\n", "\n".join(hurt_advice(result))]
    if summary.plan_note:
        parts += ["\n\n", heading("Your plan"), "\n", summary.plan_note]
    return Content.assemble(*parts)


class SummaryScreen(CoachScreen[None]):
    shows_safety_card = True

    BINDINGS = [Binding("enter,escape", "dismiss(None)", "Home")]

    def __init__(self, summary: Summary, ces_card: Card) -> None:
        super().__init__()
        self.summary, self.ces_card = summary, ces_card

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="summary"):
            yield Static(summary_text(self.summary), id="summary-text")
            yield Static(bullet_card(self.ces_card.title, self.ces_card.lines), id="ces-card")
            yield Static("Enter: back to home", id="summary-keys")
        yield Footer()
