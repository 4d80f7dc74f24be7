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
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.advice import card as regional_card
from spasm_coach.advice import changed_answers, emergency_line, outcome_advice, urgent_line
from spasm_coach.answers import READ_SECONDS, ReadGuard
from spasm_coach.content import Content as ClinicalContent
from spasm_coach.content import RedFlag, Region
from spasm_coach.journal import CheckLog
from spasm_coach.records import Screening
from spasm_coach.triage import ends_check
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.cards import said_yes_to
from spasm_coach.tui.dialogs.questions import SHORT, TOO_QUICK, OneAtATime, Question
from spasm_coach.tui.text import bullet_card, heading, plain
from spasm_coach.tui.widgets.bigtext import BigText
from spasm_coach.vocabulary import Level
from spasm_coach.wording import clock_time

UNREAD_SIGNS = "Some signs are below: scroll down (the down arrow) to read them all, then answer."
INTRO = (
    "Before you stretch: a few questions about warning signs. "
    "Think of anything new, or getting worse, that is not normal for you."
)


class RedFlagScreen(OneAtATime[bool]):
    """The full check. Returns True when every question was answered; False when it ended at an
    emergency sign or the person left it (the check's log says what, if anything, was saved)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("b,left", "back", "Back"),
        Binding("escape", "leave", "Leave the check"),
    ]

    def __init__(
        self,
        questions: tuple[RedFlag, ...],
        log: CheckLog,
        intro: str = INTRO,
        since: str | None = None,
    ) -> None:
        """`since`: the words asking about anything since a warning, for the check after one."""
        super().__init__([Question(flag.id, flag.question) for flag in questions], intro, since)
        self.questions, self.check_log = questions, log

    def asks(self, index: int) -> bool:
        """A question with a condition (the pregnancy warning signs) is asked only when the
        answer it depends on, known or given in this check, is yes."""
        flag = self.questions[index]
        if flag.ask_if_yes is None:
            return True
        return bool({**self.check_log.known, **self.check_log.answers}.get(flag.ask_if_yes))

    def answered(self, item: Question, yes: bool) -> bool:
        self.check_log.answer(item.id, yes)
        if not yes:
            for later in self.questions:
                if later.ask_if_yes == item.id:
                    self.check_log.withdraw(later.id)  # no longer asked: kept as a change
        if ends_check(self.questions[self.index], yes):
            self.dismiss(False)
            return True
        return False

    def finish(self) -> None:
        self.dismiss(True)

    def leave(self) -> None:
        self.dismiss(False)

    @property
    def has_yes(self) -> bool:
        return any(self.check_log.answers.values())


@dataclass(frozen=True)
class QuickAnswers:
    signs_now: bool
    anything_new: bool | None
    """None when the signs question was a yes (the check ends there)."""


class QuickCheckScreen(CoachScreen[QuickAnswers | None]):
    """The emergency signs together, then 'anything else new?'. None if the person left.

    The question and its answers come first, the signs below them, so the answers are always in
    sight; when the signs don't all fit, a no is taken only once the list has been scrolled to
    its end. Keys come on purpose, as in the full check (answers.ReadGuard).
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("down,pagedown", "more_signs", "More signs", show=False),
        Binding("up,pageup", "fewer_signs", show=False),
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
        self.guard = ReadGuard()

    def compose(self) -> ComposeResult:
        quick = self.clinical.quick_check
        signs = [self.clinical.flags_by_id[sign].short for sign in quick.signs]
        yield Header()
        with Vertical(id="quick-check"):
            yield Static(plain(self.intro or "A quick check before you start."), id="quick-intro")
            yield Static(heading(quick.signs_question), id="quick-question")
            with Horizontal(id="quick-buttons"):
                yield Button("(y) Yes", id="yes", variant="error", compact=True)
                yield Button("(n) No", id="no", variant="success", compact=True)
            yield Static(id="too-quick")
            with VerticalScroll(id="quick-signs-box"):
                yield Static("\n".join(f"- {sign}" for sign in signs), id="quick-signs")
        yield Footer()

    def on_mount(self) -> None:
        self.guard.show(self.coach.clock.monotonic())

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < SHORT, "-short")

    def watch_signs_answer(self, answer: bool | None) -> None:
        if answer is None:
            return
        since = clock_time(self.since, self.now, round_up=False)
        self.query_one("#quick-question", Static).update(
            Content.assemble(
                "You said no to every sign below. ",
                heading(self.clinical.quick_check.anything_new(since)),
            )
        )
        self.query_one("#quick-signs").add_class("-answered")
        self.guard.show(self.coach.clock.monotonic())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_answer(event.button.id == "yes")

    @property
    def _unread_signs(self) -> bool:
        """Some signs are below the fold, not yet scrolled to."""
        box = self.query_one("#quick-signs-box", VerticalScroll)
        return box.max_scroll_y > 0 and box.scroll_y < box.max_scroll_y

    def _say(self, words: str | None) -> None:
        note = self.query_one("#too-quick", Static)
        note.update(words or "")
        note.display = words is not None

    def action_answer(self, yes: bool) -> None:
        self.set_focus(None)
        if not self.guard.take(self.coach.clock.monotonic()):
            seconds = f"{READ_SECONDS:g} second{'s' if READ_SECONDS != 1 else ''}"
            self._say(TOO_QUICK.format(seconds=seconds))
            return
        if self.signs_answer is None:
            if yes:
                self.dismiss(QuickAnswers(signs_now=True, anything_new=None))
            elif self._unread_signs:
                self._say(UNREAD_SIGNS)
            else:
                self._say(None)
                self.signs_answer = False
        else:
            self.dismiss(QuickAnswers(signs_now=False, anything_new=yes))

    def action_more_signs(self) -> None:
        self.query_one("#quick-signs-box", VerticalScroll).scroll_page_down(animate=False)

    def action_fewer_signs(self) -> None:
        self.query_one("#quick-signs-box", VerticalScroll).scroll_page_up(animate=False)


class OutcomeScreen(CoachScreen[bool]):
    """What a check's answers mean, with the region's numbers. True only when a session may go
    on and the person chose to."""

    shows_safety_card = True

    BINDINGS = [
        Binding("enter", "done(True)", "Continue", show=False),
        Binding("escape", "done(False)", "Home"),
    ]

    def __init__(
        self,
        screening: Screening,
        content: ClinicalContent,
        region: Region | None,
        advice: tuple[str, ...] = (),
    ) -> None:
        """`advice`: what the check means for the rest of the day (gate.feed), if anything."""
        super().__init__()
        self.screening, self.clinical, self.where = screening, content, region
        self.advice = advice

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
            if self.screening.flags or level is not Level.CLEAR:
                yield Static(
                    plain(said_yes_to(self.clinical, self.screening, self.where)),
                    id="outcome-flags",
                )
            changed = changed_answers(self.clinical, self.screening, self.where)
            if changed:
                yield Static(plain("\n".join(changed)), id="outcome-changed")
            if self.advice:
                yield Static(plain("\n".join(self.advice)), id="outcome-advice")
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
