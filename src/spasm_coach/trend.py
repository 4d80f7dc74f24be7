"""Looking back over a period: its window, and its pain, sessions and heat/ice in words."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean

from spasm_coach.pain import Change, band
from spasm_coach.records import Application, PainEntry, SessionEvent, SessionRecord
from spasm_coach.vocabulary import EventKind, SessionOutcome, ThermalKind
from spasm_coach.wording import plural

OUTCOMES = (
    SessionOutcome.FINISHED,
    SessionOutcome.STOPPED,
    SessionOutcome.STOPPED_HURT,
    SessionOutcome.INTERRUPTED,
)
"""Session outcomes always listed, even at zero, so 'none stopped because it hurt' is said."""


@dataclass(frozen=True)
class Period:
    """The last `days` days up to now: since <= recorded time <= now."""

    days: int
    now: datetime

    @property
    def since(self) -> datetime:
        return self.now - timedelta(days=self.days)

    @property
    def until(self) -> datetime:
        """The store's end is exclusive and its times are whole seconds: one second on keeps now."""
        return self.now + timedelta(seconds=1)

    @property
    def first_day(self) -> date:
        return self.since.date()

    @property
    def last_day(self) -> date:
        return self.now.date()

    def day_of(self, moment: datetime) -> date:
        """The local calendar day of a moment, in the offset the clock is in now."""
        return moment.astimezone(self.now.tzinfo).date()

    def describe(self) -> str:
        return f"the last {self.days} days ({self.since:%a %d %b} to today)"


def trend_lines(entries: Sequence[PainEntry]) -> list[str]:
    """Count, mean and the change from the first score in the period to the last, in words."""
    if not entries:
        return ["No pain scores in this period. Log one from home with p."]
    scores = [entry.score for entry in entries]
    mean = fmean(scores)
    lines = [f"Scores: {len(scores)}    mean: {mean:.1f} ({band(round(mean))})"]
    if len(scores) == 1:
        lines.append("Change: only one score, so no change to show yet.")
    else:
        change = Change(scores[0], scores[-1])
        lines.append(f"Change, first to last: {change.describe()}.")
    return lines


def session_lines(
    sessions: Iterable[SessionRecord],
    events_of: Callable[[str], Iterable[SessionEvent]],
    exercise_name: Callable[[str], str],
) -> list[str]:
    """Sessions by outcome, then each skipped exercise with its reason and how often."""
    records = list(sessions)
    if not records:
        return ["Stretch sessions: none in this period."]
    outcomes = Counter(record.status for record in records)
    lines = [f"Stretch sessions: {len(records)}"]
    for outcome in (*OUTCOMES, *sorted(set(outcomes) - set(OUTCOMES))):
        lines.append(f"  {outcome.words}: {outcomes[outcome]}")
    skipped = Counter(
        (exercise_name(event.exercise_id or ""), event.detail or "no reason given")
        for record in records
        for event in events_of(record.uid)
        if event.kind is EventKind.EXERCISE_SKIPPED
    )
    if not skipped:
        lines.append("Skipped exercises: none.")
    else:
        lines.append("Skipped exercises:")
        for (name, reason), times in sorted(skipped.items()):
            often = "" if times == 1 else f" ({times} times)"
            lines.append(f"  - {name}: {reason}{often}")
    return lines


def heat_ice_lines(applications: Iterable[Application]) -> list[str]:
    """Uses of heat and of ice, and how many of each were stopped early."""
    uses = list(applications)
    if not uses:
        return ["None in this period."]
    lines = []
    for kind in ThermalKind:
        of_kind = [use for use in uses if use.kind is kind]
        early = sum(1 for use in of_kind if use.stopped_early)
        stopped = "none stopped early" if not early else f"{early} stopped early"
        lines.append(f"{kind.value.capitalize()}: {plural(len(of_kind), 'use')}, {stopped}")
    return lines
