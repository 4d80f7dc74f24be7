"""The built-in plan followed through a month of logs on the fake clock: each change of stage
and its reason, what holds a move back, and when pain that isn't settling raises not_improving."""

from __future__ import annotations

from datetime import timedelta

import pytest

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.journal import Journal
from spasm_coach.journey import (
    Proposal,
    Standing,
    apply_automatic,
    not_settling,
    record,
    standing,
    start_plan,
    step_back_chosen,
)
from spasm_coach.plans import Plan, load_plans
from spasm_coach.records import PlanChange
from spasm_coach.store import Store
from spasm_coach.triage import Outcome
from spasm_coach.vocabulary import (
    Level,
    NoteKind,
    PainContext,
    PlanMove,
    ScreeningReason,
    SessionOutcome,
)


@pytest.fixture(scope="module")
def plan(content: Content) -> Plan:
    return load_plans(content, None, content.routines).built_in["recovery"]


class Person:
    """Someone following the plan: checks, sessions and scores through the journal at the fake
    clock's time, and every offer taken, as a person who says yes would."""

    def __init__(self, plan: Plan, clock: FakeClock) -> None:
        self.plan, self.clock = plan, clock
        self.store = Store.in_memory()
        self.journal = Journal(self.store, clock)
        self.start = clock.now()

    def day(self, number: int, hour: int = 9) -> None:
        """Move the clock on to `hour` o'clock of day `number` (day 0 is the first)."""
        target = self.start + timedelta(days=number, hours=hour - self.start.hour)
        assert target >= self.clock.now()
        self.clock.advance((target - self.clock.now()).total_seconds())

    def check(self, level: Level = Level.CLEAR) -> None:
        flags = {Level.CLEAR: (), Level.SOON: ("not_improving",), Level.URGENT: ("fever",)}[level]
        outcome = Outcome(level, flags, dict.fromkeys(flags, True))
        self.journal.screen(outcome, ScreeningReason.BEFORE_SESSION)

    def session(
        self, before: int, after: int, outcome: SessionOutcome = SessionOutcome.FINISHED
    ) -> None:
        """A check, a session of the stage's routine from `before` to `after`, ten minutes."""
        self.check()
        routine = self.now().stage.routines[0]
        session = self.journal.open_session(routine.id, routine.name, None)
        session.log_pain(before, PainContext.BEFORE_SESSION)
        self.clock.advance(600)
        session.end(outcome)
        hurt = outcome is SessionOutcome.STOPPED_HURT
        session.log_pain(after, PainContext.DURING_SESSION if hurt else PainContext.AFTER_SESSION)
        self.clock.advance(60)

    def score(self, value: int) -> None:
        self.journal.log_pain(value)
        self.clock.advance(60)

    def now(self) -> Standing:
        return standing(self.plan, self.store, self.clock.now())

    def follow(self) -> PlanChange | None:
        """Take what is due or offered now: a step back by itself, or a yes to an offer."""
        now = self.now()
        if now.proposal is None:
            return None
        if now.proposal.automatic:
            return apply_automatic(self.journal, now)
        return record(self.journal, now, now.proposal)

    def changes(self) -> list[tuple[PlanMove, str | None, str, bool]]:
        return [
            (change.kind, change.from_stage, change.stage, change.automatic)
            for change in self.store.plan_changes()
        ]


