"""Safety questions one at a time, each answered yes or no on purpose.

The red-flag check, the personal cautions and the heat and ice questions all ask this way: one
question on screen with (y) Yes, (n) No and (b) Back; no default answer, and no tick list that
means "no" when left alone. A key that comes before the question has been on screen long enough
to read (answers.ReadGuard, on the app's clock) is not taken, and the screen says so, so a held
or repeated key answers at most one question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Button, Footer, Header, ProgressBar, Static

from spasm_coach.answers import READ_SECONDS, ReadGuard
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.text import plain

ResultT = TypeVar("ResultT")

SHORT = 24
"""Terminals shorter than this get the compact layout: the question and its answers in sight."""
TOO_QUICK = (
    "Too quick: that key came before the question had been on screen for {seconds}, so it was "
    "not taken as an answer. Read the question, then press y or n."
)


@dataclass(frozen=True)
class Question:
    id: str
    text: str


class OneAtATime(CoachScreen[ResultT]):
    """A question at a time: subclasses say what an answer does (`answered`) and what the end
    returns (`finish`, `leave`)."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("b,left", "back", "Back"),
        Binding("escape", "leave", "Leave"),
    ]

    AUTO_FOCUS = ""
    """No answer button has focus, so a stray Enter can't answer for the person."""

    index: reactive[int] = reactive(0, init=False)
    """The question on screen."""

    def __init__(self, questions: Sequence[Question], intro: str, note: str | None = None):
        super().__init__()
        self.items = tuple(questions)
        self.intro, self.note = intro, note
        self.asked: dict[str, bool] = {}
        """The answers given on this screen; one changed with Back holds its latest answer."""
        self.guard = ReadGuard()

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="questions"):
            yield Static(plain(self.intro), id="questions-intro")
            yield Static(id="questions-count")
            yield ProgressBar(total=len(self.items), show_eta=False, id="questions-progress")
            if self.note:
                yield Static(plain(self.note), id="questions-note")
            yield Static(id="too-quick")
            yield Static(id="question")
            with Horizontal(id="question-buttons"):
                yield Button("(y) Yes", id="yes", variant="error")
                yield Button("(n) No", id="no", variant="success")
                yield Button("(b) Back", id="back")
            yield Static(id="questions-previous")
        yield Footer()

    def on_mount(self) -> None:
        self.watch_index(0)

    def on_resize(self, event: events.Resize) -> None:
        """On a short terminal the introduction folds away, so the question and its answers
        fit without scrolling."""
        self.set_class(event.size.height < SHORT, "-short")

    def asks(self, index: int) -> bool:
        """Whether the question at `index` is asked, given the answers so far (all are, unless
        a subclass says otherwise)."""
        return True

    def _step(self, start: int, direction: int) -> int | None:
        """The next question asked from `start` on in `direction`; None past either end."""
        index = start
        while 0 <= index < len(self.items):
            if self.asks(index):
                return index
            index += direction
        return None

    def watch_index(self, index: int) -> None:
        item = self.items[index]
        asked = [number for number in range(len(self.items)) if self.asks(number)]
        position = asked.index(index) if index in asked else 0
        self.query_one("#questions-count", Static).update(
            f"Question {position + 1} of {len(asked)}"
        )
        self.query_one(ProgressBar).update(total=len(asked), progress=position)
        self.query_one("#question", Static).update(plain(item.text))
        earlier = self.asked.get(item.id)
        self.query_one("#questions-previous", Static).update(
            "" if earlier is None else f"You answered {'yes' if earlier else 'no'} before."
        )
        self.query_one("#back", Button).disabled = self._step(index - 1, -1) is None
        self.guard.show(self.coach.clock.monotonic())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "back":
            self.action_back()
        else:
            self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.set_focus(None)
        too_quick = self.query_one("#too-quick", Static)
        if not self.guard.take(self.coach.clock.monotonic()):
            seconds = f"{READ_SECONDS:g} second{'s' if READ_SECONDS != 1 else ''}"
            too_quick.update(TOO_QUICK.format(seconds=seconds))
            too_quick.display = True
            return
        too_quick.display = False
        item = self.items[self.index]
        self.asked[item.id] = yes
        if self.answered(item, yes):
            return
        following = self._step(self.index + 1, 1)
        if following is None:
            self.finish()
        else:
            self.index = following

    def action_back(self) -> None:
        """Back to the question before, to change its answer: both answers are kept."""
        previous = self._step(self.index - 1, -1)
        if previous is not None:
            self.index = previous

    def action_leave(self) -> None:
        self.leave()

    def answered(self, item: Question, yes: bool) -> bool:
        """Record an answer; True when it ends the questions (the screen has been dismissed)."""
        return False

    def finish(self) -> None:
        """Every question answered."""
        raise NotImplementedError

    def leave(self) -> None:
        """The person left before the end."""
        raise NotImplementedError


class SafetyQuestionsScreen(OneAtATime[dict[str, bool]]):
    """Personal cautions or heat and ice questions, each answer saved to the settings the moment
    it is given (under `keep`: "cautions" or "thermal_contraindications"). Returns the answers
    given, whether every question was answered or the person left part-way; the rest stay not
    answered."""

    def __init__(self, questions: Sequence[Question], intro: str, keep: str) -> None:
        super().__init__(questions, intro)
        self.keep = keep

    def answered(self, item: Question, yes: bool) -> bool:
        saved = getattr(self.coach.settings, self.keep)
        self.coach.save_settings(**{self.keep: {**saved, item.id: yes}})
        return False

    @property
    def complete(self) -> bool:
        return all(item.id in self.asked for item in self.items)

    def finish(self) -> None:
        self.dismiss(dict(self.asked))

    def leave(self) -> None:
        self.dismiss(dict(self.asked))
