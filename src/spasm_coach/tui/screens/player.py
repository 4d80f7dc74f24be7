"""The session player, made to be followed from the floor: a countdown and a step word as big as
the terminal allows, the side and the repetition, spoken cues if wanted, and one key to stop
because it hurts.

Time comes from the session runner, whose deadlines are absolute. The screen wakes exactly when
there is something new to show (the countdown's next second, a step's end, the breath pacer's
next cell) rather than polling, and redraws only what changed, so a hold costs almost nothing
and ends on time. Every event is written to the log as it happens.
"""

from __future__ import annotations

import gc
import math

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Static

from spasm_coach.cues import next_words, spoken, step_detail, step_word
from spasm_coach.journal import SessionLog
from spasm_coach.session import Phase, SessionPlan, SessionResult, SessionRunner, Status, View
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.dialogs.howto import HowToScreen, instructions
from spasm_coach.tui.dialogs.skip import SkipReasonScreen
from spasm_coach.tui.driving import Moment, SessionDriver
from spasm_coach.tui.text import heading, plain
from spasm_coach.tui.widgets.bigtext import BigText
from spasm_coach.tui.widgets.countdown import Countdown, clock_face
from spasm_coach.tui.widgets.figure import PoseFigure, figure_of
from spasm_coach.tui.widgets.pacer import BAR_WIDTH, BreathPacer
from spasm_coach.tui.widgets.progress import SessionProgress
from spasm_coach.vocabulary import SessionOutcome, SkipReason

WIDE = (120, 36)
"""At least this wide and tall, the instructions stay on screen beside the countdown; on smaller
terminals they fold away behind a key (i), so the countdown stays big."""
NARROW = 70
"""Narrower terminals leave out the figure, so the countdown and the step word have the room."""
BELL_AT_SECONDS = 3
"""The bell marks the last seconds of a hold."""
LEFT_STEP = 5
"""In the last minute the time left is said to the next this many seconds."""


def left_out_text(plan: SessionPlan) -> Content:
    """Stretches left out for the person's cautions, said for the whole session (not a toast)."""
    lines = [f"{exercise.name}: {caution.advice}" for exercise, caution in plan.left_out]
    return Content.assemble(heading("Left out for you:"), " ", "  ".join(lines))


