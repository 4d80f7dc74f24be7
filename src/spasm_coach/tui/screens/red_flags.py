"""The red-flag checks and their outcome card.

- The full check: one question at a time, each answered yes or no on purpose. The first yes to
  an emergency question ends it at once. Every answer goes to the check's log as it is given
  (saved from the first yes on).
- The quick check: the emergency signs listed together ("Do you have any of these now?"), then
  whether anything else is new or worse since the last full check.
- The outcome card: what the answers mean and where to get help, with the region's numbers only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Button, Footer, Header, ProgressBar, Static

from spasm_coach.advice import card as regional_card
from spasm_coach.advice import emergency_line, outcome_advice, urgent_line
from spasm_coach.content import Content as ClinicalContent
from spasm_coach.content import RedFlag, Region
from spasm_coach.journal import CheckLog
from spasm_coach.records import Screening
from spasm_coach.triage import ends_check
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.cards import said_yes_to
from spasm_coach.tui.text import bullet_card, heading, plain
from spasm_coach.tui.widgets.bigtext import BigText
from spasm_coach.vocabulary import Level
from spasm_coach.wording import clock_time

SHORT = 24
"""Terminals shorter than this get the compact check."""
INTRO = (
    "Before you stretch: a few questions about warning signs. "
    "Think of anything new, or getting worse, that is not normal for you."
)


class RedFlagScreen(CoachScreen[bool]):
    """The full check. Returns True when every question was answered; False when it ended at an
    emergency sign or the person left it (the check's log says what, if anything, was saved)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("b,left", "back", "Back"),
        Binding("escape", "dismiss(False)", "Leave the check"),
    ]

    AUTO_FOCUS = ""
    """No answer button has focus, so a stray Enter can't answer for the person."""

    index: reactive[int] = reactive(0, init=False)
    """The question on screen."""

    def __init__(self, questions: tuple[RedFlag, ...], log: CheckLog, intro: str = INTRO) -> None:
        super().__init__()
        self.questions, self.check_log, self.intro = questions, log, intro
        self.asked: dict[str, bool] = {}
        """The answers given on this screen, kept when the person goes back to change one."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="red-flags"):
            yield Static(plain(self.intro), id="red-flag-intro")
            yield Static(id="red-flag-count")
            yield ProgressBar(total=len(self.questions), show_eta=False, id="red-flag-progress")
            yield Static(id="red-flag-question")
            with Horizontal(id="red-flag-buttons"):
                yield Button("(y) Yes", id="yes", variant="error")
                yield Button("(n) No", id="no", variant="success")
                yield Button("(b) Back", id="back")
            yield Static(id="red-flag-previous")
        yield Footer()

    def on_mount(self) -> None:
        self.watch_index(0)

    def on_resize(self, event: events.Resize) -> None:
        """On a short terminal the introduction folds away, so the question and its answers
        fit without scrolling."""
        self.set_class(event.size.height < SHORT, "-short")

    def asks(self, flag: RedFlag) -> bool:
        """A question with a condition (the pregnancy warning signs) is asked only when the
        answer it depends on, known or given in this check, is yes."""
        if flag.ask_if_yes is None:
            return True
        return bool({**self.check_log.known, **self.check_log.answers}.get(flag.ask_if_yes))

    def _step(self, start: int, direction: int) -> int | None:
        """The next question asked from `start` on in `direction`; None past either end."""
        index = start
        while 0 <= index < len(self.questions):
            if self.asks(self.questions[index]):
                return index
            index += direction
        return None

    def watch_index(self, index: int) -> None:
        flag = self.questions[index]
        asked = [question for question in self.questions if self.asks(question)]
        self.query_one("#red-flag-count", Static).update(
            f"Question {asked.index(flag) + 1} of {len(asked)}"
        )
        self.query_one(ProgressBar).update(progress=index)
        self.query_one("#red-flag-question", Static).update(plain(flag.question))
        earlier = self.asked.get(flag.id)
        self.query_one("#red-flag-previous", Static).update(
            "" if earlier is None else f"You answered {'yes' if earlier else 'no'} before."
        )
        self.query_one("#back", Button).disabled = self._step(index - 1, -1) is None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "back":
            self.action_back()
        else:
            self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        flag = self.questions[self.index]
        self.asked[flag.id] = yes
        self.check_log.answer(flag.id, yes)
        for later in self.questions:
            if later.ask_if_yes == flag.id and not yes:
                self.check_log.take_back(later.id)  # no longer asked, so not answered
        self.set_focus(None)
        following = self._step(self.index + 1, 1)
        if ends_check(flag, yes):
            self.dismiss(False)
        elif following is None:
            self.dismiss(True)
        else:
            self.index = following

    def action_back(self) -> None:
        previous = self._step(self.index - 1, -1)
        if previous is not None:
            self.index = previous
            self.check_log.take_back(self.questions[self.index].id)

    @property
    def has_yes(self) -> bool:
        return any(self.check_log.answers.values())


@dataclass(frozen=True)
class QuickAnswers:
    signs_now: bool
    anything_new: bool | None
    """None when the signs question was a yes (the check ends there)."""


class QuickCheckScreen(CoachScreen[QuickAnswers | None]):
    """The emergency signs together, then 'anything else new?'. None if the person left."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "dismiss(None)", "Leave the check"),
    ]

    AUTO_FOCUS = ""

    signs_answer: reactive[bool | None] = reactive(None, init=False)
    """The answer to the signs question, once given (then the second question shows)."""

    def __init__(
        self, content: ClinicalContent, since: datetime, now: datetime, intro: str | None = None
    ) -> None:
        super().__init__()
        self.clinical, self.since, self.now, self.intro = content, since, now, intro

    def compose(self) -> ComposeResult:
        quick = self.clinical.quick_check
        signs = [self.clinical.flags_by_id[sign].short for sign in quick.signs]
        yield Header()
        with VerticalScroll(id="quick-check"):
            yield Static(plain(self.intro or "A quick check before you start."), id="quick-intro")
            yield Static(
                Content.assemble(
                    heading(quick.signs_question),
                    "\n",
                    "\n".join(f"  - {sign}" for sign in signs),
                ),
                id="quick-signs",
            )
            yield Static(id="quick-question")
            with Horizontal(id="quick-buttons"):
                yield Button("(y) Yes", id="yes", variant="error")
                yield Button("(n) No", id="no", variant="success")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#quick-question", Static).update(Content(""))
        self.query_one("#quick-question").display = False

    def watch_signs_answer(self, answer: bool | None) -> None:
        if answer is None:
            return
        question = self.query_one("#quick-question", Static)
        since = clock_time(self.since, self.now, round_up=False)
        question.update(
            Content.assemble(
                "You said no to every sign above.\n\n",
                heading(self.clinical.quick_check.anything_new(since)),
            )
        )
        question.display = True
        self.query_one("#quick-signs").add_class("-answered")
        question.scroll_visible()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.set_focus(None)
        if self.signs_answer is None:
            if yes:
                self.dismiss(QuickAnswers(signs_now=True, anything_new=None))
            else:
                self.signs_answer = False
        else:
            self.dismiss(QuickAnswers(signs_now=False, anything_new=yes))


