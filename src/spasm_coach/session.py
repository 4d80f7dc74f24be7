"""A stretching session: a routine planned for the person, expanded into timed steps, and run.

The runner is a pure state machine. It owns no clock: every call takes the monotonic time from
the caller, so the TUI drives it from a heartbeat and the tests drive it with plain numbers.
Steps end at absolute deadlines, each following on from the last, so a late heartbeat never
stretches or shortens a hold, and the session ends when the plan says it ends.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from spasm_coach.content import Caution, Dose, Exercise, Routine, RoutineStep
from spasm_coach.poses import Moment, eased
from spasm_coach.vocabulary import CONDITIONS, EventKind, SessionOutcome

ROUNDING_SLACK = 1e-9
"""Float noise allowed when turning seconds left into whole seconds, so 5.000000001 shows 5."""
MOVE_SECONDS = 2.0
"""A figure moves into a hold, and back out in the rest, over this long (or a third of the
step, if that is shorter)."""
FIGURE_FRAME_SECONDS = 0.2
"""While a figure moves into or out of a hold, it is drawn afresh this often."""


class Phase(StrEnum):
    PREPARE = "prepare"
    HOLD = "hold"
    REST = "rest"


class Status(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"

    @property
    def ended(self) -> bool:
        return self in (Status.FINISHED, Status.STOPPED)


@dataclass(frozen=True)
class PlannedExercise:
    exercise: Exercise
    dose: Dose
    modifications: tuple[Caution, ...]
    """Cautions for the person's conditions; the TUI shows each one's `modified` instead."""


@dataclass(frozen=True)
class Step:
    phase: Phase
    exercise_index: int
    """Position of the exercise in SessionPlan.exercises, from 0."""
    side: str
    """'' for an exercise done once, else 'left' or 'right'."""
    repetition: int
    """From 1 within the side; a rest carries the number of the hold it follows."""
    repetitions: int
    seconds: int
    planned: PlannedExercise = field(repr=False)

    @property
    def exercise(self) -> Exercise:
        return self.planned.exercise

    @property
    def is_side_switch(self) -> bool:
        """The moment to change sides: the second side's prepare, or its first hold if none."""
        if self.side == self.planned.dose.sides[0]:
            return False
        if self.planned.dose.prepare_seconds:
            return self.phase is Phase.PREPARE
        return self.phase is Phase.HOLD and self.repetition == 1


@dataclass(frozen=True)
class SessionPlan:
    routine: Routine
    exercises: tuple[PlannedExercise, ...]
    left_out: tuple[tuple[Exercise, Caution], ...]
    """Exercises skipped for the person's conditions, each with the caution that said so."""
    steps: tuple[Step, ...]
    """Empty when every exercise was left out."""

    @property
    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps)


def plan_session(routine: Routine, conditions: Iterable[str]) -> SessionPlan:
    """The routine as this person should do it: unsafe exercises out, modified ones marked."""
    conditions = tuple(conditions)
    unknown = [condition for condition in conditions if condition not in CONDITIONS]
    if unknown:
        raise ValueError(f"unknown condition {unknown[0]!r} (known: {', '.join(CONDITIONS)})")
    exercises: list[PlannedExercise] = []
    left_out: list[tuple[Exercise, Caution]] = []
    for routine_step in routine.steps:
        cautions = routine_step.exercise.caution_for(conditions)
        skip = next((caution for caution in cautions if caution.action == "skip"), None)
        if skip is not None:
            left_out.append((routine_step.exercise, skip))
            continue
        modifications = tuple(caution for caution in cautions if caution.action == "modify")
        exercises.append(PlannedExercise(routine_step.exercise, routine_step.dose, modifications))
    steps = tuple(
        step for index, planned in enumerate(exercises) for step in expand(planned, index)
    )
    return SessionPlan(routine, tuple(exercises), tuple(left_out), steps)


def plan_demonstration(
    routine: Routine, exercise: Exercise | None = None
) -> tuple[SessionPlan, int]:
    """A routine as a physio shows it in clinic, and the exercise to start at (from 0).

    No cautions apply: the clinician chooses what to show. An exercise the routine doesn't
    have is shown on its own, at its usual dose.
    """
    if exercise is not None and all(step.exercise.id != exercise.id for step in routine.steps):
        routine = Routine(
            id=exercise.id,
            name=exercise.name,
            description="",
            steps=(RoutineStep(exercise, exercise.dose),),
            sources=(),
        )
    plan = plan_session(routine, ())
    ids = [planned.exercise.id for planned in plan.exercises]
    return plan, ids.index(exercise.id) if exercise is not None else 0


