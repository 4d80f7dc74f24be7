"""Where the person is in their plan, and why: the plan's rules applied to the log.

Everything is read from the log at one moment (`now`, local time), so home, `spasm-coach plan`
and the report say the same thing. The log keeps every change of stage (PlanChange), each with
its reason; the stage is the one the latest change put the person in, or the plan's first.

- Moving on is only ever offered: every condition of the stage's `move_on` holds on scores that
  are there (a condition with nothing to read is not met), no warning sign stands, stretching is
  not done for today, today's check found nothing to see someone about, and the person did not
  say no to it earlier today. The person chooses.
- Stepping back happens by itself after a session that stopped with "it hurt" or a score 2 or more
  above the one before, once the stage has begun (in the first stage, the stage starts again).
  The face that sees it first records it; until then it reads as due, everywhere alike.
- In a flare (the stage's `step_back`) the stage before is offered, and the person chooses.
- Not settling (no meaningful improvement after about two weeks, or worse after one) raises the
  `not_improving` advice, whatever the stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

from spasm_coach.advice import level_advice
from spasm_coach.content import Content, Region, Routine
from spasm_coach.gate import DAYS_AFTER_HURT, Day, start_of_day, today
from spasm_coach.journal import Journal
from spasm_coach.log_reader import LogReader
from spasm_coach.pain import RESCREEN_RISE, Change
from spasm_coach.plans import (
    Course,
    Plan,
    Stage,
    and_list,
    move_on_words,
    routine_names,
    stage_routines,
    step_back_words,
)
from spasm_coach.records import PlanChange, SessionRecord, iso
from spasm_coach.trend import Period, days_in, span_bounds
from spasm_coach.vocabulary import Level, PlanMove, SessionOutcome
from spasm_coach.wording import clock_time, plural

NOT_IMPROVING = "not_improving"
"""The red-flag id whose advice (see someone soon) not settling raises."""
RECENT_DAYS = 3
"""Scores older than this say nothing about whether pain is settling now."""
LOOKBACK_DAYS = 42
"""How far back an episode of pain is looked for: six weeks, by when most back pain has settled
(NHS-BP); a longer episode is said as this long."""
SESSION_OVERLAP = timedelta(days=1)
"""A session that began before the stage did may end in it (moving on is chosen at its start)."""


@dataclass(frozen=True)
class Condition:
    """One condition of a rule, with what the log says now."""

    words: str
    met: bool
    now: str
    """'now 6, 5 and 4', '1 so far', 'not enough days with scores yet'."""


@dataclass(frozen=True)
class Proposal:
    """A change of stage to offer the person, or one the coach makes by itself."""

    kind: PlanMove
    to: Stage
    reason: str
    """Why, in words: 'your last 3 scores were 4, 3 and 3, ...'."""
    automatic: bool


@dataclass(frozen=True)
class NotSettling:
    """The pain is not settling as it usually does: time to get it checked."""

    reason: str
    began: date
    """The first day of this episode of pain."""
    worse: bool
    """Worse than at the start (after a week), rather than no better (after two)."""


@dataclass(frozen=True)
class Standing:
    """Where the person is in their plan now, and what comes next."""

    plan: Plan
    stage: Stage
    since: datetime
    entered: PlanChange | None
    """The change that put them in this stage; None when they are in it from the start."""
    now: datetime
    done_today: int
    """Sessions finished today (not those stopped or left)."""
    conditions: tuple[Condition, ...]
    """The stage's rule to move on, condition by condition; none in the last stage."""
    held_back: str | None
    """Why no stage can be offered forward today, whatever the rule says."""
    proposal: Proposal | None
    declined_today: bool
    """The person said no to a move today: it is offered again tomorrow."""
    not_settling: NotSettling | None = None
    notes: tuple[str, ...] = field(default=())
    """Anything else the person should know (the plan chosen in settings can't be used, say)."""
    default: Routine | None = field(default=None, repr=False)
    """The person's default routine (Settings), which stands in for the standard one."""

    @property
    def routines(self) -> tuple[Routine, ...]:
        """The stage's routines as offered: the first is the session's."""
        return stage_routines(self.stage, self.default)

    @property
    def number(self) -> int:
        return self.plan.number(self.stage)

    @property
    def next_stage(self) -> Stage | None:
        return self.plan.after(self.stage)

    @property
    def ready(self) -> bool:
        """Every condition to move on holds (the safety bounds aside)."""
        return bool(self.conditions) and all(c.met for c in self.conditions)

    @property
    def days_in_stage(self) -> int:
        return (self.now.date() - self.since.astimezone(self.now.tzinfo).date()).days

    def stage_line(self) -> str:
        """'Stage 1 of 3: Settle the spasm, since Mon 23 Nov (day 2).'"""
        since = self.since.astimezone(self.now.tzinfo)
        return (
            f"Stage {self.number} of {len(self.plan.stages)}: {self.stage.name}, since "
            f"{since:%a} {since.day} {since:%b} (day {self.days_in_stage + 1})."
        )

    def today_line(self) -> str:
        return (
            f"Today: {self.done_today} of {plural(self.stage.sessions_per_day, 'session')} done "
            f"({routine_names(self.stage, self.default)})."
        )

    def glance_lines(self) -> list[str]:
        """The plan at a glance: the stage and today's sessions, and a move due or ready."""
        lines = [
            f"Plan: {self.stage.name}, {self.done_today} of "
            f"{plural(self.stage.sessions_per_day, 'session')} today."
        ]
        offer = self.offer_line()
        return [*lines, offer] if offer else lines

    def why_line(self) -> str:
        """How the person came to be in this stage."""
        if self.entered is None:
            return "You are here from the start of the plan."
        when = clock_time(self.entered.changed_at, self.now, round_up=False)
        return f"Here since {when}: {self.entered.reason}"

    def next_line(self) -> str | None:
        """The next step with its rule in words, and what still stands in the way."""
        return move_on_words(self.plan, self.stage)

    def progress_line(self) -> str | None:
        """Each condition with what the log says now."""
        if not self.conditions:
            return None
        parts = [
            f"{'yes' if condition.met else 'not yet'}: {condition.now}"
            for condition in self.conditions
        ]
        return "So far: " + "; ".join(parts) + "."

    def offer_line(self) -> str | None:
        """What happens next about a move, in a sentence, or None when nothing is due."""
        proposal = self.proposal
        if proposal is not None and proposal.automatic:
            return f"Stepping back to {proposal.to.name}: {proposal.reason}"
        if proposal is not None and proposal.kind is PlanMove.STEP_BACK:
            return (
                f"A step back to {proposal.to.name} is offered at your next session: "
                f"{proposal.reason}."
            )
        if proposal is not None:
            return (
                f"Ready for {proposal.to.name}: it is offered at your next session, after the "
                "check. You choose."
            )
        if self.ready and self.held_back is not None:
            return f"Ready for the next stage, but not today: {self.held_back}."
        if self.ready and self.declined_today:
            return (
                "You chose to stay in this stage today; the next stage is offered again tomorrow."
            )
        return None

    def lines(self) -> list[str]:
        """Where the person is and why, as the coach and `spasm-coach plan` say it."""
        lines = [self.stage_line(), self.today_line(), self.why_line()]
        for line in (self.next_line(), self.progress_line(), self.offer_line()):
            if line:
                lines.append(line)
        lines.append(step_back_words(self.plan, self.stage))
        lines += self.notes
        return lines

    def to_dict(self) -> dict[str, Any]:
        """For `spasm-coach plan --json`."""
        proposal = self.proposal
        nxt = self.next_stage
        return {
            "now": iso(self.now),
            "plan": {"id": self.plan.id, "name": self.plan.name},
            "stage": {
                "id": self.stage.id,
                "name": self.stage.name,
                "number": self.number,
                "of": len(self.plan.stages),
                "since": iso(self.since),
                "days": self.days_in_stage,
                "routines": [routine.id for routine in self.routines],
            },
            "why": self.why_line(),
            "today": {"done": self.done_today, "planned": self.stage.sessions_per_day},
            "next": None
            if nxt is None
            else {
                "stage": nxt.id,
                "name": nxt.name,
                "rule": self.next_line(),
                "conditions": [
                    {"words": c.words, "met": c.met, "now": c.now} for c in self.conditions
                ],
                "ready": self.ready,
            },
            "held_back": self.held_back,
            "declined_today": self.declined_today,
            "proposal": None
            if proposal is None
            else {
                "kind": proposal.kind.value,
                "to": proposal.to.id,
                "name": proposal.to.name,
                "reason": proposal.reason,
                "automatic": proposal.automatic,
            },
            "step_back": step_back_words(self.plan, self.stage),
            "not_improving": None
            if self.not_settling is None
            else {"reason": self.not_settling.reason, "since": self.not_settling.began.isoformat()},
            "notes": list(self.notes),
        }