class OutcomeScreen(CoachScreen[bool]):
    """What a check's answers mean, with the region's numbers. True only when a session may go
    on and the person chose to."""

    shows_safety_card = True

    BINDINGS = [
        Binding("enter", "done(True)", "Continue", show=False),
        Binding("escape", "done(False)", "Home"),
    ]

    def __init__(
        self, screening: Screening, content: ClinicalContent, region: Region | None
    ) -> None:
        super().__init__()
        self.screening, self.clinical, self.where = screening, content, region

    def compose(self) -> ComposeResult:
        level = self.screening.level
        advice = outcome_advice(self.clinical, level, self.screening.flags, self.where)
        yield Header()
        with VerticalScroll(id="outcome", classes=f"-{level.value}"):
            if advice.big is not None:
                yield BigText(advice.big, biggest=1, id="outcome-big")
            yield Static(plain(advice.heading.upper()), id="outcome-title")
            yield Static(plain("\n".join(advice.lines)), id="outcome-action")
            if level is Level.EMERGENCY:
                yield Static(
                    plain(f"{emergency_line(self.where)}  No stretches."), id="outcome-number"
                )
            elif level is Level.URGENT:
                yield Static(
                    plain(f"No stretches today. {urgent_line(self.where)}"), id="outcome-number"
                )
            yield Static(
                plain(said_yes_to(self.clinical, self.screening, self.where)), id="outcome-flags"
            )
            if not self.screening.complete and level is not Level.EMERGENCY:
                yield Static(
                    plain("The check was not finished, so no stretches until it is."),
                    id="outcome-unfinished",
                )
            if level is Level.EMERGENCY:
                card = regional_card(self.clinical.ces_card, self.where)
                yield Static(bullet_card(card.title, card.lines), id="ces-card")
            with Horizontal(id="outcome-buttons"):
                if self.screening.clears_for_exercise:
                    yield Button("(enter) Go on, gently", id="continue", variant="primary")
                    yield Button("(esc) Home", id="go-home")
                else:
                    yield Button("(esc) Back to home", id="go-home")
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_done(event.button.id == "continue")

    def action_done(self, go_on: bool) -> None:
        self.dismiss(go_on and self.screening.clears_for_exercise)