def expand(planned: PlannedExercise, exercise_index: int) -> list[Step]:
    """Per side: prepare, then the holds with a rest between them (none after a side's last,
    except in relaxation, where every tensing ends in letting go)."""
    dose = planned.dose
    steps: list[Step] = []

    def add(phase: Phase, side: str, repetition: int, seconds: int) -> None:
        steps.append(
            Step(phase, exercise_index, side, repetition, dose.repetitions, seconds, planned)
        )

    for side in dose.sides:
        if dose.prepare_seconds:
            add(Phase.PREPARE, side, 1, dose.prepare_seconds)
        for repetition in range(1, dose.repetitions + 1):
            add(Phase.HOLD, side, repetition, dose.hold_seconds)
            last = repetition == dose.repetitions
            if dose.rest_seconds and (not last or planned.exercise.kind == "relaxation"):
                add(Phase.REST, side, repetition, dose.rest_seconds)
    return steps


@dataclass(frozen=True)
class Event:
    """Something for the log; an exercise-skipped event's detail is the reason given."""

    kind: EventKind
    exercise_id: str | None = None
    detail: str | None = None


@dataclass
class SessionResult:
    """What happened in a session, for the summary."""

    outcome: SessionOutcome
    done: list[str] = field(default_factory=list)
    """Names of the exercises finished."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(exercise name, reason), including exercises left out for the person's cautions."""
    active_seconds: float = 0.0
    hurt_exercise: Exercise | None = None
    """The exercise that was on when the person said it hurt."""


@dataclass(frozen=True)
class Breath:
    direction: str
    """'in' or 'out'."""
    fraction: float
    """How far through this breath, 0 to 1."""


@dataclass(frozen=True)
class View:
    """What the screen shows at one moment."""

    step: Step
    status: Status
    remaining: int
    """Whole seconds left in the step, rounded up, so 0 shows only as the step ends."""
    session_fraction: float
    exercise_number: int
    """From 1, out of exercise_count."""
    exercise_count: int
    next_step: Step | None
    breath: Breath | None
    """Set during a hold of an exercise paced by the breath."""
    figure_frame: int
    """Which ASCII figure frame to draw (a physio's own exercise, which has no poses): for a
    paced two-frame figure, 0 breathing out, 1 in."""
    figure: Moment | None
    """Where the body is between two positions (None without poses): moving into the hold,
    back out in the rest, or with the breath."""


