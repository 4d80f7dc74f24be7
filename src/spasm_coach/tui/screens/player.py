"""The session player: the big countdown, what to do now, and one key to stop because it hurts.

A heartbeat asks the session runner what to show; the runner's deadlines are absolute, so a slow
frame never changes how long a hold lasts. Widgets are reactive and only redraw on change. Every
event is written to the log as it happens.
"""

from __future__ import annotations

import math

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, ProgressBar, Static

from spasm_coach.journal import SessionLog
from spasm_coach.session import Phase, SessionPlan, SessionResult, SessionRunner, Status, Step, View
from spasm_coach.tui.base import CoachScreen
from spasm_coach.tui.dialogs.skip import SkipReasonScreen
from spasm_coach.tui.text import heading, labelled, plain
from spasm_coach.tui.widgets.countdown import Countdown
from spasm_coach.tui.widgets.pacer import BreathPacer
from spasm_coach.vocabulary import SessionOutcome

HEARTBEAT_SECONDS = 0.2
"""How often the screen asks the runner what to show; it redraws only what changed."""
BIG_DIGITS_FROM = (90, 30)
"""Terminals at least this wide and tall get the double-size countdown."""
BELL_AT_SECONDS = 3
"""The bell marks the last seconds of a hold."""


def step_label(step: Step) -> str:
    parts = {
        Phase.PREPARE: "SWITCH SIDES" if step.is_side_switch else "GET READY",
        Phase.HOLD: "HOLD" if not step.planned.dose.paced else "MOVE WITH YOUR BREATH",
        Phase.REST: "REST",
    }
    words = [parts[step.phase]]
    if step.side:
        words.append(f"{step.side} side")
    if step.phase is not Phase.PREPARE:
        unit = "cycle" if step.planned.dose.paced and step.phase is Phase.HOLD else "rep"
        words.append(f"{unit} {step.repetition} of {step.repetitions}")
    return "  ·  ".join(words)


def next_label(step: Step | None) -> str:
    if step is None:
        return "Next: the end. Well done."
    label = {Phase.PREPARE: "get ready", Phase.HOLD: "hold", Phase.REST: "rest"}[step.phase]
    where = f" ({step.side} side)" if step.side else ""
    return f"Next: {label}{where}, {step.seconds} s  ·  {step.exercise.name}"


