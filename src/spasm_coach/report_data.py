"""What the clinic report gathers from the log: a day's pain, sessions by outcome and day, the
red-flag checks and heat and ice, streamed a record at a time so only counts are kept."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, datetime

from spasm_coach.content import Content
from spasm_coach.log_reader import LogReader
from spasm_coach.records import Screening
from spasm_coach.store import DailyPain
from spasm_coach.vocabulary import NO_REASON, EventKind, Level, SessionOutcome, ThermalKind

LIST_CAP = 50
"""At most this many notes, red-flag checks or skip reasons are listed; the rest are counted."""

When = datetime | None


@dataclass
class DayPain:
    """One day's scores, from the per-context rows SQLite summed."""

    count: int = 0
    total: float = 0.0
    low: int = 10
    high: int = 0
    notes: int = 0
    by_context: dict[str, tuple[int, float]] = field(default_factory=dict)
    """context -> (count, total)."""

    def add(self, row: DailyPain) -> None:
        self.count += row.scores
        self.total += row.mean * row.scores
        self.low, self.high = min(self.low, row.low), max(self.high, row.high)
        self.notes += row.notes
        count, total = self.by_context.get(row.context, (0, 0.0))
        self.by_context[row.context] = (count + row.scores, total + row.mean * row.scores)

    @property
    def mean(self) -> float:
        return self.total / self.count

    def mean_of(self, context: str) -> float | None:
        count, total = self.by_context.get(context, (0, 0.0))
        return total / count if count else None


@dataclass
class SessionDay:
    finished: int = 0
    ended_early: int = 0
    """Started but stopped, stopped because it hurt, or interrupted: not done."""

    @property
    def done(self) -> int:
        """Sessions done: those that finished (CLINICAL.md section 7)."""
        return self.finished

    @property
    def started(self) -> int:
        return self.finished + self.ended_early


@dataclass
class Sessions:
    outcomes: Counter[SessionOutcome] = field(default_factory=Counter)
    by_day: dict[date, SessionDay] = field(default_factory=dict)
    done_exercises: Counter[str] = field(default_factory=Counter)
    skipped: Counter[tuple[str, str]] = field(default_factory=Counter)
    """(exercise name, reason) -> times."""
    hurt_during: Counter[str] = field(default_factory=Counter)


def gather_sessions(store: LogReader, content: Content, since: When, until: When) -> Sessions:
    """Sessions streamed one at a time, with their events; only counts are kept."""
    result = Sessions()

    def name(exercise_id: str | None) -> str:
        exercise = content.exercises.get(exercise_id or "")
        return exercise.name if exercise else (exercise_id or "an exercise")

    for record in store.sessions(since, until):
        result.outcomes[record.status] += 1
        if record.status is SessionOutcome.CANCELLED:
            continue
        day = result.by_day.setdefault(record.started_at.date(), SessionDay())
        if record.status is SessionOutcome.FINISHED:
            day.finished += 1
        else:
            day.ended_early += 1
        for event in store.events(record.uid):
            if event.kind is EventKind.EXERCISE_DONE:
                result.done_exercises[name(event.exercise_id)] += 1
            elif event.kind is EventKind.EXERCISE_SKIPPED:
                result.skipped[(name(event.exercise_id), event.detail or NO_REASON)] += 1
            elif event.kind is EventKind.STOPPED_HURT:
                result.hurt_during[name(event.exercise_id)] += 1
    return result


@dataclass
class Checks:
    levels: Counter[Level] = field(default_factory=Counter)
    latest_flagged: deque[Screening] = field(default_factory=lambda: deque(maxlen=LIST_CAP))
    """The latest checks with a yes answer (one changed to no with Back included), oldest
    first."""
    flagged: int = 0


def question_words(content: Content, flag: str) -> str:
    if flag in content.flags_by_id:
        return content.flags_by_id[flag].question
    return "a sign this version doesn't know"


def gather_checks(store: LogReader, since: When, until: When) -> Checks:
    result = Checks()
    for screening in store.screenings(since, until):
        result.levels[screening.level] += 1
        taken_back = any(change.was and change.now is False for change in screening.changes)
        if screening.flags or screening.level is not Level.CLEAR or taken_back:
            result.flagged += 1
            result.latest_flagged.append(screening)
    return result


@dataclass
class HeatIce:
    uses: int = 0
    minutes: float = 0.0
    timed: int = 0
    """Uses with a recorded end, whose minutes are counted."""
    stopped_early: int = 0


def gather_heat_ice(store: LogReader, since: When, until: When) -> dict[ThermalKind, HeatIce]:
    result = {kind: HeatIce() for kind in ThermalKind}
    for use in store.applications(since, until):
        kind = result.setdefault(use.kind, HeatIce())
        kind.uses += 1
        kind.stopped_early += bool(use.stopped_early)
        if use.ended_at is not None:
            kind.timed += 1
            kind.minutes += max((use.ended_at - use.started_at).total_seconds(), 0) / 60
    return result