class SessionRunner:
    """Runs a plan against the caller's monotonic time; every change returns events to log."""

    def __init__(self, plan: SessionPlan, now: float, first_exercise: int = 0) -> None:
        """`first_exercise`: where to begin (from 0); a physio in clinic jumps to any one."""
        if not plan.steps:
            raise ValueError("every exercise was left out: there is nothing to run")
        self.plan = plan
        self.status = Status.RUNNING
        self.done_exercises: list[str] = []
        self.skipped_exercises: list[tuple[str, str]] = []
        """(exercise id, reason), in the order they were skipped."""
        self._first_steps = [
            index
            for index, step in enumerate(plan.steps)
            if index == 0 or plan.steps[index - 1].exercise_index != step.exercise_index
        ]
        self.step_index = self._first_steps[first_exercise]
        self._deadline = now + self.step.seconds
        self._frozen_left: float | None = None
        """Seconds left in the step while paused or after the end; None while running."""
        self._started_at = now
        self._ended_at: float | None = None
        self._paused_since: float | None = None
        self._paused_seconds = 0.0

    @property
    def step(self) -> Step:
        return self.plan.steps[self.step_index]

    def start_events(self) -> list[Event]:
        """The events of starting, which the constructor can't return: the first exercise."""
        return [Event(EventKind.EXERCISE_STARTED, self.step.exercise.id)]

    def tick(self, now: float) -> list[Event]:
        """Advance past every step whose deadline has come, each from the previous deadline."""
        events: list[Event] = []
        while self.status is Status.RUNNING and now >= self._deadline:
            step, following = self.step, self._following_step()
            if following is None or following.exercise_index != step.exercise_index:
                self.done_exercises.append(step.exercise.id)
                events.append(Event(EventKind.EXERCISE_DONE, step.exercise.id))
            if following is None:
                events += self._end(self._deadline, Status.FINISHED, Event(EventKind.FINISHED))
            else:
                self.step_index += 1
                self._deadline += following.seconds
                if following.exercise_index != step.exercise_index:
                    events.append(Event(EventKind.EXERCISE_STARTED, following.exercise.id))
        return events

    def pause(self, now: float) -> list[Event]:
        if self.status is not Status.RUNNING:
            return []
        self._frozen_left = self._left(now)
        self._paused_since = now
        self.status = Status.PAUSED
        return [Event(EventKind.PAUSED, self.step.exercise.id)]

    def resume(self, now: float) -> list[Event]:
        if self.status is not Status.PAUSED:
            return []
        self._deadline = now + self._left(now)
        self._frozen_left = None
        self._close_pause(now)
        self.status = Status.RUNNING
        return [Event(EventKind.RESUMED, self.step.exercise.id)]

    def toggle_pause(self, now: float) -> list[Event]:
        return self.resume(now) if self.status is Status.PAUSED else self.pause(now)

    def skip_exercise(self, now: float, reason: str) -> list[Event]:
        """Leave the current exercise undone and start the next one afresh (or finish)."""
        if self.status.ended:
            return []
        exercise_id = self.step.exercise.id
        self.skipped_exercises.append((exercise_id, reason))
        events = [Event(EventKind.EXERCISE_SKIPPED, exercise_id, reason)]
        following = self.step.exercise_index + 1
        if following == len(self.plan.exercises):
            return events + self._end(now, Status.FINISHED, Event(EventKind.FINISHED))
        return events + self._enter(self._first_steps[following], now)

    def next_step(self, now: float) -> list[Event]:
        """Move on one step; on the last step there is nowhere to go, so nothing happens."""
        if self.status.ended or self._following_step() is None:
            return []
        return self._enter(self.step_index + 1, now)

    def previous_step(self, now: float) -> list[Event]:
        """Go back one step, or restart the first step."""
        if self.status.ended:
            return []
        return self._enter(max(self.step_index - 1, 0), now)

    def stop(self, now: float, hurt: bool) -> list[Event]:
        if self.status.ended:
            return []
        kind = EventKind.STOPPED_HURT if hurt else EventKind.STOPPED
        return self._end(now, Status.STOPPED, Event(kind, self.step.exercise.id))

    def elapsed_active_seconds(self, now: float) -> float:
        """Time spent in the session, not counting pauses, up to its end."""
        end = now if self._ended_at is None else self._ended_at
        paused = self._paused_seconds
        if self._paused_since is not None:
            paused += end - self._paused_since
        return end - self._started_at - paused

    def next_change(
        self, now: float, pacer_cells: int = 0, moving_figure: bool = False
    ) -> float | None:
        """When the screen next has something new to show: the countdown's next whole second
        (which at the end of a step is the step's end), the breath's next turn (a spoken cue,
        a figure's position), or, while a breath pacer of `pacer_cells` cells shows, its next
        cell, or, with `moving_figure`, the figure's next frame as it moves into or out of a
        hold. None while paused or ended: only a key changes anything then. An absolute time
        on the caller's monotonic clock."""
        if self.status is not Status.RUNNING:
            return None
        left = self._left(now)
        shown = _whole_seconds(left)
        at = self._deadline - max(shown - 1, 0)
        step = self.step
        dose = step.planned.dose
        if step.phase is Phase.HOLD and dose.breath_in_seconds:
            elapsed = step.seconds - left
            at = min(at, now + _until_next_pacer_cell(dose, elapsed, pacer_cells))
        if moving_figure and step.exercise.poses is not None and not dose.paced:
            elapsed = step.seconds - left
            moving = _move_seconds(step)
            if elapsed < moving:
                at = min(at, now + min(FIGURE_FRAME_SECONDS, moving - elapsed))
        return at

    def view(self, now: float) -> View:
        step = self.step
        left = self._left(now)
        elapsed_in_step = step.seconds - left
        before = sum(earlier.seconds for earlier in self.plan.steps[: self.step_index])
        return View(
            step=step,
            status=self.status,
            remaining=_whole_seconds(left),
            session_fraction=_fraction(before + elapsed_in_step, self.plan.total_seconds),
            exercise_number=step.exercise_index + 1,
            exercise_count=len(self.plan.exercises),
            next_step=self._following_step(),
            breath=_breath(step, elapsed_in_step),
            figure_frame=_figure_frame(step, elapsed_in_step),
            figure=_figure(step, elapsed_in_step),
        )

    def _left(self, now: float) -> float:
        """Seconds left in the step: never less than none, and never more than the step is long
        (a deadline `now + seconds` can come out a hair past it in floating point: just below a
        power of two, the sum is rounded up, and the step would seem not to have begun)."""
        if self._frozen_left is not None:
            return self._frozen_left
        return min(max(self._deadline - now, 0.0), float(self.step.seconds))

    def _following_step(self) -> Step | None:
        following = self.step_index + 1
        return self.plan.steps[following] if following < len(self.plan.steps) else None

    def _enter(self, index: int, now: float) -> list[Event]:
        """Start a step afresh from now; while paused it waits, full length, for resume."""
        previous_exercise = self.step.exercise_index
        self.step_index = index
        if self.status is Status.PAUSED:
            self._frozen_left = float(self.step.seconds)
        else:
            self._deadline = now + self.step.seconds
        if self.step.exercise_index == previous_exercise:
            return []
        return [Event(EventKind.EXERCISE_STARTED, self.step.exercise.id)]

    def _end(self, at: float, status: Status, event: Event) -> list[Event]:
        """Freeze the view: a finished session shows its last step complete, a stopped one the
        moment it stopped."""
        if status is Status.FINISHED:
            self.step_index, self._frozen_left = len(self.plan.steps) - 1, 0.0
        else:
            self._frozen_left = self._left(at)
        self._close_pause(at)
        self._ended_at = at
        self.status = status
        return [event]

    def _close_pause(self, now: float) -> None:
        if self._paused_since is not None:
            self._paused_seconds += now - self._paused_since
            self._paused_since = None