def instructions(step: Step) -> Content:
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
    ]

    def __init__(self, plan: SessionPlan, session: SessionLog) -> None:
        super().__init__()
        self.plan, self.session = plan, session
        self.runner: SessionRunner | None = None
        self.result = SessionResult(
            outcome=SessionOutcome.INTERRUPTED,
            skipped=[(exercise.name, f"left out: {c.condition}") for exercise, c in plan.left_out],
        )
        self._shown_step: Step | None = None
        self._left = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="player"):
            yield Static(id="exercise-title")
            with Horizontal(id="player-top"):
                with Vertical(id="timer-panel"):
                    yield Static(id="step-label")
                    yield Countdown()
                    yield BreathPacer(reduced_motion=self.app.settings.reduced_motion)
                    yield Static(id="next-label")
                yield Static(id="figure")
            with Horizontal(id="session-line"):
                yield Static("Session", id="session-label")
                yield ProgressBar(
                    total=self.plan.total_seconds, show_eta=False, id="session-progress"
                )
                yield Static(id="session-left")
            with VerticalScroll(id="instructions-box"):
                if self.plan.left_out:
                    yield Static(left_out_text(self.plan), id="left-out")
                yield Static(id="instructions")
        yield Footer()

    def on_resize(self, event: events.Resize) -> None:
        width, height = BIG_DIGITS_FROM
        big = event.size.width >= width and event.size.height >= height
        self.query_one(Countdown).set_class(big, "-big")

    def on_unmount(self) -> None:
        self.app.player = None

    def on_mount(self) -> None:
        self.app.player = self
        self.runner = SessionRunner(self.plan, self.app.clock.monotonic())
        self.session.record_events(self.runner.start_events())
        self.heartbeat()
        self.set_interval(HEARTBEAT_SECONDS, self.heartbeat)

    # --- time -----------------------------------------------------------------------------

    def heartbeat(self) -> None:
        """Ask the runner what to show now; log what happened since the last beat."""
        runner = self.runner
        if runner is None or runner.status.ended:
            return
        now = self.app.clock.monotonic()
        self.session.record_events(runner.tick(now))
        if runner.status is Status.FINISHED:
            self.app.bell()
            self._finish(SessionOutcome.FINISHED)
            return
        self._show(runner.view(now))

    def _show(self, view: View) -> None:
        step = view.step
        countdown = self.query_one(Countdown)
        if (
            step.phase is Phase.HOLD
            and view.remaining == BELL_AT_SECONDS
            and countdown.seconds != BELL_AT_SECONDS
        ):
            self.app.bell()
        countdown.seconds = view.remaining
        self.query_one(BreathPacer).breath = (
            (view.breath.direction, view.breath.fraction) if view.breath else None
        )
        total = self.plan.total_seconds
        self.query_one(ProgressBar).update(progress=view.session_fraction * total)
        left = math.ceil((1 - view.session_fraction) * total)
        words = f"{left} s" if left < 60 else f"{math.ceil(left / 60)} min"
        self.query_one("#session-left", Static).update(f"about {words} left")
        paused = view.status is Status.PAUSED
        self.set_class(paused, "-paused")
        label = step_label(step) + ("   (PAUSED: space to carry on)" if paused else "")
        self.query_one("#step-label", Static).update(plain(label))
        frames = step.exercise.figure
        if frames:
            frame = 0 if self.app.settings.reduced_motion else view.figure_frame
            self.query_one("#figure", Static).update(plain(frames[min(frame, len(frames) - 1)]))
        if step is not self._shown_step:
            if step.is_side_switch and self._shown_step is not None:
                self.app.bell()
            self._shown_step = step
            self.query_one("#exercise-title", Static).update(
                Content.assemble(
                    heading(step.exercise.name),
                    f"  ·  exercise {view.exercise_number} of {view.exercise_count}  ·  ",
                    self.plan.routine.name,
                )
            )
            self.query_one("#next-label", Static).update(plain(next_label(view.next_step)))
            self.query_one("#instructions", Static).update(instructions(step))

    def _finish(self, outcome: SessionOutcome) -> None:
        assert self.runner is not None
        names = {planned.exercise.id: planned.exercise.name for planned in self.plan.exercises}
        self.result.outcome = outcome
        self.result.done = [names[exercise_id] for exercise_id in self.runner.done_exercises]
        self.result.skipped += [
            (names[exercise_id], reason) for exercise_id, reason in self.runner.skipped_exercises
        ]
        self.result.active_seconds = self.runner.elapsed_active_seconds(self.app.clock.monotonic())
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

    def interrupt(self) -> None:
        """The app is closing mid-session: record it as interrupted, keeping what was done."""
        if self.runner is None or self.runner.status.ended:
            return
        self.runner.stop(self.app.clock.monotonic(), hurt=False)  # logged as interrupted instead
        self.session.end(SessionOutcome.INTERRUPTED)

    # --- keys -----------------------------------------------------------------------------

    def _act(self, action: str, *args: object) -> None:
        if self.runner is None or self.runner.status.ended:
            return
        now = self.app.clock.monotonic()
        self.session.record_events(getattr(self.runner, action)(now, *args))
        if self.runner.status is Status.FINISHED:
            self._finish(SessionOutcome.FINISHED)
        elif not self.runner.status.ended:
            self._show(self.runner.view(now))

    def action_hurts(self) -> None:
        if self.runner is None or self.runner.status.ended:
            return
        self.result.hurt_exercise = self.runner.step.exercise
        self.session.record_events(self.runner.stop(self.app.clock.monotonic(), hurt=True))
        self._finish(SessionOutcome.STOPPED_HURT)

    def action_stop(self) -> None:
        if self.runner is None or self.runner.status.ended:
            return
        self.session.record_events(self.runner.stop(self.app.clock.monotonic(), hurt=False))
        self._finish(SessionOutcome.STOPPED)

    def action_toggle_pause(self) -> None:
        self._act("toggle_pause")

    def action_next_step(self) -> None:
        self._act("next_step")

    def action_previous_step(self) -> None:
        self._act("previous_step")

    def action_skip(self) -> None:
        if self.runner is None or self.runner.status.ended:
            return
        was_running = self.runner.status is Status.RUNNING
        if was_running:
            self._act("pause")

        def skip_for(reason: str | None) -> None:
            if reason is not None:
                if self.runner and self.runner.status is Status.PAUSED and was_running:
                    self._act("resume")
                self._act("skip_exercise", reason)
            elif was_running:
                self._act("resume")

        self.app.push_screen(SkipReasonScreen(), skip_for)