def test_a_month_settling_a_flare_a_setback_after_it_hurt_then_not_settling(
    plan: Plan, clock: FakeClock
) -> None:
    person = Person(plan, clock)

    # Days 0-1: settling. Nothing is offered until the last three scores are 4 or less, two
    # sessions have finished and a day has gone by.
    person.session(7, 6)
    person.session(6, 6)
    assert person.follow() is None
    first = person.now()
    assert first.stage.id == "settle"
    assert first.entered is None
    assert [c.met for c in first.conditions] == [False, True, False]
    person.day(1)
    person.session(5, 4)
    assert person.follow() is None  # the last three scores: 6, 5 and 4
    person.session(4, 4)
    change = person.follow()
    assert change is not None
    assert (change.kind, change.from_stage, change.stage) == (PlanMove.MOVE_ON, "settle", "move")
    assert not change.automatic
    assert change.reason == (
        "your last 3 scores were 4, 4 and 4, 4 sessions finished in this stage and 1 day in "
        "this stage; you chose to move on."
    )

    # Days 2-3: moving. Getting stronger needs 3 or less, three sessions, two days, no worse.
    person.day(2)
    person.session(4, 3)
    person.session(3, 3)
    assert person.follow() is None  # only a day in this stage
    person.day(3)
    person.session(3, 2)
    person.session(2, 2)
    change = person.follow()
    assert change is not None
    assert (change.kind, change.from_stage, change.stage) == (PlanMove.MOVE_ON, "move", "stronger")
    assert "your last 3 scores were 2, 2 and 2" in change.reason
    assert "4 sessions finished in this stage" in change.reason
    assert "over the last 7 days your pain was 4 points better (6 to 2)" in change.reason

    # Days 4-7: stronger, then a flare: scores creep up a point at a time (no rise of 2), and the
    # step back is offered once the last two are 5 or more.
    for number in (4, 5):
        person.day(number)
        person.session(2, 2)
        assert person.follow() is None
    person.day(6)
    person.score(3)
    person.score(4)
    assert person.follow() is None
    person.day(7)
    person.score(5)
    assert person.now().proposal is None  # 4 and 5
    person.score(5)
    offered = person.now().proposal
    assert offered is not None
    assert not offered.automatic
    assert offered.reason == "your last 2 scores were 5 and 5"
    change = person.follow()
    assert change is not None
    assert (change.kind, change.from_stage, change.stage) == (
        PlanMove.STEP_BACK,
        "stronger",
        "move",
    )
    assert change.reason == "your last 2 scores were 5 and 5; you chose to step back."

    # Days 8-9: back to moving; a session stops with "it hurt": back to settling, by itself.
    person.day(8)
    person.session(5, 4)
    assert person.follow() is None
    person.day(9)
    person.session(5, 7, SessionOutcome.STOPPED_HURT)
    due = person.now()
    assert due.stage.id == "move"
    assert due.proposal is not None
    assert due.proposal.automatic
    assert due.offer_line() == (
        'Stepping back to Settle the spasm: a session stopped with "it hurt" at 09:10.'
    )
    change = person.follow()
    assert change is not None
    assert (change.kind, change.from_stage, change.stage) == (PlanMove.STEP_BACK, "move", "settle")
    assert change.automatic
    assert change.reason == 'a session stopped with "it hurt" at 09:10.'
    after = person.now()
    assert after.stage.id == "settle"
    assert after.proposal is None
    assert after.why_line() == f"Here since 09:11: {change.reason}"

    # Days 10-30: not settling. The episode began on day 6 (the first day above 3 after the
    # settled days), at a mean of 4 (3 and 4): worse after a week raises not_improving.
    for number in range(10, 13):
        person.day(number)
        person.session(6, 6)
        assert person.now().not_settling is None  # day 6 + 7 is day 13
    person.day(13)
    person.session(6, 6)
    found = person.now().not_settling
    assert found is not None
    assert found.worse
    assert found.reason == "Worse after 7 days: 4/10 when this began on Sun 29 Nov, 6/10 now."
    for number in range(14, 30):
        person.day(number)
        person.session(5, 5)
        assert person.follow() is None  # never ready: scores of 5
    assert person.now().not_settling is not None

    assert person.changes() == [
        (PlanMove.MOVE_ON, "settle", "move", False),
        (PlanMove.MOVE_ON, "move", "stronger", False),
        (PlanMove.STEP_BACK, "stronger", "move", False),
        (PlanMove.STEP_BACK, "move", "settle", True),
    ]


def test_no_clear_improvement_after_two_weeks_raises_not_improving(
    plan: Plan, clock: FakeClock
) -> None:
    person = Person(plan, clock)
    for number in range(14):
        person.day(number)
        person.score(6 if number < 7 else 5)
        assert person.now().not_settling is None, f"day {number}"
    person.day(14)
    person.score(5)
    found = person.now().not_settling
    assert found is not None
    assert not found.worse
    assert found.reason == (
        "Not clearly better after 14 days: 6/10 when this began on Mon 23 Nov, 5/10 now."
    )