# --- reading the log -----------------------------------------------------------------------------


def stage_now(plan: Plan, changes: Sequence[PlanChange]) -> tuple[Stage, PlanChange | None]:
    """The stage the latest change of this plan put the person in (a stay changes nothing),
    or the plan's first stage when there is none (or the plan changed since)."""
    for change in reversed(changes):
        if change.kind is PlanMove.STAY:
            continue
        if change.plan_id != plan.id:
            break
        stage = plan.stage(change.stage)
        if stage is not None:
            return stage, change
        break
    return plan.stages[0], None


def _first_entry(store: LogReader, now: datetime) -> datetime:
    """When the log begins: its first pain score or session, or now for an empty log."""
    ends = store.pain_ends()
    first_session = next(iter(store.sessions()), None)
    moments = [ends[0].recorded_at] if ends else []
    if first_session is not None:
        moments.append(first_session.started_at)
    return min(moments, default=now)


def standing(
    plan: Plan,
    store: LogReader,
    now: datetime,
    *,
    day: Day | None = None,
    notes: Iterable[str] = (),
    default: Routine | None = None,
) -> Standing:
    """Where the person is in `plan` at `now`, read from the log (a few dozen rows at most)."""
    day = day or today(store, now)
    changes = list(store.plan_changes())
    moves = [change for change in changes if change.kind is not PlanMove.STAY]
    stage, entered = stage_now(plan, moves)
    if entered is not None:
        since = entered.changed_at
    elif moves:
        since = moves[-1].changed_at  # another plan was followed until then
    else:
        since = _first_entry(store, now)
    counts = [2]
    if stage.move_on is not None:
        counts.append(stage.move_on.latest_scores)
    if stage.step_back is not None:
        counts.append(stage.step_back.latest_scores)
    wanted = max(counts)
    latest = list(store.pain_scores(limit=wanted))
    sessions = [
        record
        for record in store.sessions(since=since - SESSION_OVERLAP)
        if record.ended_at is not None and record.ended_at > since
    ]
    morning = start_of_day(now)
    done_today = sum(
        1 for record in store.sessions(since=morning) if record.outcome is SessionOutcome.FINISHED
    )
    conditions = tuple(_conditions(plan, stage, store, latest, sessions, since, now))
    held_back = _held_back(day)
    declined = {
        change.stage
        for change in changes
        if change.kind is PlanMove.STAY and change.changed_at >= morning
    }
    proposal = _automatic(plan, stage, latest, sessions, since, now)
    before = plan.before(stage)
    if proposal is None and before is not None and stage.step_back is not None:
        rule = stage.step_back
        counted = [entry.score for entry in latest[-rule.latest_scores :]]
        if (
            len(counted) == rule.latest_scores
            and all(score >= rule.scores_at_least for score in counted)
            and before.id not in declined
        ):
            proposal = Proposal(
                PlanMove.STEP_BACK,
                before,
                f"your last {rule.latest_scores} scores were {and_list([str(s) for s in counted])}",
                automatic=False,
            )
    after = plan.after(stage)
    ready = bool(conditions) and all(condition.met for condition in conditions)
    if (
        proposal is None
        and after is not None
        and ready
        and held_back is None
        and after.id not in declined
    ):
        proposal = Proposal(
            PlanMove.MOVE_ON,
            after,
            and_list([condition.now for condition in conditions]),
            automatic=False,
        )
    return Standing(
        plan=plan,
        stage=stage,
        since=since,
        entered=entered,
        now=now,
        done_today=done_today,
        conditions=conditions,
        held_back=held_back,
        proposal=proposal,
        declined_today=after is not None and after.id in declined,
        not_settling=not_settling(plan.course, store, now),
        notes=tuple(notes),
        default=default,
    )