class PlayerScreen(CoachScreen[SessionResult]):
    BINDINGS = [
        Binding("space", "toggle_pause", "Pause"),
        Binding("n", "next_step", "Next"),
        Binding("b", "previous_step", "Back"),
        Binding("s", "skip", "Skip"),
        Binding("x", "stop", "Stop"),
        Binding("i", "how_to", "How to"),
        Binding("v", "toggle_voice", "Voice"),
    ]

    def __init__(self, plan: SessionPlan, session: SessionLog) -> None:
        super().__init__()
        self.plan, self.session = plan, session
        moving = self._moving
        self.driver = SessionDriver(
            self,
            self._monotonic,
            self._moved,
            pacer_cells=lambda: BAR_WIDTH if moving() else 0,
            moving_figure=moving,
        )
        self.result = SessionResult(
            outcome=SessionOutcome.INTERRUPTED,
            skipped=[(exercise.name, f"left out: {c.condition}") for exercise, c in plan.left_out],
        )
        self._shown: View | None = None
        """The view on screen: only what differs from it is redrawn."""
        self._shown_words: dict[str, object] = {}
        self._left = False

    def _monotonic(self) -> float:
        return self.coach.clock.monotonic()

    def _moving(self) -> bool:
        """The breath pacer and the figure move (not with reduced motion)."""
        return not self.coach.settings.reduced_motion

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="player"):
            yield Static(id="exercise-title")
            if self.plan.left_out:
                yield Static(left_out_text(self.plan), id="left-out")
            with Horizontal(id="player-top"):
                with Vertical(id="timer-panel"):
                    yield BigText(id="step-word", biggest=2)
                    yield Static(id="step-detail")
                    yield Countdown()
                    yield BreathPacer(reduced_motion=self.coach.settings.reduced_motion)
                    yield Static(id="next-label")
                with Vertical(id="side-panel"):
                    yield PoseFigure(id="figure", still=self.coach.settings.reduced_motion)
                    with VerticalScroll(id="instructions-box"):
                        yield Static(id="instructions")
            with Horizontal(id="session-line"):
                yield Static("Session", id="session-label")
                yield SessionProgress(id="session-progress")
                yield Static(id="session-left")
            yield Static(id="player-keys")
            yield Button("(h) THIS HURTS: stop now", id="hurts", variant="error")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        width, height = event.size
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE[0] and height >= WIDE[1], "-wide")
        self._show_keys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The voice key only where there is a voice to turn on."""
        if action == "toggle_voice":
            return self.coach.speaker is not None
        return True

    def _show_keys(self) -> None:
        voice = "" if self.coach.speaker is None else "   v: voice"
        how = "" if self.has_class("-wide") else "   i: how to do it"
        self.query_one("#player-keys", Static).update(
            Content.assemble(
                heading("h: THIS HURTS (stop now)"), f"   space: pause{how}{voice}   q: quit"
            )
        )

    def on_unmount(self) -> None:
        gc.unfreeze()
        self.coach.player = None
        self.coach.show_step_in_title("")
        finished = self.runner is not None and self.runner.status is Status.FINISHED
        if self.coach.speaker is not None and not finished:
            self.coach.speaker.stop()  # a finished session's "Done. Well done." is said whole

    def on_mount(self) -> None:
        # Everything built so far (Textual, the content, this screen) lives through the session:
        # kept out of the collector's way, a full collection takes a few milliseconds instead of
        # some 35, so it cannot hold up a step's end. It is handed back when the session ends.
        gc.freeze()
        self.coach.player = self
        self.session.record_events(self.driver.start(self.plan))
        self._show_keys()
        self.heartbeat()

    # --- time -----------------------------------------------------------------------------

    @property
    def runner(self) -> SessionRunner | None:
        return self.driver.runner

    def heartbeat(self) -> None:
        """Show what the runner says now, log what happened, and sleep until the next change."""
        self.driver.tick()

    def _moved(self, moment: Moment) -> None:
        """Log what happened; then the end, or what to show now."""
        self.session.record_events(moment.events)
        view = moment.view
        if view.status is Status.FINISHED:
            self._say(spoken(self._shown, view, self.coach.content.spoken))
            if moment.by_clock:
                self.app.bell()
            self._finish(SessionOutcome.FINISHED)
        elif not view.status.ended:
            self._show(view)

    def _show(self, view: View) -> None:
        previous, self._shown = self._shown, view
        step = view.step
        self._say(spoken(previous, view, self.coach.content.spoken))
        if (
            step.phase is Phase.HOLD
            and view.remaining == BELL_AT_SECONDS
            and (previous is None or previous.remaining != BELL_AT_SECONDS)
        ):
            self.app.bell()
        self.query_one(Countdown).seconds = view.remaining
        breath = (view.breath.direction, view.breath.fraction) if view.breath else None
        self.query_one(BreathPacer).breath = breath
        self._progress(view)
        paused = view.status is Status.PAUSED
        self.set_class(paused, "-paused")
        word = "PAUSED" if paused else step_word(step)
        self.query_one("#step-word", BigText).text = word
        self.coach.show_step_in_title(f"{word} {clock_face(view.remaining)}")
        detail = step_detail(step) + ("   (space to carry on)" if paused else "")
        self._update("#step-detail", detail)
        self.query_one(PoseFigure).show(*figure_of(view))
        if previous is None or previous.step is not step:
            if step.is_side_switch and previous is not None:
                self.app.bell()
            self.query_one("#exercise-title", Static).update(
                Content.assemble(
                    heading(step.exercise.name),
                    f"  ·  exercise {view.exercise_number} of {view.exercise_count}  ·  ",
                    self.plan.routine.name,
                )
            )
            self._update("#next-label", next_words(view.next_step))
            self.query_one("#instructions", Static).update(instructions(step))

    def _update(self, selector: str, text: str) -> None:
        """Redraw a line only when its words change."""
        if self._shown_words.get(selector) != text:
            self._shown_words[selector] = text
            self.query_one(selector, Static).update(plain(text))

    def _progress(self, view: View) -> None:
        """The bar, and the time left in words: to the next 5 seconds in the last minute (it
        is 'about'), so the words change now and then rather than every second."""
        left = math.ceil((1 - view.session_fraction) * self.plan.total_seconds)
        if left < 60:
            words = f"about {LEFT_STEP * math.ceil(left / LEFT_STEP)} s left"
        else:
            words = f"about {math.ceil(left / 60)} min left"
        self._update("#session-left", words)
        self.query_one(SessionProgress).fraction = view.session_fraction

    def _say(self, lines: list[str]) -> None:
        speaker = self.coach.speaker
        if speaker is not None and self.coach.settings.speech:
            for line in lines:
                speaker.say(line)

    def _finish(self, outcome: SessionOutcome) -> None:
        assert self.runner is not None
        self.driver.stop()
        names = {planned.exercise.id: planned.exercise.name for planned in self.plan.exercises}
        self.result.outcome = outcome
        self.result.done = [names[exercise_id] for exercise_id in self.runner.done_exercises]
        self.result.skipped += [
            (names[exercise_id], reason) for exercise_id, reason in self.runner.skipped_exercises
        ]
        self.result.active_seconds = self.runner.elapsed_active_seconds(
            self.coach.clock.monotonic()
        )
        self.session.end(outcome)
        if self.app.screen is self:
            self._leave()
        # Else something is open on top (help, a heat alert): leave when it closes.

    def on_screen_resume(self) -> None:
        if self.runner is not None and self.runner.status.ended:
            self._leave()

    def _leave(self) -> None:
        """Dismiss once, whichever of the end and the return to the top comes last."""
        if not self._left:
            self._left = True
            self.dismiss(self.result)

    @property
    def running(self) -> bool:
        """Started and not yet finished or stopped (paused counts as running)."""
        return self.runner is not None and not self.runner.status.ended

    def interrupt(self, now: float) -> None:
        """The app is closing mid-session (at `now`, monotonic): record it as interrupted,
        keeping what was done. Called from a signal handler too, so it touches no widget."""
        if self.runner is None or self.runner.status.ended:
            return
        self.runner.stop(now, hurt=False)  # logged as interrupted instead
        self.session.end(SessionOutcome.INTERRUPTED)

    # --- keys -----------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """The 'this hurts' button, shown under 60 columns: a phone has no h key to hand."""
        if event.button.id == "hurts":
            self.action_hurts()

    def action_hurts(self) -> None:
        if self.runner is None or self.runner.status.ended:
            return
        self.result.hurt_exercise = self.runner.step.exercise
        self.driver.act("stop", hurt=True)
        self._finish(SessionOutcome.STOPPED_HURT)

    def action_stop(self) -> None:
        if self.runner is None or self.runner.status.ended:
            return
        self.driver.act("stop", hurt=False)
        self._finish(SessionOutcome.STOPPED)

    def action_toggle_pause(self) -> None:
        self.driver.act("toggle_pause")

    def action_next_step(self) -> None:
        self.driver.act("next_step")

    def action_previous_step(self) -> None:
        self.driver.act("previous_step")

    def action_how_to(self) -> None:
        """The whole of how to do it, over the countdown (which keeps running underneath)."""
        if self.runner is None or self.runner.status.ended:
            return
        step = self.runner.step
        self.app.push_screen(HowToScreen(step.exercise.name, instructions(step)))

    def action_toggle_voice(self) -> None:
        """Spoken cues on or off, remembered in the settings."""
        if self.coach.speaker is None:
            self.app.notify(self.coach.no_speaker_words, title="Voice")
            return
        on = not self.coach.settings.speech
        self.coach.save_settings(speech=on)
        if not on:
            self.coach.speaker.stop()
        self.app.notify("Spoken cues on." if on else "Spoken cues off.", title="Voice")

    def action_skip(self) -> None:
        if self.runner is None or self.runner.status.ended:
            return
        was_running = self.runner.status is Status.RUNNING
        if was_running:
            self.driver.act("pause")

        def skip_for(reason: SkipReason | None) -> None:
            if reason is SkipReason.IT_HURTS:
                self.action_hurts()  # it hurts too much: stop, a score, a check and advice
            elif reason is not None:
                if self.runner and self.runner.status is Status.PAUSED and was_running:
                    self.driver.act("resume")
                self.driver.act("skip_exercise", reason.value)
            elif was_running:
                self.driver.act("resume")

        self.app.push_screen(SkipReasonScreen(), skip_for)