def test_settled_pain_old_scores_and_clear_improvement_raise_nothing(
    plan: Plan, clock: FakeClock
) -> None:
    person = Person(plan, clock)
    for number in range(20):
        person.day(number)
        person.score(7 if number < 3 else 3)
    assert person.now().not_settling is None  # 3 is settled, whatever the change
    improving = Person(plan, FakeClock())
    for number in range(20):
        improving.day(number)
        improving.score(8 if number < 10 else 5)
    assert improving.now().not_settling is None  # 8 to 5: clearly better
    improving.day(24)
    assert improving.now().not_settling is None  # nothing for three days: nothing to say
    assert not_settling(plan.course, Store.in_memory(), clock.now()) is None


def test_a_rise_of_two_steps_back_by_itself_and_the_first_stage_starts_again(
    plan: Plan, clock: FakeClock
) -> None:
    person = Person(plan, clock)
    start_plan(person.journal, plan, "a physio chose it.")
    person.score(2)
    person.score(4)
    due = person.now()
    assert due.proposal is not None
    assert due.proposal.automatic
    assert due.proposal.to.id == "settle"
    assert due.proposal.reason == "your pain rose from 2 to 4 at 09:01."
    change = person.follow()
    assert change is not None
    assert (change.kind, change.from_stage, change.stage) == (
        PlanMove.STEP_BACK,
        "settle",
        "settle",
    )
    assert person.now().since == change.changed_at
    assert person.follow() is None  # recorded once, not again

    # in the second stage it goes back to the first
    record(person.journal, person.now(), _offer(person, "move"))
    person.clock.advance(3600)
    person.score(6)
    change = person.follow()
    assert change is not None
    assert (change.from_stage, change.stage, change.automatic) == ("move", "settle", True)


def _offer(person: Person, stage_id: str) -> Proposal:
    from spasm_coach.journey import Proposal

    stage = person.plan.stage(stage_id)
    assert stage is not None
    return Proposal(PlanMove.MOVE_ON, stage, "a physio's say-so", automatic=False)


def ready_to_move(person: Person) -> None:
    person.session(4, 4)
    person.session(4, 4)
    person.day(1)
    person.session(4, 4)


@pytest.mark.parametrize(
    ("today", "why"),
    [
        ("urgent", "a warning sign stands until a doctor or nurse clears it"),
        ("soon", "today's check found a sign to see someone about"),
        ("stop", "stretching is done for today"),
    ],
)
def test_nothing_moves_forward_with_a_warning_standing_or_on_a_stop_for_today_day(
    plan: Plan, clock: FakeClock, today: str, why: str
) -> None:
    person = Person(plan, clock)
    ready_to_move(person)
    assert person.now().proposal is not None
    if today == "stop":
        person.journal.note(NoteKind.STOP_FOR_TODAY, detail="your pain was 8/10")
    else:
        person.check(Level(today))
    held = person.now()
    assert held.ready
    assert held.proposal is None
    assert held.held_back == why
    assert held.offer_line() == f"Ready for the next stage, but not today: {why}."
    if today == "urgent":  # a clinician's all-clear lifts the warning, not the rest of the day
        person.journal.note(NoteKind.CLEARED)
        person.check()
        assert person.now().proposal is not None
    person.day(2)
    assert person.now().held_back is None


def test_a_move_said_no_to_is_offered_again_the_next_day(plan: Plan, clock: FakeClock) -> None:
    person = Person(plan, clock)
    ready_to_move(person)
    offered = person.now()
    assert offered.proposal is not None
    stay = record(person.journal, offered, offered.proposal, accepted=False)
    assert (stay.kind, stay.from_stage, stay.stage) == (PlanMove.STAY, "settle", "move")
    assert stay.reason.startswith("you chose to stay (your last 3 scores were 4, 4 and 4")
    later = person.now()
    assert later.stage.id == "settle"
    assert later.proposal is None
    assert later.declined_today
    assert later.since == offered.since  # a stay doesn't start the stage again
    person.day(2)
    assert person.now().proposal is not None