def _held_back(day: Day) -> str | None:
    """A safety bound that keeps every forward move off today (gate.today decides each)."""
    if day.warning is not None:
        return "a warning sign stands until a doctor or nurse clears it"
    if day.stop is not None:
        return "stretching is done for today"
    if day.hurt is not None:
        when = f"{day.hurt.started_at.astimezone(day.now.tzinfo):%a %d %b}"
        return (
            f"a session stopped because it hurt on {when}: no moving on that day or the "
            f"{DAYS_AFTER_HURT} days after"
        )
    if day.full_check is not None and day.full_check.level is not Level.CLEAR:
        return "today's check found a sign to see someone about"
    return None


def _automatic(
    plan: Plan,
    stage: Stage,
    latest: Sequence[Any],
    sessions: Sequence[SessionRecord],
    since: datetime,
    now: datetime,
) -> Proposal | None:
    """A step back due by itself: a session in this stage stopped with "it hurt", or the latest
    score, given in this stage, is 2 or more above the one before."""
    to = plan.before(stage) or stage
    hurt = [record for record in sessions if record.outcome is SessionOutcome.STOPPED_HURT]
    if hurt:
        ended = hurt[-1].ended_at or hurt[-1].started_at
        when = clock_time(ended, now, round_up=False)
        return Proposal(
            PlanMove.STEP_BACK, to, f'a session stopped with "it hurt" at {when}.', True
        )
    if len(latest) >= 2:
        previous, last = latest[-2], latest[-1]
        if last.recorded_at > since and last.score - previous.score >= RESCREEN_RISE:
            when = clock_time(last.recorded_at, now, round_up=False)
            return Proposal(
                PlanMove.STEP_BACK,
                to,
                f"your pain rose from {previous.score} to {last.score} at {when}.",
                True,
            )
    return None


