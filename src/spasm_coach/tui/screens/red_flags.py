"""The red-flag check: one question at a time, each answered yes or no on purpose."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Button, Footer, Header, ProgressBar, Static

from spasm_coach.content import Content, RedFlag
from spasm_coach.settings import Settings
from spasm_coach.triage import Outcome
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.text import bullet_card, plain
from spasm_coach.vocabulary import Level

INTRO = (
    "Before you stretch: a few questions about warning signs. "
    "Think of anything new, or getting worse, that is not normal for you."
)


class RedFlagScreen(CoachScreen[dict[str, bool] | None]):
    """Returns every answer, or None if the person backs out (then nothing is logged)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("b,left", "back", "Back"),
        Binding("escape", "dismiss(None)", "Cancel"),
    ]

    AUTO_FOCUS = ""
    """No answer button has focus, so a stray Enter can't answer for the person."""

    index: reactive[int] = reactive(0, init=False)
    """The question on screen."""

    def __init__(self, flags: tuple[RedFlag, ...], intro: str = INTRO) -> None:
        super().__init__()
        self.flags, self.intro = flags, intro
        self.answers: dict[str, bool] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="red-flags"):
            yield Static(self.intro, id="red-flag-intro")
            yield Static(id="red-flag-count")
            yield ProgressBar(total=len(self.flags), show_eta=False, id="red-flag-progress")
            yield Static(id="red-flag-question")
            with Horizontal(id="red-flag-buttons"):
                yield Button("(y) Yes", id="yes", variant="error")
                yield Button("(n) No", id="no", variant="success")
                yield Button("(b) Back", id="back")
            yield Static(id="red-flag-previous")
        yield Footer()

    def on_mount(self) -> None:
        self.watch_index(0)

    def watch_index(self, index: int) -> None:
        flag = self.flags[index]
        self.query_one("#red-flag-count", Static).update(
            f"Question {index + 1} of {len(self.flags)}"
        )
        self.query_one(ProgressBar).update(progress=index)
        self.query_one("#red-flag-question", Static).update(plain(flag.question))
        earlier = self.answers.get(flag.id)
        self.query_one("#red-flag-previous", Static).update(
            "" if earlier is None else f"You answered {'yes' if earlier else 'no'} before."
        )
        self.query_one("#back", Button).disabled = index == 0

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "back":
            self.action_back()
        else:
            self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.answers[self.flags[self.index].id] = yes
        self.set_focus(None)
        if self.index == len(self.flags) - 1:
            self.dismiss(self.answers)
        else:
            self.index += 1

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1


class OutcomeScreen(CoachScreen[bool]):
    """What the answers mean. Returns True only when a stretch session may go on."""

    BINDINGS = [
        Binding("enter", "done(True)", "Continue", show=False),
        Binding("escape", "done(False)", "Home"),
    ]

    def __init__(self, outcome: Outcome, content: Content, settings: Settings) -> None:
        super().__init__()
        self.outcome, self.content, self.settings = outcome, content, settings

    def compose(self) -> ComposeResult:
        level = self.outcome.level
        advice = self.content.levels[level].with_numbers(
            self.settings.emergency_number, self.settings.urgent_care
        )
        yield Header()
        with VerticalScroll(id="outcome", classes=f"-{level.value}"):
            yield Static(plain(advice.title.upper()), id="outcome-title")
            yield Static(plain(advice.action), id="outcome-action")
            if level is Level.EMERGENCY:
                yield Static(
                    plain(
                        f"Emergency number: {self.settings.emergency_number}.  "
                        "Don't drive yourself.  No stretches."
                    ),
                    id="outcome-number",
                )
            elif level is Level.URGENT:
                yield Static(
                    plain(
                        f"No stretches today. Get seen today: {self.settings.urgent_care}. "
                        f"If it gets worse: {self.settings.emergency_number}."
                    ),
                    id="outcome-number",
                )
            questions = [self.content.flags_by_id[flag].question for flag in self.outcome.flags]
            yield Static(
                plain("You said yes to:\n" + "\n".join(f"  - {q}" for q in questions)),
                id="outcome-flags",
            )
            if level is Level.EMERGENCY:
                card = self.content.ces_card
                yield Static(bullet_card(card.title, card.lines), id="ces-card")
            if self.outcome.allows_exercise:
                with Horizontal(id="outcome-buttons"):
                    yield Button("(enter) Go on, gently", id="continue", variant="primary")
                    yield Button("(esc) Home", id="home")
            else:
                with Horizontal(id="outcome-buttons"):
                    yield Button("(esc) Back to home", id="home")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_done(event.button.id == "continue")

    def action_done(self, go_on: bool) -> None:
        self.dismiss(go_on and self.outcome.allows_exercise)