def _whole_seconds(seconds: float) -> int:
    return max(math.ceil(seconds - ROUNDING_SLACK), 0)


def _fraction(part: float, whole: float) -> float:
    return min(max(part / whole, 0.0), 1.0) if whole else 1.0


def _breath(step: Step, elapsed: float) -> Breath | None:
    """Breathing in then out, over and over from the start of the hold."""
    dose = step.planned.dose
    if step.phase is not Phase.HOLD or dose.breath_in_seconds is None:
        return None
    breath_in, breath_out = dose.breath_in_seconds, dose.breath_out_seconds or 0
    into_cycle = elapsed % (breath_in + breath_out)
    if into_cycle < breath_in:
        return Breath("in", into_cycle / breath_in)
    return Breath("out", (into_cycle - breath_in) / breath_out)


def _until_next_pacer_cell(dose: Dose, elapsed: float, cells: int) -> float:
    """Seconds until the breath bar of `cells` cells next gains or loses a cell (or the breath
    turns), from `elapsed` seconds into the hold."""
    breath_in, breath_out = dose.breath_in_seconds or 0, dose.breath_out_seconds or 0
    cycle = breath_in + breath_out
    into = max(elapsed, 0.0) % cycle
    # This breath in and out, and the next breath in: a moment a hair before the end of a
    # breath (within the rounding slack) has its next cell in the breath that follows.
    breaths = ((0.0, breath_in), (breath_in, breath_out), (cycle, breath_in))
    boundaries = [
        start + length * (index + 0.5) / cells
        for start, length in breaths
        for index in range(cells)
    ]
    boundaries += [breath_in, cycle]
    following = min(b for b in boundaries if b > into + ROUNDING_SLACK)
    return following - into


def _figure_frame(step: Step, elapsed: float) -> int:
    """Two-frame figures show the start pose, then the stretch while holding; a paced one moves
    with the breath instead (cat-cow: cat breathing out, cow breathing in)."""
    if len(step.exercise.figure) != 2:
        return 0
    breath = _breath(step, elapsed)
    if breath is not None:
        return 1 if breath.direction == "in" else 0
    return 1 if step.phase is Phase.HOLD else 0


def _move_seconds(step: Step) -> float:
    return min(MOVE_SECONDS, step.seconds / 3)


def _figure(step: Step, elapsed: float) -> Moment | None:
    """Getting ready: the start position. A hold moves from it into the position held (the
    sphinx for cobra's first holds; cobra's straight arms later, unless a caution keeps to the
    sphinx), and the rest after it moves back. With the breath (cat-cow), breathing in moves
    to one position and breathing out to the other, from the start on the first breath."""
    poses = step.exercise.poses
    if poses is None:
        return None
    conditions = [caution.condition for caution in step.planned.modifications]
    held = poses.held(step.repetition, conditions)
    progress = eased(elapsed / _move_seconds(step)) if step.seconds else 1.0
    if step.phase is Phase.PREPARE:
        return Moment(poses.start, poses.start, 1.0)
    if step.phase is Phase.REST:
        return Moment(held, poses.start, progress)
    breath = _breath(step, elapsed)
    if breath is None or poses.breathe_in is None or poses.breathe_out is None:
        return Moment(poses.start, held, progress)
    dose = step.planned.dose
    first_breath = elapsed < (dose.breath_in_seconds or 0) and (
        step.repetition == 1 or dose.rest_seconds > 0
    )
    if breath.direction == "in":
        origin = poses.start if first_breath else poses.breathe_out
        return Moment(origin, poses.breathe_in, eased(breath.fraction))
    return Moment(poses.breathe_in, poses.breathe_out, eased(breath.fraction))