def _conditions(
    plan: Plan,
    stage: Stage,
    store: LogReader,
    latest: Sequence[Any],
    sessions: Sequence[SessionRecord],
    since: datetime,
    now: datetime,
) -> Iterable[Condition]:
    """The stage's rule to move on, each condition against the log; nothing to read is not met."""
    rule = stage.move_on
    if rule is None or plan.after(stage) is None:
        return
    words = rule.conditions()
    counted = [entry.score for entry in latest[-rule.latest_scores :]]
    have = len(counted) == rule.latest_scores
    shown = and_list([str(score) for score in counted]) or "none"
    if have:
        now_words = f"your last {rule.latest_scores} scores were {shown}"
    else:
        now_words = f"only {plural(len(counted), 'score')} so far"
    yield Condition(
        words[0], have and all(score <= rule.scores_at_most for score in counted), now_words
    )
    index = 1
    if rule.sessions_without_hurt:
        finished = sum(1 for record in sessions if record.outcome is SessionOutcome.FINISHED)
        yield Condition(
            words[index],
            finished >= rule.sessions_without_hurt,
            f"{plural(finished, 'session')} finished in this stage",
        )
        index += 1
    if rule.days_in_stage:
        days = (now.date() - since.astimezone(now.tzinfo).date()).days
        shown = "it began today" if days == 0 else f"{plural(days, 'day')} in this stage"
        yield Condition(words[index], days >= rule.days_in_stage, shown)
        index += 1
    if rule.trend is not None:
        change = trend(store, now, rule.trend_days)
        if change is None:
            yield Condition(words[index], False, "not enough days with scores yet")
        else:
            better = change.points < 0 and change.meaningful
            worse = change.points > 0 and change.meaningful
            met = better if rule.trend == "better" else not worse
            now_words = f"over the last {rule.trend_days} days your pain was {change.describe()}"
            yield Condition(words[index], met, now_words)


