"""Looking back: the store's sums in SQL, the days and totals made from them, and their words.

The sums are checked against the plain answer worked out in Python from every entry, over a log
with entries in several offsets, around midnights and on the very start of a period.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone
from statistics import fmean

import pytest
from tests.factory import add_application, add_event, add_pain, add_session

from spasm_coach.dates import days_back, parse_when
from spasm_coach.records import PainEntry
from spasm_coach.store import HeatIceUses, PainTotals, SkippedExercise, Store
from spasm_coach.store_errors import LogDamaged
from spasm_coach.trend import (
    DayPain,
    Period,
    days_in,
    heat_ice_lines,
    period_totals,
    session_lines,
    span_bounds,
    trend_lines,
)
from spasm_coach.vocabulary import EventKind, PainContext, SessionOutcome, ThermalKind

PLUS1 = timezone(timedelta(hours=1))
MINUS5 = timezone(timedelta(hours=-5))
PLUS10 = timezone(timedelta(hours=10))
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=PLUS1)
PERIODS = (7, 30, 90)


def uid(n: int) -> str:
    return str(uuid.UUID(int=n, version=4))


def add_scores(store: Store, scores: list[tuple[datetime, int]]) -> None:
    for n, (at, score) in enumerate(scores):
        add_pain(store, score, at, PainContext.CHECK_IN, uid=uid(n + 1))


def names(exercise_id: str) -> str:
    return {"cobra": "Cobra", "cat_cow": "Cat-cow"}.get(exercise_id, exercise_id or "an exercise")


# --- the spans: one read for every period and day ----------------------------------------------


def test_span_bounds_split_at_local_midnights_and_at_each_period_start() -> None:
    bounds = span_bounds(NOW, PERIODS)
    assert bounds == sorted(set(bounds))
    assert bounds[0] == datetime(2026, 8, 26, tzinfo=NOW.tzinfo)  # 90 whole days, today's too
    assert bounds[-1] == NOW + timedelta(seconds=1)
    assert days_back(7, NOW) in bounds
    assert days_back(30, NOW) in bounds
    midnights = [bound for bound in bounds if bound.time() == datetime.min.time()]
    assert len(midnights) == 90  # 26 Aug 00:00 to 23 Nov 00:00
    assert all(bound.utcoffset() == timedelta(hours=1) for bound in midnights)
    assert len(bounds) == 90 + 1


def test_the_last_7_days_are_7_whole_local_days_today_included() -> None:
    """What history, its export, the report and --since 7d all mean by "the last 7 days"."""
    period = Period(7, NOW)
    assert period.since == datetime(2026, 11, 17, 0, 0, tzinfo=NOW.tzinfo)
    assert (period.first_day, period.last_day) == (date(2026, 11, 17), date(2026, 11, 23))
    assert period.describe() == "the last 7 days (Tue 17 Nov to today)"
    assert parse_when("7d", NOW, whole_days=True) == period.since
    assert parse_when("1w", NOW, whole_days=True) == period.since
    assert parse_when("7d", NOW) == NOW - timedelta(days=7)  # a moment (log --at) stays exact


def test_a_score_counts_on_the_viewers_day_whatever_offset_it_was_logged_in(
    store: Store,
) -> None:
    """23:30 in New York on the 20th is 05:30 on the 21st for someone now in Paris."""
    add_scores(store, [(datetime(2026, 11, 20, 23, 30, tzinfo=MINUS5), 6)])
    period = Period(7, NOW)
    (day,) = days_in(store.pain_spans(span_bounds(NOW, PERIODS)), period)
    assert day == DayPain(date(2026, 11, 21), 1, 6)
    assert day.day == period.day_of(datetime(2026, 11, 20, 23, 30, tzinfo=MINUS5))


def test_a_period_starts_at_the_first_midnight_it_names(store: Store) -> None:
    since = days_back(7, NOW)
    add_scores(store, [(since - timedelta(seconds=1), 9), (since, 8), (NOW, 2)])
    spans = store.pain_spans(span_bounds(NOW, PERIODS))
    week = days_in(spans, Period(7, NOW))
    assert [(day.day, day.scores, day.total) for day in week] == [
        (since.date(), 1, 8),  # the first day named, from its first second
        (NOW.date(), 1, 2),
    ]
    month = days_in(spans, Period(30, NOW))
    assert month[0] == DayPain(since.date() - timedelta(days=1), 1, 9)


def test_spans_sum_count_lowest_and_highest_in_sql(store: Store) -> None:
    add_scores(store, [(NOW - timedelta(hours=h), s) for h, s in ((1, 3), (2, 8), (3, 5))])
    bounds = [NOW - timedelta(hours=4), NOW - timedelta(minutes=90), NOW + timedelta(seconds=1)]
    early, late = store.pain_spans(bounds)
    assert (early.scores, early.total, early.low, early.high) == (2, 13, 5, 8)
    assert (late.scores, late.total, late.low, late.high) == (1, 3, 3, 3)
    empty = store.pain_spans([NOW - timedelta(days=2), NOW - timedelta(days=1)])
    assert [(span.scores, span.total, span.low, span.high) for span in empty] == [
        (0, 0, None, None)
    ]
    assert store.pain_spans([NOW]) == []
    with pytest.raises(ValueError, match="forward in time"):
        store.pain_spans([NOW, NOW - timedelta(hours=1)])


def test_days_and_totals_match_every_entry_summed_in_python(store: Store) -> None:
    """A random log in three offsets, some of it older than 90 days: every period agrees."""
    chance = random.Random(7)
    offsets = (PLUS1, MINUS5, PLUS10)
    scores = []
    for _ in range(600):
        moment = NOW - timedelta(seconds=chance.randrange(0, 100 * 86400))
        scores.append((moment.astimezone(chance.choice(offsets)), chance.randint(0, 10)))
    scores += [(NOW - timedelta(days=30), 7), (NOW - timedelta(days=7), 1)]  # on the boundaries
    add_scores(store, scores)
    spans = store.pain_spans(span_bounds(NOW, PERIODS))
    assert len(spans) == len(span_bounds(NOW, PERIODS)) - 1

    for days in PERIODS:
        period = Period(days, NOW)
        entries = list(store.pain_scores(period.since, period.until))
        expected: dict[date, list[int]] = {}
        for entry in entries:
            expected.setdefault(period.day_of(entry.recorded_at), []).append(entry.score)
        got = days_in(spans, period)
        assert {day.day: (day.scores, day.total) for day in got} == {
            day: (len(values), sum(values)) for day, values in expected.items()
        }
        totals = period_totals(got, store.pain_ends(period.since, period.until))
        assert totals.scores == len(entries)
        assert totals.mean == pytest.approx(fmean(entry.score for entry in entries))
        assert (totals.first, totals.last) == (entries[0].score, entries[-1].score)
        assert store.pain_totals(period.since, period.until) == (
            totals.scores,
            pytest.approx(totals.mean),
            totals.first,
            totals.last,
        )


# --- totals, pages and the newest scores -------------------------------------------------------


def test_totals_of_the_newest_scores(store: Store) -> None:
    add_scores(store, [(NOW - timedelta(hours=h), s) for h, s in ((4, 9), (3, 2), (2, 4), (1, 6))])
    assert store.pain_totals() == PainTotals(4, 5.25, 9, 6)
    assert store.pain_totals(newest=2) == PainTotals(2, 5.0, 4, 6)
    assert store.pain_totals(newest=4) == PainTotals(4, 5.25, 9, 6)
    assert store.pain_totals(newest=10) == PainTotals(4, 5.25, 9, 6)
    assert store.pain_totals(until=NOW - timedelta(hours=3), newest=1) == PainTotals(1, 9.0, 9, 9)
    assert store.pain_totals(since=NOW) == PainTotals(0, None, None, None)


def test_pages_cover_the_window_newest_first_even_with_scores_at_the_same_second(
    store: Store,
) -> None:
    same = NOW - timedelta(hours=5)
    moments = [NOW - timedelta(minutes=m) for m in range(0, 230, 10)] + [same] * 7
    add_scores(store, [(moment, n % 11) for n, moment in enumerate(moments)])
    since = NOW - timedelta(hours=3)
    expected = [entry.uid for entry in reversed(list(store.pain_scores(since=since)))]

    seen, after, pages = [], None, 0
    while True:
        page = store.pain_page(since, None, after=after, size=4)
        seen += [entry.uid for entry in page.entries]
        pages += 1
        if page.next is None:
            break
        after = page.next
    assert seen == expected
    assert pages == -(-len(expected) // 4)

    everything = []
    after = None
    while True:
        page = store.pain_page(after=after, size=3)
        everything += page.entries
        if page.next is None:
            break
        after = page.next
    assert [entry.uid for entry in everything] == [
        entry.uid for entry in reversed(list(store.pain_scores()))
    ]
    assert store.pain_page(since=NOW + timedelta(days=1)).entries == []


def test_the_newest_scores_stream_oldest_first(store: Store) -> None:
    same = NOW - timedelta(hours=2)
    add_scores(store, [(NOW - timedelta(hours=3), 1), (same, 2), (same, 3), (same, 4), (NOW, 5)])
    assert [entry.score for entry in store.recent_pain_scores(newest=3)] == [3, 4, 5]
    assert [entry.score for entry in store.recent_pain_scores(newest=50)] == [1, 2, 3, 4, 5]
    newest_before = store.recent_pain_scores(until=NOW, newest=2)
    assert [entry.score for entry in newest_before] == [3, 4]
    assert list(store.recent_pain_scores(since=NOW + timedelta(hours=1), newest=2)) == []


def test_a_damaged_row_is_reported_not_shown(store: Store) -> None:
    add_scores(store, [(NOW, 4)])
    store._db.execute(
        "INSERT INTO pain_score (uid, recorded_at, score, context) VALUES (?, ?, ?, ?)",
        ("not-a-uuid", "2026-11-23T08:00:00+01:00", 3, "check-in"),
    )
    with pytest.raises(LogDamaged, match="not a UUID"):
        store.pain_page(size=5)
    with pytest.raises(LogDamaged, match="not a UUID"):
        list(store.recent_pain_scores(newest=5))
    assert store.pain_spans([NOW - timedelta(hours=2), NOW])[0].scores == 1


# --- sessions and heat/ice, counted in SQL -----------------------------------------------------


def test_sessions_by_outcome_and_skips_by_exercise_and_reason(store: Store) -> None:
    def session(
        days_ago: int, outcome: SessionOutcome | None, *skips: tuple[str | None, str | None]
    ) -> None:
        at = NOW - timedelta(days=days_ago)
        record = add_session(store, "gentle", "Gentle", at, None)
        for exercise, reason in skips:
            add_event(store, record.uid, at, EventKind.EXERCISE_SKIPPED, exercise, reason)
        add_event(store, record.uid, at, EventKind.EXERCISE_DONE, "cobra")
        if outcome is not None:
            store.end_session(record.uid, at + timedelta(minutes=9), outcome)

    session(1, SessionOutcome.FINISHED, ("cobra", "it hurt"), ("cat_cow", None))
    session(2, SessionOutcome.FINISHED, ("cobra", "it hurt"))
    session(3, None, ("cobra", "too stiff"))  # never closed: interrupted
    session(40, SessionOutcome.STOPPED_HURT, ("cobra", "old"))
    since, until = NOW - timedelta(days=30), NOW + timedelta(seconds=1)

    outcomes = store.session_outcomes(since, until)
    assert outcomes == {SessionOutcome.FINISHED: 2, SessionOutcome.INTERRUPTED: 1}
    skipped = store.skipped_exercises(since, until)
    assert skipped == [
        SkippedExercise("cat_cow", None, 1),
        SkippedExercise("cobra", "it hurt", 2),
        SkippedExercise("cobra", "too stiff", 1),
    ]
    assert session_lines(outcomes, skipped, names) == [
        "Stretch sessions: 3",
        "  finished: 2",
        "  stopped early: 0",
        "  stopped because it hurt: 0",
        "  interrupted: 1",
        "Skipped exercises:",
        "  - Cat-cow: no reason given",
        "  - Cobra: it hurt (2 times)",
        "  - Cobra: too stiff",
    ]
    assert store.session_outcomes()[SessionOutcome.STOPPED_HURT] == 1
    assert session_lines({}, [], names) == ["Stretch sessions: none in this period."]


def test_heat_and_ice_uses_and_early_stops(store: Store) -> None:
    def use(kind: ThermalKind, days_ago: int, stopped_early: bool | None) -> None:
        at = NOW - timedelta(days=days_ago)
        application = add_application(store, kind, at, 15)
        if stopped_early is not None:
            store.end_application(application.uid, at + timedelta(minutes=15), stopped_early)

    use(ThermalKind.HEAT, 1, False)
    use(ThermalKind.HEAT, 2, True)
    use(ThermalKind.HEAT, 3, None)  # still on, or the app was closed: not stopped early
    use(ThermalKind.ICE, 50, True)
    uses = store.heat_ice_uses(NOW - timedelta(days=30), NOW)
    assert uses == {ThermalKind.HEAT: HeatIceUses(3, 1)}
    assert heat_ice_lines(uses) == [
        "Heat: 3 uses, 1 stopped early",
        "Ice: 0 uses, none stopped early",
    ]
    assert store.heat_ice_uses()[ThermalKind.ICE] == HeatIceUses(1, 1)
    assert heat_ice_lines({}) == ["None in this period."]


# --- the change in words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("totals", "expected"),
    [
        (
            PainTotals(0, None, None, None),
            ["No pain scores in this period. Log one from home with p."],
        ),
        (
            PainTotals(1, 4.0, 4, 4),
            [
                "Scores: 1    mean: 4.0 (moderate)",
                "Change: only one score, so no change to show yet.",
            ],
        ),
        (
            PainTotals(30, 5.5, 8, 3),
            [
                "Scores: 30    mean: 5.5 (moderate)",
                "Change, first to last: 5 points better (8 to 3): a meaningful change.",
            ],
        ),
    ],
)
def test_trend_in_words(totals: PainTotals, expected: list[str]) -> None:
    assert trend_lines(totals) == expected


def test_totals_of_a_period_without_scores() -> None:
    first = PainEntry(uid(1), NOW, 5, PainContext.CHECK_IN)
    assert period_totals([], (first, first)) == PainTotals(0, None, None, None)
    assert period_totals([DayPain(NOW.date(), 2, 9)], None) == PainTotals(0, None, None, None)
