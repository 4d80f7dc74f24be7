"""Looking back over a period: its window, its days, and its pain, sessions and heat/ice in words.

Everything here works from sums the store has made in SQL (spans of scores, counts by outcome),
never from every entry, so looking back over a log of a million scores holds a few hundred rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from spasm_coach.dates import days_back
from spasm_coach.pain import Change, band
from spasm_coach.records import PainEntry
from spasm_coach.store import HeatIceUses, PainSpan, PainTotals, SkippedExercise
from spasm_coach.vocabulary import NO_REASON, SessionOutcome, ThermalKind
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
    """The last `days` whole local days, today included, up to now: since <= recorded time <=
    now (dates.days_back, as `--since 7d` reads it)."""

    days: int
    now: datetime

    @property
    def since(self) -> datetime:
        return days_back(self.days, self.now)

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


# --- days and totals from the store's spans ----------------------------------------------------


class DayPain(NamedTuple):
    """The scores of one local day: how many and their sum (so days can be merged into a mean)."""

    day: date
    scores: int
    total: int


def span_bounds(now: datetime, periods: Iterable[int]) -> list[datetime]:
    """Where to split the log so that one read of spans serves every period and every day.

    The bounds are each local midnight inside the longest period (a day is read in the offset the
    clock is in now, as `Period.day_of` reads it), the start of every period, and the end. So a
    period is a run of whole spans, and so is each of its days.
    """
    looks = [Period(days, now) for days in periods]
    longest = max(looks, key=lambda period: period.days)
    bounds = {period.since for period in looks} | {longest.until}
    day = longest.first_day + timedelta(days=1)
    while day <= longest.last_day:
        bounds.add(datetime.combine(day, time(), now.tzinfo))
        day += timedelta(days=1)
    return sorted(bounds)


def days_in(spans: Iterable[PainSpan], period: Period) -> list[DayPain]:
    """The period's scores summed per local day, oldest first; a day with no score is left out.

    `spans` come from bounds that include the period's start (see `span_bounds`).
    """
    days: dict[date, DayPain] = {}
    for span in spans:
        if span.scores and period.since <= span.start and span.end <= period.until:
            day = period.day_of(span.start)
            count, total = days[day][1:] if day in days else (0, 0)
            days[day] = DayPain(day, count + span.scores, total + span.total)
    return sorted(days.values())


def period_totals(days: Sequence[DayPain], ends: tuple[PainEntry, PainEntry] | None) -> PainTotals:
    """The period's count and mean from its days, and its first and last score from `ends`."""
    count = sum(day.scores for day in days)
    if not count or ends is None:
        return PainTotals(0, None, None, None)
    first, last = ends
    return PainTotals(count, sum(day.total for day in days) / count, first.score, last.score)


# --- in words ----------------------------------------------------------------------------------


def trend_lines(totals: PainTotals) -> list[str]:
    """Count, mean and the change from the first score in the period to the last, in words."""
    count, mean, first, last = totals
    if not count or mean is None or first is None or last is None:
        return ["No pain scores in this period. Log one from home with p."]
    lines = [f"Scores: {count}    mean: {mean:.1f} ({band(round(mean))})"]
    if count == 1:
        lines.append("Change: only one score, so no change to show yet.")
    else:
        lines.append(f"Change, first to last: {Change(first, last).describe()}.")
    return lines


def session_lines(
    outcomes: Mapping[SessionOutcome, int],
    skipped: Iterable[SkippedExercise],
    exercise_name: Callable[[str], str],
) -> list[str]:
    """Sessions by outcome, then each skipped exercise with its reason and how often."""
    total = sum(outcomes.values())
    if not total:
        return ["Stretch sessions: none in this period."]
    lines = [f"Stretch sessions: {total}"]
    for outcome in (*OUTCOMES, *sorted(set(outcomes) - set(OUTCOMES))):
        lines.append(f"  {outcome.words}: {outcomes.get(outcome, 0)}")
    times: Counter[tuple[str, str]] = Counter()
    for exercise_id, reason, count in skipped:
        times[exercise_name(exercise_id or ""), reason or NO_REASON] += count
    if not times:
        lines.append("Skipped exercises: none.")
    else:
        lines.append("Skipped exercises:")
        for (name, reason), count in sorted(times.items()):
            often = "" if count == 1 else f" ({count} times)"
            lines.append(f"  - {name}: {reason}{often}")
    return lines


def heat_ice_lines(uses: Mapping[ThermalKind, HeatIceUses]) -> list[str]:
    """Uses of heat and of ice, and how many of each were stopped early."""
    if not any(count.uses for count in uses.values()):
        return ["None in this period."]
    lines = []
    for kind in ThermalKind:
        count, early = uses.get(kind, HeatIceUses(0, 0))
        stopped = "none stopped early" if not early else f"{early} stopped early"
        lines.append(f"{kind.words.capitalize()}: {plural(count, 'use')}, {stopped}")
    return lines