def test_the_person_may_step_back_at_any_time_but_not_before_the_first_stage(
    plan: Plan, clock: FakeClock
) -> None:
    person = Person(plan, clock)
    assert step_back_chosen(person.now()) is None
    record(person.journal, person.now(), _offer(person, "move"))
    back = step_back_chosen(person.now())
    assert back is not None
    assert back.to.id == "settle"
    change = record(person.journal, person.now(), back)
    assert change.reason == "you asked to; you chose to step back."


def test_a_plan_that_changed_starts_at_its_first_stage(
    plan: Plan, clock: FakeClock, content: Content
) -> None:
    person = Person(plan, clock)
    person.session(4, 4)
    assert person.now().since == person.start  # from the first entry in the log
    record(person.journal, person.now(), _offer(person, "move"))
    other = Plan("clinic", "Clinic", "A plan of a clinic's own.", plan.stages[1:], plan.course, ())
    clock.advance(3600)
    moved = standing(other, person.store, clock.now())
    assert moved.stage.id == "move"  # 'move' is this plan's first stage, by position
    assert moved.entered is None
    change = start_plan(person.journal, other, "installed by a physio.")
    assert standing(other, person.store, clock.now()).entered == change


def test_lines_and_json_say_where_the_person_is_and_why(plan: Plan, clock: FakeClock) -> None:
    person = Person(plan, clock)
    person.session(6, 5)
    now = person.now()
    assert now.lines()[:3] == [
        "Stage 1 of 3: Settle the spasm, since Mon 23 Nov (day 1).",
        "Today: 1 of 3 sessions done (Gentle: for a bad day, or Breathe and relax).",
        "You are here from the start of the plan.",
    ]
    assert now.next_line() == (
        "Next: Get moving (Standard: daily routine), when your last 3 scores are 4 or less, "
        "2 sessions in this stage finished without it hurting and at least a day in this stage."
    )
    assert now.progress_line() == (
        "So far: not yet: only 2 scores so far; not yet: 1 session finished in this stage; "
        "not yet: it began today."
    )
    data = now.to_dict()
    assert data["stage"]["id"] == "settle"
    assert data["today"] == {"done": 1, "planned": 3}
    assert data["next"]["ready"] is False
    assert [c["met"] for c in data["next"]["conditions"]] == [False, False, False]
    assert data["proposal"] is None
    assert data["not_improving"] is None


def test_every_kind_of_change_in_words(plan: Plan, clock: FakeClock) -> None:
    from spasm_coach.journey import change_words

    person = Person(plan, clock)
    start = start_plan(person.journal, plan, "installed with spasm-coach plans install.")
    assert change_words(start) == (
        "started From settling the spasm to getting stronger at Settle the spasm: installed "
        "with spasm-coach plans install."
    )
    offer = _offer(person, "move")
    stay = record(person.journal, person.now(), offer, accepted=False)
    assert change_words(stay) == (
        "stayed in Settle the spasm (Get moving was offered): you chose to stay (a physio's "
        "say-so)."
    )
    person.score(2)
    person.score(5)
    again = person.follow()
    assert again is not None
    assert change_words(again) == (
        "started Settle the spasm again, by itself: your pain rose from 2 to 5 at 09:01."
    )


def test_a_plan_whose_recorded_stage_is_gone_starts_at_its_first(
    plan: Plan, clock: FakeClock
) -> None:
    from spasm_coach.journey import stage_now

    person = Person(plan, clock)
    record(person.journal, person.now(), _offer(person, "stronger"))
    fewer = Plan("recovery", "Shorter", "Two stages.", plan.stages[:2], plan.course, ())
    stage, entered = stage_now(fewer, list(person.store.plan_changes()))
    assert (stage.id, entered) == ("settle", None)


def test_a_trend_needs_two_days_of_scores(plan: Plan, clock: FakeClock) -> None:
    from spasm_coach.journey import stage_days, trend

    person = Person(plan, clock)
    person.score(4)
    assert trend(person.store, clock.now(), 7) is None
    assert stage_days(plan, person.store, [], clock.now()) == []
