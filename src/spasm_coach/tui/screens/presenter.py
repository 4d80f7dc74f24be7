"""Clinic mode's one screen: a routine shown on a projector or a shared screen.

A physio demonstrates while the patient watches, so the screen is the countdown and the step
word as large as the display allows, the exercise's name and a large figure of the pose moving
with the step, and little else; the full instructions come and go with a key. Nothing here
reads or writes the pain log, and no safety question is asked: a clinician is in the room, and
the banner says both.

The physio drives it: step back and forward, jump to any exercise, restart one. Time comes from
the session runner exactly as in a real session (absolute deadlines, a wake only when the view
changes); a jump starts a fresh runner at that exercise, since nothing is recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from spasm_coach.cues import next_words, spoken, step_detail, step_word
from spasm_coach.session import SessionPlan, SessionRunner, Status, View
from spasm_coach.tui.dialogs.exercises import ExerciseChoiceScreen, LeaveDemoScreen
from spasm_coach.tui.dialogs.howto import instructions
from spasm_coach.tui.driving import Moment, SessionDriver
from spasm_coach.tui.labels import CLINIC_BANNER
from spasm_coach.tui.text import heading, plain
from spasm_coach.tui.widgets.bigtext import BigText
from spasm_coach.tui.widgets.countdown import Countdown, clock_face
from spasm_coach.tui.widgets.figure import PoseFigure, figure_of
from spasm_coach.tui.widgets.pacer import BAR_WIDTH, BreathPacer

if TYPE_CHECKING:
    from spasm_coach.tui.coach import Demo

BANNER = CLINIC_BANNER
KEYS = (
    "h: THIS HURTS",
    "space: pause",
    "←/→: step",
    "[ ]: exercise",
    "1-9 or g: go to",
    "r: restart",
    "i: instructions",
    "q: quit",
)
TALL = 36
"""From this many rows the exercise's name is drawn in block letters too."""
NARROW = 90
"""Narrower displays leave the figure out (i shows it with the instructions), so the countdown,
the step word and the breath pacer have the room."""