def _daily_means(store: LogReader, now: datetime, days: int) -> list[tuple[date, float]]:
    """Each local day's mean score over the last `days` days, oldest first, from sums SQLite
    makes along the time index (a few dozen rows, whatever the log's size)."""
    period = Period(days, now)
    spans = store.pain_spans(span_bounds(now, [days]))
    return [(day.day, day.total / day.scores) for day in days_in(spans, period)]


def trend(store: LogReader, now: datetime, days: int) -> Change | None:
    """The change from the first day's mean score in the last `days` days to the last day's;
    None with fewer than two days of scores."""
    means = _daily_means(store, now, days)
    if len(means) < 2:
        return None
    return Change(round(means[0][1]), round(means[-1][1]))


def not_settling(course: Course, store: LogReader, now: datetime) -> NotSettling | None:
    """No meaningful improvement after about two weeks, or worse after one, in this episode.

    The episode is the run of days since the last day whose mean score was settled (at or below
    `settled_at_most`); its first day's mean is the baseline, and the mean of the latest three
    scores (the newest within RECENT_DAYS days) is now. Pain that has settled is never called
    not settling; nor is an episode too short to say.
    """
    recent = list(store.pain_scores(limit=3))
    if not recent or recent[-1].recorded_at < now - timedelta(days=RECENT_DAYS):
        return None
    current = round(fmean(entry.score for entry in recent))
    if current <= course.settled_at_most:
        return None
    means = _daily_means(store, now, LOOKBACK_DAYS)
    settled_days = [
        index for index, (_, mean) in enumerate(means) if mean <= course.settled_at_most
    ]
    episode = means[settled_days[-1] + 1 :] if settled_days else means
    if not episode:
        return None
    began, first_mean = episode[0]
    baseline = round(first_mean)
    elapsed = (now.date() - began).days
    change = Change(baseline, current)
    since = f"{began:%a} {began.day} {began:%b}"
    if elapsed >= course.worse_after_days and change.points > 0 and change.meaningful:
        return NotSettling(
            f"Worse after {plural(elapsed, 'day')}: {baseline}/10 when this began on {since}, "
            f"{current}/10 now.",
            began,
            worse=True,
        )
    if elapsed >= course.no_better_after_days and not (change.points < 0 and change.meaningful):
        return NotSettling(
            f"Not clearly better after {plural(elapsed, 'day')}: {baseline}/10 when this began "
            f"on {since}, {current}/10 now.",
            began,
            worse=False,
        )
    return None


def record(
    journal: Journal, standing: Standing, proposal: Proposal, *, accepted: bool = True
) -> PlanChange:
    """Log a change offered (or made by itself) from where the person stands, with its reason;
    `accepted=False` logs that the person chose to stay (a stay names the stage offered)."""
    plan, stage = standing.plan, standing.stage
    if not accepted:
        kind, reason = PlanMove.STAY, f"you chose to stay ({proposal.reason})."
    elif proposal.automatic:
        kind, reason = proposal.kind, proposal.reason
    else:
        choice = "move on" if proposal.kind is PlanMove.MOVE_ON else "step back"
        kind, reason = proposal.kind, f"{proposal.reason}; you chose to {choice}."
    return journal.plan_change(
        kind,
        plan=(plan.id, plan.name),
        to=(proposal.to.id, proposal.to.name),
        came_from=(stage.id, stage.name),
        reason=reason,
        automatic=proposal.automatic and accepted,
    )


def step_back_chosen(standing: Standing) -> Proposal | None:
    """The person's own step back, at any time (always safe); None in the first stage."""
    before = standing.plan.before(standing.stage)
    if before is None:
        return None
    return Proposal(PlanMove.STEP_BACK, before, "you asked to", automatic=False)


def apply_automatic(journal: Journal, standing: Standing) -> PlanChange | None:
    """Record a step back that is due by itself (after "it hurt" or a rise of 2); None when
    none is."""
    proposal = standing.proposal
    if proposal is None or not proposal.automatic:
        return None
    return record(journal, standing, proposal)


def start_plan(journal: Journal, plan: Plan, reason: str) -> PlanChange:
    """Log that the person follows `plan` from now on, from its first stage."""
    first = plan.stages[0]
    return journal.plan_change(
        PlanMove.START,
        plan=(plan.id, plan.name),
        to=(first.id, first.name),
        came_from=None,
        reason=reason,
    )


