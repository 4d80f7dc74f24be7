"""Session planning, step expansion and the runner, driven by plain numbers for time."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import pytest

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, Dose, Routine, RoutineStep
from spasm_coach.session import (
    Breath,
    Event,
    Phase,
    SessionPlan,
    SessionRunner,
    Status,
    plan_session,
)
from spasm_coach.vocabulary import EventKind

START = 1000.0


def routine_of(content: Content, *exercise_ids: str, **dose_changes: Any) -> Routine:
    """A routine of the given exercises, each with its library dose changed as asked."""
    steps = tuple(
        RoutineStep(
            content.exercises[exercise_id],
            replace(content.exercises[exercise_id].dose, **dose_changes),
        )
        for exercise_id in exercise_ids
    )
    return Routine("test", "Test", "A routine for tests.", steps, ())


LONG_STILL_HOLD = {"hold_seconds": 50, "repetitions": 3, "rest_seconds": 10}
"""A paced still hold of five slow breaths (child's pose as a physio might set it)."""


def plan_of(content: Content, *exercise_ids: str, **dose_changes: Any) -> SessionPlan:
    return plan_session(routine_of(content, *exercise_ids, **dose_changes), ())


def shape(plan: SessionPlan) -> list[tuple[Phase, str, int, int]]:
    return [(step.phase, step.side, step.repetition, step.seconds) for step in plan.steps]


def run_to_end(runner: SessionRunner, times: list[float]) -> list[Event]:
    events = []
    for now in times:
        events += runner.tick(now)
    return events


# ---- expansion ---------------------------------------------------------------------------------


def test_sided_exercise_has_a_prepare_per_side_and_rests_only_between_holds(
    content: Content,
) -> None:
    plan = plan_of(content, "knee_to_chest", repetitions=2)

    assert shape(plan) == [
        (Phase.PREPARE, "left", 1, 8),
        (Phase.HOLD, "left", 1, 20),
        (Phase.REST, "left", 1, 10),
        (Phase.HOLD, "left", 2, 20),
        (Phase.PREPARE, "right", 1, 8),
        (Phase.HOLD, "right", 1, 20),
        (Phase.REST, "right", 1, 10),
        (Phase.HOLD, "right", 2, 20),
    ]
    assert [step.is_side_switch for step in plan.steps] == [False] * 4 + [True] + [False] * 3
    assert {step.repetitions for step in plan.steps} == {2}
    assert {step.exercise_index for step in plan.steps} == {0}
    assert plan.total_seconds == 116


def test_exercise_done_once_has_one_prepare_and_no_side(content: Content) -> None:
    plan = plan_of(content, "cobra", repetitions=3)

    assert shape(plan) == [
        (Phase.PREPARE, "", 1, 10),
        (Phase.HOLD, "", 1, 8),
        (Phase.REST, "", 1, 5),
        (Phase.HOLD, "", 2, 8),
        (Phase.REST, "", 2, 5),
        (Phase.HOLD, "", 3, 8),
    ]
    assert not any(step.is_side_switch for step in plan.steps)
    assert all(step.exercise.id == "cobra" for step in plan.steps)


@pytest.mark.parametrize("exercise_id", ["knee_to_chest", "cobra", "childs_pose", "cat_cow"])
def test_no_rest_steps_when_rest_is_zero(content: Content, exercise_id: str) -> None:
    plan = plan_of(content, exercise_id, rest_seconds=0)

    assert Phase.REST not in {step.phase for step in plan.steps}
    holds = [step for step in plan.steps if step.phase is Phase.HOLD]
    dose = content.exercises[exercise_id].dose
    assert len(holds) == dose.repetitions * len(dose.sides)


def test_a_zero_second_prepare_is_left_out_and_the_switch_is_the_first_hold(
    content: Content,
) -> None:
    plan = plan_of(content, "knee_to_chest", repetitions=2, prepare_seconds=0)

    assert Phase.PREPARE not in {step.phase for step in plan.steps}
    switches = [step for step in plan.steps if step.is_side_switch]
    assert [(s.phase, s.side, s.repetition) for s in switches] == [(Phase.HOLD, "right", 1)]


@pytest.mark.parametrize("side", ["left", "right"])
def test_a_step_on_one_side_does_only_that_side_with_no_switch(content: Content, side: str) -> None:
    plan = plan_of(content, "knee_to_chest", repetitions=2, only_side=side)

    assert shape(plan) == [
        (Phase.PREPARE, side, 1, 8),
        (Phase.HOLD, side, 1, 20),
        (Phase.REST, side, 1, 10),
        (Phase.HOLD, side, 2, 20),
    ]
    assert not any(step.is_side_switch for step in plan.steps)
    assert plan.total_seconds == plan.routine.total_seconds == 58


def test_a_one_sided_step_runs_to_the_end_on_its_side(content: Content) -> None:
    plan = plan_of(content, "bird_dog", only_side="right")
    runner = SessionRunner(plan, START)

    sides = []
    now = START
    while runner.status is Status.RUNNING:
        sides.append(runner.view(now).step.side)
        now += runner.step.seconds
        runner.tick(now)

    assert set(sides) == {"right"}
    assert runner.status is Status.FINISHED
    assert now == START + plan.total_seconds


@pytest.mark.parametrize(
    ("sided", "side"),
    [(False, "left"), (True, "both"), (True, "")],
    ids=["unsided", "both", "blank"],
)
def test_a_dose_refuses_a_side_it_cannot_have(sided: bool, side: str) -> None:
    with pytest.raises(ValueError, match="only_side"):
        Dose(hold_seconds=5, repetitions=2, sided=sided, only_side=side)


def test_steps_follow_the_routine_order_and_add_up(content: Content) -> None:
    plan = plan_session(content.routines["standard"], ())

    order = [step.planned.exercise.id for step in plan.steps]
    routine = [step.exercise.id for step in content.routines["standard"].steps]
    assert list(dict.fromkeys(order)) == routine
    assert all(plan.exercises[step.exercise_index] is step.planned for step in plan.steps)
    assert plan.total_seconds == sum(step.seconds for step in plan.steps)
    assert plan.left_out == ()


@pytest.mark.parametrize("routine_id", ["gentle", "standard"])
def test_plan_takes_as_long_as_the_routine_says(content: Content, routine_id: str) -> None:
    routine = content.routines[routine_id]

    assert plan_session(routine, ()).total_seconds == routine.total_seconds


# ---- personal cautions -------------------------------------------------------------------------


def test_pregnancy_leaves_out_cobra_and_says_why(content: Content) -> None:
    plan = plan_session(content.routines["standard"], ["pregnancy"])

    left_out = {exercise.id: caution for exercise, caution in plan.left_out}
    assert "cobra" in left_out
    assert left_out["cobra"].condition == "pregnancy"
    assert left_out["cobra"].action == "skip"
    kept = [planned.exercise.id for planned in plan.exercises]
    assert "cobra" not in kept
    assert "cobra" not in {step.exercise.id for step in plan.steps}
    childs_pose = next(p for p in plan.exercises if p.exercise.id == "childs_pose")
    assert [c.condition for c in childs_pose.modifications] == ["pregnancy"]


def test_osteoporosis_leaves_out_knee_to_chest_and_keeps_the_rest_modified(
    content: Content,
) -> None:
    plan = plan_session(content.routines["standard"], ["osteoporosis"])

    assert [(e.id, c.condition) for e, c in plan.left_out] == [("knee_to_chest", "osteoporosis")]
    cat_cow = plan.exercises[0]
    assert cat_cow.exercise.id == "cat_cow"
    assert [c.condition for c in cat_cow.modifications] == ["osteoporosis"]
    assert cat_cow.modifications[0].modified is not None
    assert cat_cow.modifications[0].modified.startswith("Round and dip only a little")


def test_a_skip_caution_wins_over_a_modify_one(content: Content) -> None:
    plan = plan_session(routine_of(content, "knee_to_chest"), ["knee", "pregnancy"])

    assert [(e.id, c.condition) for e, c in plan.left_out] == [("knee_to_chest", "pregnancy")]
    assert plan.exercises == ()


def test_every_exercise_left_out_gives_no_steps_and_nothing_to_run(content: Content) -> None:
    plan = plan_session(routine_of(content, "knee_to_chest", "cobra"), ["pregnancy"])

    assert plan.steps == ()
    assert plan.total_seconds == 0
    assert len(plan.left_out) == 2
    with pytest.raises(ValueError, match="nothing to run"):
        SessionRunner(plan, START)


def test_an_unknown_condition_is_refused(content: Content) -> None:
    with pytest.raises(ValueError, match="'pregnant'"):
        plan_session(content.routines["standard"], ["pregnant"])


# ---- the runner: time ----------------------------------------------------------------------------


def test_a_run_by_ticks_finishes_with_every_exercise_started_and_done(content: Content) -> None:
    plan = plan_session(content.routines["gentle"], ())
    runner = SessionRunner(plan, START)

    events = runner.start_events()
    events += run_to_end(runner, [START + second for second in range(plan.total_seconds + 2)])

    ids = ["knee_to_chest", "childs_pose", "cat_cow"]
    expected = []
    for exercise_id in ids:
        expected += [
            Event(EventKind.EXERCISE_STARTED, exercise_id),
            Event(EventKind.EXERCISE_DONE, exercise_id),
        ]
    assert events == [*expected, Event(EventKind.FINISHED)]
    assert runner.status is Status.FINISHED
    assert runner.done_exercises == ids
    assert runner.skipped_exercises == []
    assert runner.tick(START + 10_000) == []


def test_a_late_tick_does_not_move_the_next_deadline(content: Content) -> None:
    runner = SessionRunner(plan_of(content, "knee_to_chest", repetitions=2), START)

    runner.tick(START + 8 + 3)  # the 8 s prepare ended 3 s ago

    view = runner.view(START + 11)
    assert view.step.phase is Phase.HOLD
    assert view.remaining == 20 - 3
    assert runner.tick(START + 8 + 20 - 0.001) == []
    runner.tick(START + 8 + 20)
    assert runner.step.phase is Phase.REST


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_irregular_ticks_end_exactly_at_start_plus_total(content: Content, seed: int) -> None:
    plan = plan_session(content.routines["standard"], ())
    runner = SessionRunner(plan, START)
    steps = random.Random(seed)
    now = START
    while now < START + plan.total_seconds - 8:
        now += steps.uniform(0.01, 7.5)
        runner.tick(min(now, START + plan.total_seconds - 0.001))

    assert runner.status is Status.RUNNING
    assert runner.tick(START + plan.total_seconds + 0.5)[-1] == Event(EventKind.FINISHED)
    assert runner.elapsed_active_seconds(START + plan.total_seconds + 60) == plan.total_seconds


def test_a_pause_freezes_the_time_left_and_moves_the_end_by_its_length(
    content: Content, clock: FakeClock
) -> None:
    plan = plan_of(content, "childs_pose", **LONG_STILL_HOLD)
    start = clock.monotonic()
    runner = SessionRunner(plan, start)
    clock.advance(23.5)
    runner.tick(clock.monotonic())
    at_pause = runner.view(clock.monotonic())

    assert runner.pause(clock.monotonic()) == [Event(EventKind.PAUSED, "childs_pose")]
    clock.advance(100)
    assert runner.tick(clock.monotonic()) == []
    paused_view = runner.view(clock.monotonic())
    assert runner.resume(clock.monotonic()) == [Event(EventKind.RESUMED, "childs_pose")]

    assert paused_view.status is Status.PAUSED
    assert paused_view.remaining == at_pause.remaining == 37
    assert runner.view(clock.monotonic()).remaining == at_pause.remaining
    assert runner.tick(start + plan.total_seconds + 100 - 0.001) == []
    assert runner.tick(start + plan.total_seconds + 100) == [
        Event(EventKind.EXERCISE_DONE, "childs_pose"),
        Event(EventKind.FINISHED),
    ]
    assert runner.elapsed_active_seconds(start + 10_000) == plan.total_seconds


def test_toggle_pause_pauses_then_resumes(content: Content) -> None:
    runner = SessionRunner(plan_of(content, "cobra"), START)

    assert [e.kind for e in runner.toggle_pause(START + 1)] == ["paused"]
    assert runner.status is Status.PAUSED
    assert [e.kind for e in runner.toggle_pause(START + 2)] == ["resumed"]
    assert runner.status is Status.RUNNING
    assert runner.resume(START + 3) == []


@pytest.mark.parametrize("late_by", [0.0, 0.4, 5.0, 500.0])
def test_remaining_is_never_negative(content: Content, late_by: float) -> None:
    runner = SessionRunner(plan_of(content, "cobra"), START)

    view = runner.view(START + 10 + late_by)  # the 10 s prepare is over, not yet ticked

    assert view.remaining == 0


def test_remaining_counts_whole_seconds_rounded_up(content: Content) -> None:
    runner = SessionRunner(plan_of(content, "cobra"), START)

    assert [runner.view(START + t).remaining for t in (0, 0.2, 1, 1.5, 9.9)] == [10, 10, 9, 9, 1]


def test_session_fraction_rises_from_zero_to_one(content: Content) -> None:
    plan = plan_session(content.routines["gentle"], ())
    runner = SessionRunner(plan, START)
    fractions = []
    for tenth in range(0, plan.total_seconds * 10 + 1, 7):
        now = START + tenth / 10
        runner.tick(now)
        fractions.append(runner.view(now).session_fraction)
    runner.tick(START + plan.total_seconds)
    fractions.append(runner.view(START + plan.total_seconds).session_fraction)

    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert fractions == sorted(fractions)


# ---- the runner: the person's choices ----------------------------------------------------------


def test_skip_exercise_logs_the_reason_and_starts_the_next_afresh(content: Content) -> None:
    plan = plan_of(content, "knee_to_chest", "cobra")
    runner = SessionRunner(plan, START)
    runner.tick(START + 12)

    events = runner.skip_exercise(START + 12.5, "hurts my hip")

    assert events == [
        Event(EventKind.EXERCISE_SKIPPED, "knee_to_chest", "hurts my hip"),
        Event(EventKind.EXERCISE_STARTED, "cobra"),
    ]
    assert runner.step == plan.steps[next(i for i, s in enumerate(plan.steps) if s.exercise_index)]
    assert runner.view(START + 12.5).remaining == 10
    assert runner.skipped_exercises == [("knee_to_chest", "hurts my hip")]
    assert runner.done_exercises == []


def test_skipping_the_last_exercise_finishes(content: Content) -> None:
    runner = SessionRunner(plan_of(content, "cobra"), START)

    events = runner.skip_exercise(START + 3, "too sore")

    assert events == [
        Event(EventKind.EXERCISE_SKIPPED, "cobra", "too sore"),
        Event(EventKind.FINISHED),
    ]
    assert runner.status is Status.FINISHED
    assert runner.elapsed_active_seconds(START + 50) == 3
    assert runner.skip_exercise(START + 4, "again") == []


def test_skipping_while_paused_stays_paused_on_the_next_exercise(content: Content) -> None:
    runner = SessionRunner(plan_of(content, "cobra", "cat_cow"), START)
    runner.pause(START + 2)

    runner.skip_exercise(START + 5, "not today")

    assert runner.status is Status.PAUSED
    assert runner.step.exercise.id == "cat_cow"
    assert runner.view(START + 50).remaining == 10


@pytest.mark.parametrize(
    ("hurt", "kind"), [(True, EventKind.STOPPED_HURT), (False, EventKind.STOPPED)]
)
def test_stop_ends_the_session_naming_the_exercise(
    content: Content, hurt: bool, kind: EventKind
) -> None:
    runner = SessionRunner(plan_of(content, "knee_to_chest", "cobra"), START)
    runner.tick(START + 200)  # into cobra

    assert runner.stop(START + 201, hurt=hurt) == [Event(kind, "cobra")]
    assert runner.status is Status.STOPPED
    assert runner.tick(START + 10_000) == []
    assert runner.view(START + 10_000).remaining == runner.view(START + 201).remaining
    assert runner.elapsed_active_seconds(START + 10_000) == 201
    assert runner.stop(START + 202, hurt=hurt) == []


def test_next_and_previous_step_move_one_step_with_a_fresh_deadline(content: Content) -> None:
    plan = plan_of(content, "cobra", "cat_cow")
    runner = SessionRunner(plan, START)

    assert runner.next_step(START + 4) == []
    assert runner.step == plan.steps[1]
    assert runner.view(START + 4).remaining == plan.steps[1].seconds
    assert runner.previous_step(START + 6) == []
    assert runner.step == plan.steps[0]
    assert runner.view(START + 6).remaining == 10
    assert runner.previous_step(START + 9) == []
    assert runner.step == plan.steps[0]
    assert runner.view(START + 9).remaining == 10


def test_stepping_across_exercises_starts_them_without_done_or_skipped(content: Content) -> None:
    plan = plan_of(content, "cobra", "cat_cow")
    last_cobra = max(i for i, step in enumerate(plan.steps) if step.exercise.id == "cobra")
    runner = SessionRunner(plan, START)
    for _ in range(last_cobra):
        runner.next_step(START)

    assert runner.next_step(START + 1) == [Event(EventKind.EXERCISE_STARTED, "cat_cow")]
    assert runner.previous_step(START + 2) == [Event(EventKind.EXERCISE_STARTED, "cobra")]
    assert runner.done_exercises == runner.skipped_exercises == []


def test_next_step_on_the_last_step_does_nothing(content: Content) -> None:
    plan = plan_of(content, "cobra")
    runner = SessionRunner(plan, START)
    for _ in range(len(plan.steps) + 3):
        runner.next_step(START + 1)

    assert runner.step == plan.steps[-1]
    assert runner.status is Status.RUNNING


def test_stepping_while_paused_stays_paused_with_the_full_step(content: Content) -> None:
    plan = plan_of(content, "cobra")
    runner = SessionRunner(plan, START)
    runner.pause(START + 3)

    runner.next_step(START + 4)

    assert runner.status is Status.PAUSED
    assert runner.view(START + 40).remaining == plan.steps[1].seconds
    runner.resume(START + 50)
    assert runner.view(START + 51).remaining == plan.steps[1].seconds - 1


# ---- the view ----------------------------------------------------------------------------------


def test_view_names_the_exercise_and_what_comes_next(content: Content) -> None:
    plan = plan_of(content, "cobra", "cat_cow")
    runner = SessionRunner(plan, START)

    first = runner.view(START)
    runner.skip_exercise(START, "test")
    second = runner.view(START)
    for _ in plan.steps:
        runner.next_step(START)
    last = runner.view(START)

    assert (first.exercise_number, first.exercise_count, first.next_step) == (1, 2, plan.steps[1])
    assert (second.exercise_number, second.step.exercise.id) == (2, "cat_cow")
    assert last.next_step is None


@pytest.mark.parametrize(
    ("into_hold", "breath"),
    [
        (0.0, Breath("in", 0.0)),
        (2.0, Breath("in", 0.5)),
        (4.0, Breath("out", 0.0)),
        (7.0, Breath("out", 0.5)),
        (10.0, Breath("in", 0.0)),
        (13.0, Breath("in", 0.75)),
        (47.0, Breath("out", 0.5)),
    ],
)
def test_childs_pose_breathes_in_four_out_six_from_the_start_of_the_hold(
    content: Content, into_hold: float, breath: Breath
) -> None:
    runner = SessionRunner(plan_of(content, "childs_pose", **LONG_STILL_HOLD), START)
    now = START + 10 + into_hold  # after the 10 s prepare
    runner.tick(now)

    assert runner.view(now).step.phase is Phase.HOLD
    assert runner.view(now).breath == breath


def test_no_breath_outside_a_paced_hold(content: Content) -> None:
    paced = SessionRunner(plan_of(content, "childs_pose"), START)
    unpaced = SessionRunner(plan_of(content, "knee_to_chest"), START)
    unpaced.tick(START + 10)

    assert paced.view(START + 2).breath is None  # preparing
    assert unpaced.view(START + 10).step.phase is Phase.HOLD
    assert unpaced.view(START + 10).breath is None


@pytest.mark.parametrize(
    ("into_hold", "pose"), [(1.0, "cow"), (4.9, "cow"), (5.0, "cat"), (9.0, "cat"), (10.5, "cow")]
)
def test_cat_cow_moves_to_the_cow_breathing_in_and_to_the_cat_breathing_out(
    content: Content, into_hold: float, pose: str
) -> None:
    runner = SessionRunner(plan_of(content, "cat_cow"), START)
    now = START + 10 + into_hold
    runner.tick(now)
    figure = runner.view(now).figure
    assert figure is not None
    assert figure.target.name == pose  # what a still figure (reduced motion) shows
    assert figure.body(still=True) == figure.target.body


def test_the_first_breath_moves_from_all_fours_and_the_next_from_the_cat(content: Content) -> None:
    runner = SessionRunner(plan_of(content, "cat_cow"), START)
    runner.tick(START + 10.5)
    first = runner.view(START + 10.5).figure
    runner.tick(START + 20.5)
    second = runner.view(START + 20.5).figure
    assert first is not None
    assert second is not None
    assert (first.origin.name, first.target.name) == ("all_fours", "cow")
    assert (second.origin.name, second.target.name) == ("cat", "cow")
    assert 0 < first.progress < 0.1


@pytest.mark.parametrize(
    ("exercise_id", "offset", "origin", "target"),
    [
        ("cobra", 3, "prone", "prone"),  # getting ready
        ("cobra", 11, "prone", "sphinx"),  # moving into the first hold
        ("knee_to_chest", 12, "back_knees_bent", "knee_hugged"),
        ("knee_to_chest", 29, "knee_hugged", "back_knees_bent"),  # the rest moves back
    ],
)
def test_a_hold_moves_from_the_start_into_its_position_and_the_rest_back(
    content: Content, exercise_id: str, offset: float, origin: str, target: str
) -> None:
    runner = SessionRunner(plan_of(content, exercise_id), START)
    runner.tick(START + offset)
    figure = runner.view(START + offset).figure
    assert figure is not None
    assert (figure.origin.name, figure.target.name) == (origin, target)


def test_cobra_holds_the_sphinx_first_and_straight_arms_later_unless_a_caution_says_not(
    content: Content,
) -> None:
    cobra = content.exercises["cobra"]
    for conditions, later in (((), "cobra"), (("wrist",), "sphinx"), (("osteoporosis",), "sphinx")):
        plan = plan_session(
            Routine("c", "C", "", (RoutineStep(cobra, cobra.dose),), ()), conditions
        )
        holds = [step for step in plan.steps if step.phase is Phase.HOLD]
        runner = SessionRunner(plan, START)
        shown = []
        for step in holds:
            at = START + sum(s.seconds for s in plan.steps[: plan.steps.index(step)]) + 6
            runner.tick(at)
            figure = runner.view(at).figure
            assert figure is not None
            shown.append(figure.target.name)
        assert shown == ["sphinx"] * 4 + [later] * 4


@pytest.mark.parametrize("exercise_id", ["childs_pose", "cat_cow"])
@pytest.mark.parametrize("before", [0.25, 1e-6, 3.0])
def test_a_hold_entered_just_below_a_power_of_two_starts_at_its_start(
    content: Content, exercise_id: str, before: float
) -> None:
    """`now + seconds` just below 1024 rounds up in floating point: the step must still show
    its whole length, breathing in from empty, with a next change due (clinic mode crashed
    here once in seven tries on a computer up for a few minutes: `min()` of nothing)."""
    plan = plan_of(content, exercise_id)
    now = 1024.0 - before
    runner = SessionRunner(plan, now)
    runner.next_step(now)  # into the hold, as the arrow key does
    hold = runner.step
    view = runner.view(now)
    assert hold.phase is Phase.HOLD
    assert view.remaining == hold.seconds
    assert view.breath == Breath("in", 0.0)
    due = runner.next_change(now, pacer_cells=20)
    assert due is not None
    assert now < due <= now + 1


@pytest.mark.parametrize("cells", [1, 20])
def test_the_next_pacer_cell_a_hair_before_a_breath_ends_is_in_the_next_breath(
    content: Content, cells: int
) -> None:
    runner = SessionRunner(plan_of(content, "childs_pose"), START)
    runner.tick(START + 10)  # the hold starts: 4 s in, 6 s out
    for end_of_breath in (4.0, 10.0):
        now = START + 10 + end_of_breath - 1e-10
        due = runner.next_change(now, pacer_cells=cells)
        assert due is not None
        assert START + 10 + end_of_breath <= due < now + 4  # not now: past the turn
