"""The gate: what the log allows, decided by elapsed time (never the local date), and the one
door every face reports through (`feed`). Also the keys that count as answers (ReadGuard)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from tests.factory import add_screening, add_session

from spasm_coach.answers import READ_SECONDS, ReadGuard, unanswered, yes_to
from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.gate import DAYS_AFTER_HURT, STOP_TITLE, feed, today
from spasm_coach.journal import Journal
from spasm_coach.records import SafetyNote, Screening, new_uid
from spasm_coach.store import Store
from spasm_coach.triage import assess, caution_answers
from spasm_coach.vocabulary import (
    CheckKind,
    Level,
    NoteKind,
    PainContext,
    ScreeningReason,
    SessionOutcome,
)

PARIS = timezone(timedelta(hours=1))
TOKYO = timezone(timedelta(hours=9))
LATE = datetime(2026, 11, 23, 23, 55, tzinfo=PARIS)


def warn(store: Store, level: Level, flag: str, at: datetime) -> Screening:
    return add_screening(store, level, (flag,), {flag: True}, at, ScreeningReason.BEFORE_SESSION)


def clear(store: Store, at: datetime, warning_uid: str | None = None) -> None:
    store.insert(SafetyNote(new_uid(), at, NoteKind.CLEARED, warning_uid))


# --- the highest warning stands until it is cleared --------------------------------------------


def test_the_highest_level_stands_not_the_latest() -> None:
    store = Store.in_memory()
    emergency = warn(store, Level.EMERGENCY, "saddle_numbness", LATE - timedelta(hours=2))
    warn(store, Level.URGENT, "fever", LATE - timedelta(hours=1))
    add_screening(store, Level.CLEAR, (), {}, LATE, ScreeningReason.BEFORE_SESSION)
    day = today(store, LATE + timedelta(minutes=1))
    assert day.warning == emergency
    assert len(day.standing) == 2
    assert day.blocked


@pytest.mark.parametrize(
    "now",
    [
        LATE + timedelta(minutes=10),  # past midnight
        (LATE + timedelta(minutes=10)).astimezone(TOKYO),  # a time zone a day ahead
        LATE + timedelta(days=30),  # a month later
        LATE - timedelta(hours=1),  # the clock set back an hour
    ],
    ids=["midnight", "time-zone", "a-month", "clock-back"],
)
def test_a_warning_stands_whatever_the_clock_says(now: datetime) -> None:
    store = Store.in_memory()
    warning = warn(store, Level.EMERGENCY, "saddle_numbness", LATE)
    assert today(store, now).warning == warning


def test_the_all_clear_lifts_every_warning_before_it_and_not_a_later_one() -> None:
    store = Store.in_memory()
    first = warn(store, Level.EMERGENCY, "saddle_numbness", LATE)
    clear(store, LATE + timedelta(hours=10), first.uid)
    assert today(store, LATE + timedelta(hours=11)).warning is None
    later = warn(store, Level.URGENT, "fever", LATE + timedelta(hours=12))
    day = today(store, LATE + timedelta(hours=13))
    assert day.warning == later
    assert day.standing == (later,)


def test_an_all_clear_naming_a_warning_lifts_it_even_with_the_clock_set_back() -> None:
    store = Store.in_memory()
    warning = warn(store, Level.EMERGENCY, "chest_pain", LATE)
    clear(store, LATE - timedelta(hours=1), warning.uid)  # the clock went back an hour
    assert today(store, LATE).warning is None


def test_the_next_full_check_asks_since_the_warning_until_one_has_been_done() -> None:
    store = Store.in_memory()
    warning = warn(store, Level.EMERGENCY, "saddle_numbness", LATE)
    clear(store, LATE + timedelta(hours=9), warning.uid)
    day = today(store, LATE + timedelta(hours=9, minutes=1))
    assert day.since_warning == warning
    assert day.check_needed is CheckKind.FULL
    add_screening(
        store,
        Level.CLEAR,
        (),
        {"saddle_numbness": False},
        LATE + timedelta(hours=9, minutes=2),
        ScreeningReason.CLI,
    )
    day = today(store, LATE + timedelta(hours=9, minutes=3))
    assert day.since_warning is None
    assert day.check_needed is CheckKind.QUICK


# --- stop for today, the full check, and getting stronger ---------------------------------------


def test_stop_for_today_lasts_to_the_end_of_its_own_day_by_elapsed_time() -> None:
    store = Store.in_memory()
    noted = datetime(2026, 11, 23, 22, 0, tzinfo=PARIS)
    store.insert(SafetyNote(new_uid(), noted, NoteKind.STOP_FOR_TODAY, None, "pain 9/10"))
    assert today(store, noted + timedelta(minutes=30)).stop is not None
    assert today(store, (noted + timedelta(minutes=30)).astimezone(TOKYO)).stop is not None
    assert today(store, noted - timedelta(hours=3)).stop is not None  # the clock set back
    assert today(store, noted + timedelta(hours=2, minutes=1)).stop is None  # next day


def test_a_session_stopped_because_it_hurt_holds_back_harder_work_that_day_and_two_more() -> None:
    store = Store.in_memory()
    start = datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    session = add_session(store, "standard", "Standard", start, None)
    store.end_session(session.uid, start + timedelta(minutes=3), SessionOutcome.STOPPED_HURT)
    for days in range(DAYS_AFTER_HURT + 1):
        day = today(store, start + timedelta(days=days, hours=13))
        assert day.hurt is not None, days
    assert today(store, start + timedelta(days=DAYS_AFTER_HURT + 1)).hurt is None


# --- the one door -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "score", "stops"), [(None, 8, True), (3, 5, True), (3, 4, False)]
)
def test_a_high_or_rising_score_stops_stretching_for_today(
    before: int | None, score: int, stops: bool
) -> None:
    store, clock = Store.in_memory(), FakeClock()
    journal = Journal(store, clock)
    if before is not None:
        journal.log_pain(before)
    advice = feed(journal, pain=journal.log_pain(score, PainContext.CHECK_IN))
    assert (advice.stop is not None) is stops
    assert advice.recheck is stops
    assert (today(store, clock.now()).stop is not None) is stops
    if stops:
        assert advice.lines[0].startswith(f"{STOP_TITLE} Your pain was {score}/10")


def test_a_score_from_an_earlier_day_stops_nothing_today() -> None:
    store, clock = Store.in_memory(), FakeClock()
    journal = Journal(store, clock)
    logged = journal.log_pain(9, at=clock.now() - timedelta(days=2))
    assert feed(journal, pain=logged).stop is None


def test_exercises_made_worse_stops_stretching_and_names_the_routine(content: Content) -> None:
    store, clock = Store.in_memory(), FakeClock()
    session = add_session(store, "standard", "Standard", clock.now() - timedelta(days=1), None)
    store.end_session(session.uid, clock.now() - timedelta(days=1), SessionOutcome.FINISHED)
    journal = Journal(store, clock)
    answers = {flag.id: flag.id == "exercise_made_worse" for flag in content.flags}
    check = journal.screen(assess(content, answers), ScreeningReason.CLI)
    advice = feed(journal, check=check)
    assert advice.stop is not None
    assert advice.stop.screening_uid == check.uid
    assert "ask a physiotherapist before you do Standard again" in advice.lines[0]
    assert today(store, clock.now()).stop == advice.stop


def test_a_check_without_it_stops_nothing(content: Content) -> None:
    journal = Journal(Store.in_memory(), FakeClock())
    check = journal.screen(
        assess(content, {flag.id: flag.id == "fever" for flag in content.flags}),
        ScreeningReason.CLI,
    )
    assert feed(journal, check=check).stop is None
    assert check.level is Level.URGENT


# --- answers ------------------------------------------------------------------------------------


def test_a_held_key_answers_one_question() -> None:
    guard = ReadGuard()
    guard.show(100.0)
    assert not guard.take(100.0)  # a key as the question appears
    repeats = [100.5 + 0.04 * n for n in range(200)]  # a repeat delay of 0.5 s, then 25 a second
    assert not any(guard.take(at) for at in repeats)
    assert guard.ignored == 201
    assert guard.take(repeats[-1] + READ_SECONDS)  # let go, read, pressed again


def test_a_key_once_the_question_has_been_read_counts() -> None:
    guard = ReadGuard()
    guard.show(10.0)
    assert guard.take(10.0 + READ_SECONDS)


def test_three_states_of_an_answer() -> None:
    answers = {"knee": True, "wrist": False}
    ids = ("osteoporosis", "pregnancy", "knee", "wrist")
    assert yes_to(ids, answers) == ("knee",)
    assert unanswered(ids, answers) == ("osteoporosis", "pregnancy")


def test_a_pregnancy_answer_in_the_check_is_the_cautions_answer(content: Content) -> None:
    assert caution_answers(content, {"pregnant": True, "fever": False}) == {"pregnancy": True}
    assert caution_answers(content, {"fever": False}) == {}