class PresenterScreen(Screen[None]):
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause"),
        Binding("right,n", "next_step", "Step", key_display="→"),
        Binding("left,b", "previous_step", "Back", key_display="←"),
        Binding("right_square_bracket,pagedown", "next_exercise", "Exercise", key_display="]"),
        Binding("left_square_bracket,pageup", "previous_exercise", "Exercise", key_display="["),
        Binding("g", "choose_exercise", "Go to (or 1-9)"),
        Binding("r", "restart", "Restart"),
        Binding("i", "toggle_instructions", "Instructions"),
        Binding("v", "toggle_voice", "Voice"),
        Binding("h", "hurts", "This hurts"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "ask_to_quit", "Quit", show=False),
        *(Binding(str(number), f"jump({number - 1})", show=False) for number in range(1, 10)),
    ]

    def __init__(self, plan: SessionPlan, first_exercise: int = 0) -> None:
        super().__init__()
        self.plan, self.first_exercise = plan, first_exercise
        self.driver = SessionDriver(
            self,
            self._monotonic,
            self._moved,
            pacer_cells=lambda: BAR_WIDTH,
            moving_figure=lambda: True,
        )
        self.speaking = False
        """Spoken cues, for this demonstration only (nothing is saved)."""
        self._shown: View | None = None

    @property
    def demo(self) -> Demo:
        """Clinic mode's app as this screen sees it."""
        return cast("Demo", self.app)

    def _monotonic(self) -> float:
        return self.demo.clock.monotonic()

    def compose(self) -> ComposeResult:
        yield Static(BANNER, id="clinic-banner")
        with Horizontal(id="presenter"):
            with Vertical(id="presenter-main"):
                yield Static(id="presenter-title")
                yield BigText(id="presenter-name", biggest=1)
                yield BigText(id="presenter-word", biggest=2)
                yield Static(id="presenter-detail")
                yield Countdown(id="presenter-countdown")
                yield BreathPacer(reduced_motion=False)
                yield Static(id="presenter-next")
            with Vertical(id="presenter-side"):
                yield PoseFigure(id="presenter-figure")
                with VerticalScroll(id="presenter-instructions"):
                    yield Static(id="presenter-how")
        yield Static(id="presenter-keys")

    def on_mount(self) -> None:
        shown = KEYS if self.demo.speaker is None else (*KEYS[:-1], "v: voice", KEYS[-1])
        keys = [key.replace(" ", "\N{NO-BREAK SPACE}") for key in shown]  # wrap between keys
        self.query_one("#presenter-keys", Static).update(
            Content.assemble(heading(keys[0]), "   ", "   ".join(keys[1:]))
        )
        self.start(self.first_exercise)

    def on_unmount(self) -> None:
        if self.demo.speaker is not None:
            self.demo.speaker.stop()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height >= TALL, "-tall")
        self.set_class(event.size.width < NARROW, "-narrow")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The voice key only where there is a voice."""
        if action == "toggle_voice":
            return self.demo.speaker is not None
        return True

    # --- time -----------------------------------------------------------------------------

    @property
    def runner(self) -> SessionRunner | None:
        return self.driver.runner

    def start(self, exercise: int) -> None:
        """Show `exercise` (from 0) from its beginning, running."""
        self.driver.start(self.plan, exercise)  # nothing is recorded in clinic
        self._shown = None
        self.heartbeat()

    def heartbeat(self) -> None:
        self.driver.tick()

    def _moved(self, moment: Moment) -> None:
        self._show(moment.view)
        if moment.by_clock and moment.view.status is Status.FINISHED:
            self.app.bell()

    def _show(self, view: View) -> None:
        previous, self._shown = self._shown, view
        step, status = view.step, view.status
        if self.speaking and self.demo.speaker is not None:
            for line in spoken(previous, view, self.demo.spoken):
                self.demo.speaker.say(line)
        self.set_class(status is Status.PAUSED, "-paused")
        self.set_class(status is Status.STOPPED, "-stopped")
        word = {
            Status.PAUSED: "PAUSED",
            Status.STOPPED: "STOPPED",
            Status.FINISHED: "DONE",
        }.get(status, step_word(step))
        self.query_one("#presenter-word", BigText).text = word
        self.demo.show_step_in_title(f"{word} {clock_face(view.remaining)}")
        self.query_one(Countdown).seconds = view.remaining
        breath = (view.breath.direction, view.breath.fraction) if view.breath else None
        self.query_one(BreathPacer).breath = breath if status is Status.RUNNING else None
        self.query_one("#presenter-detail", Static).update(plain(self._detail(view)))
        self.query_one(PoseFigure).show(*figure_of(view))
        if previous is None or previous.step is not step:
            self.query_one("#presenter-name", BigText).text = step.exercise.name
            self.query_one("#presenter-title", Static).update(
                Content.assemble(
                    heading(step.exercise.name),
                    f"  ·  exercise {view.exercise_number} of {view.exercise_count}  ·  ",
                    self.plan.routine.name,
                )
            )
            self.query_one("#presenter-how", Static).update(instructions(step))
            self.query_one("#presenter-next", Static).update(plain(next_words(view.next_step)))

    def _detail(self, view: View) -> str:
        if view.status is Status.STOPPED:
            return "Stopped because it hurt. r: start this exercise again; q: quit."
        if view.status is Status.FINISHED:
            return "The routine is done. r: the last exercise again; 1: from the start."
        paused = "   (space to carry on)" if view.status is Status.PAUSED else ""
        return step_detail(view.step) + paused

    # --- keys -----------------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        self.driver.act("toggle_pause")

    def action_next_step(self) -> None:
        self.driver.act("next_step")

    def action_previous_step(self) -> None:
        self.driver.act("previous_step")

    @property
    def exercise_index(self) -> int:
        return self.runner.step.exercise_index if self.runner is not None else 0

    def action_next_exercise(self) -> None:
        self.action_jump(min(self.exercise_index + 1, len(self.plan.exercises) - 1))

    def action_previous_exercise(self) -> None:
        self.action_jump(max(self.exercise_index - 1, 0))

    def action_jump(self, exercise: int) -> None:
        if 0 <= exercise < len(self.plan.exercises):
            self.start(exercise)

    def action_restart(self) -> None:
        self.start(self.exercise_index)

    def action_choose_exercise(self) -> None:
        def chosen(exercise: int | None) -> None:
            if exercise is not None:
                self.action_jump(exercise)

        names = [planned.exercise.name for planned in self.plan.exercises]
        self.app.push_screen(ExerciseChoiceScreen(names, self.exercise_index), chosen)

    def action_ask_to_quit(self) -> None:
        def quit_if(confirmed: bool | None) -> None:
            if confirmed:
                self.app.exit(0)

        self.app.push_screen(LeaveDemoScreen(), quit_if)

    def action_toggle_instructions(self) -> None:
        self.toggle_class("-instructions")

    def action_toggle_voice(self) -> None:
        if self.demo.speaker is None:
            return
        self.speaking = not self.speaking
        if not self.speaking:
            self.demo.speaker.stop()
        self.notify("Spoken cues on." if self.speaking else "Spoken cues off.", markup=False)

    def action_hurts(self) -> None:
        """Stop at once; in clinic the physio is there to talk it through."""
        self.driver.act("stop", hurt=True)