def not_settling_advice(
    found: NotSettling, content: Content, region: Region | None
) -> tuple[str, list[str]]:
    """The `not_improving` advice as a card: its title, then why and what to do."""
    advice = level_advice(content, Level.SOON, region)
    return advice.title, [found.reason, advice.action]


def step_back_note(change: PlanChange) -> str:
    """A step back the coach just made by itself, as it tells the person."""
    if change.stage == change.from_stage:
        return f"Your plan starts {change.stage_name} again: {change.reason}"
    return f"Your plan steps back to {change.stage_name}: {change.reason}"


def change_words(change: PlanChange) -> str:
    """A change in the plan in words: 'moved on from Settle the spasm to Get moving: ...'."""
    if change.kind is PlanMove.START:
        return f"started {change.plan_name} at {change.stage_name}: {change.reason}"
    if change.kind is PlanMove.STAY:
        return f"stayed in {change.from_name} ({change.stage_name} was offered): {change.reason}"
    by_itself = ", by itself" if change.automatic else ""
    if change.kind is PlanMove.MOVE_ON:
        return f"moved on from {change.from_name} to {change.stage_name}: {change.reason}"
    if change.from_stage == change.stage:
        return f"started {change.stage_name} again{by_itself}: {change.reason}"
    return (
        f"stepped back from {change.from_name} to {change.stage_name}{by_itself}: {change.reason}"
    )


# --- the journey, for the report -----------------------------------------------------------------


@dataclass(frozen=True)
class StageDay:
    """One calendar day of the plan: the stage it ended in, and its sessions against the plan."""

    day: date
    stage: str
    name: str
    planned: int | None
    """Sessions a day in that stage; None for a stage of a plan no longer followed."""
    done: int
    """Sessions finished that day."""


@dataclass(frozen=True)
class StageRun:
    """Consecutive days in one stage."""

    stage: str
    name: str
    first: date
    last: date
    days: int
    planned: int | None
    done: int


def stage_days(plan: Plan, store: LogReader, days: Sequence[date], now: datetime) -> list[StageDay]:
    """Each of `days` (in order) with the stage the person was in at its end (or now, today)
    and the sessions finished on it."""
    if not days:
        return []
    moves = [change for change in store.plan_changes() if change.kind is not PlanMove.STAY]
    start = datetime.combine(days[0], datetime.min.time(), now.tzinfo)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), now.tzinfo)
    finished: dict[date, int] = {}
    for record in store.sessions(start, end):
        if record.outcome is SessionOutcome.FINISHED:
            day = record.started_at.astimezone(now.tzinfo).date()
            finished[day] = finished.get(day, 0) + 1
    result = []
    index = 0
    first = plan.stages[0]
    current: tuple[str, str, int | None] = (first.id, first.name, first.sessions_per_day)
    for day in days:
        moment = min(
            datetime.combine(day + timedelta(days=1), datetime.min.time(), now.tzinfo), now
        )
        while index < len(moves) and moves[index].changed_at < moment:
            change = moves[index]
            stage = plan.stage(change.stage) if change.plan_id == plan.id else None
            current = (
                change.stage,
                change.stage_name,
                stage.sessions_per_day if stage is not None else None,
            )
            index += 1
        result.append(StageDay(day, *current, finished.get(day, 0)))
    return result


def stage_runs(days: Iterable[StageDay]) -> list[StageRun]:
    """The days grouped into runs of one stage, in order."""
    runs: list[StageRun] = []
    for day in days:
        last = runs[-1] if runs else None
        if last is not None and (last.stage, last.name) == (day.stage, day.name):
            planned = (
                None if last.planned is None or day.planned is None else last.planned + day.planned
            )
            runs[-1] = StageRun(
                last.stage,
                last.name,
                last.first,
                day.day,
                last.days + 1,
                planned,
                last.done + day.done,
            )
        else:
            runs.append(StageRun(day.stage, day.name, day.day, day.day, 1, day.planned, day.done))
    return runs
