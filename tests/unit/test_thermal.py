"""Heat and ice: contraindications by kind, the gap before the next use, and the timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from tests.support import NO_HEAT_ICE_PROBLEMS

from spasm_coach.content import Content
from spasm_coach.records import Application
from spasm_coach.thermal import (
    Permission,
    ThermalTimer,
    TimerStatus,
    availability,
    blocking_contraindications,
    next_allowed,
    permission,
)
from spasm_coach.vocabulary import ThermalKind
from spasm_coach.wording import clock_time, duration_words

TZ = timezone(timedelta(hours=1))
START = 1000.0


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def used(kind: ThermalKind, start: datetime, minutes: int | None, planned: int = 15) -> Application:
    """An application of `minutes` length; None for one never ended."""
    end = None if minutes is None else start + timedelta(minutes=minutes)
    return Application(f"{kind}-{start:%H%M}", kind, start, end, planned, False)


# --- contraindications ------------------------------------------------------------------------


def test_raynauds_blocks_ice_and_not_heat(content: Content) -> None:
    assert blocking_contraindications(content, ["raynauds"], "heat") == ()
    blocked = blocking_contraindications(content, ["raynauds"], "ice")
    assert [c.id for c in blocked] == ["raynauds"]


def test_a_general_contraindication_blocks_both_kinds(content: Content) -> None:
    for kind in ("heat", "ice"):
        assert [c.id for c in blocking_contraindications(content, ("diabetes",), kind)] == [
            "diabetes"
        ]


def test_no_yes_answers_block_nothing(content: Content) -> None:
    assert blocking_contraindications(content, (), "heat") == ()
    assert blocking_contraindications(content, (), "ice") == ()


def test_every_yes_for_the_kind_is_returned_in_content_order(content: Content) -> None:
    blocked = blocking_contraindications(content, ["cold_allergy", "numb_skin", "raynauds"], "ice")
    assert [c.id for c in blocked] == ["numb_skin", "raynauds", "cold_allergy"]
    assert [c.id for c in blocking_contraindications(content, ["cold_allergy"], "heat")] == []


def test_an_unknown_kind_is_refused(content: Content) -> None:
    with pytest.raises(ValueError, match="sauna"):
        blocking_contraindications(content, (), "sauna")


# --- the gap before the next application ------------------------------------------------------


def test_never_used_is_available(content: Content) -> None:
    result = availability(content.thermal, "heat", [], at(9))
    assert (result.available, result.available_at, result.reason) == (True, None, None)


@pytest.mark.parametrize(("kind", "gap"), [(ThermalKind.HEAT, 60), (ThermalKind.ICE, 120)])
def test_the_gap_runs_from_the_end_of_the_last_use(
    content: Content, kind: ThermalKind, gap: int
) -> None:
    history = [used(kind, at(14, 0), 20)]
    ends = at(14, 20)
    just_before = availability(
        content.thermal, kind, history, ends + timedelta(minutes=gap, seconds=-1)
    )
    assert not just_before.available
    assert just_before.available_at == ends + timedelta(minutes=gap)
    assert availability(content.thermal, kind, history, ends + timedelta(minutes=gap)).available


def test_the_reason_names_the_times_and_the_gap(content: Content) -> None:
    result = availability(
        content.thermal, "heat", [used(ThermalKind.HEAT, at(14, 0), 20)], at(14, 30)
    )
    assert result.reason == (
        "Heat was used until 14:20. After heat, wait 1 hour before heat or ice, so the next is "
        "from 15:20."
    )
    ice = availability(content.thermal, "ice", [used(ThermalKind.ICE, at(14, 0), 10)], at(14, 30))
    assert ice.reason == (
        "Ice was used until 14:10. After ice, wait 2 hours before heat or ice, so the next is "
        "from 16:10."
    )


def test_an_application_not_ended_yet_counts_as_on_for_the_minutes_chosen(content: Content) -> None:
    history = [used(ThermalKind.HEAT, at(14, 0), None, planned=15)]
    result = availability(content.thermal, "heat", history, at(15, 10))
    assert not result.available
    assert result.available_at == at(15, 15)  # 14:00 + 15 min chosen + 60 min gap
    assert result.reason == (
        "Heat went on at 14:00 for 15 minutes, so it is off by 14:15. After heat, wait 1 hour "
        "before heat or ice, so the next is from 15:15."
    )
    assert availability(content.thermal, "heat", history, at(15, 15)).available


def test_minutes_beyond_the_cap_never_count(content: Content) -> None:
    history = [used(ThermalKind.HEAT, at(14, 0), None, planned=90)]  # a hand-edited log
    assert availability(content.thermal, "heat", history, at(15, 19)).available_at == at(15, 20)


def test_a_stop_early_shortens_the_wait(content: Content) -> None:
    result = availability(
        content.thermal, "heat", [used(ThermalKind.HEAT, at(14, 0), 5)], at(14, 30)
    )
    assert result.available_at == at(15, 5)


def test_no_heat_straight_after_ice_nor_ice_straight_after_heat(content: Content) -> None:
    """CLINICAL.md section 7: the gap applies across both kinds, at the gap of the kind that
    was on (the skin is back to normal 2 hours after ice, 1 hour after heat)."""
    after_heat = [used(ThermalKind.HEAT, at(14, 0), 20)]
    ice = availability(content.thermal, "ice", after_heat, at(14, 25))
    assert not ice.available
    assert ice.available_at == at(15, 20)
    assert ice.reason == (
        "Heat was used until 14:20. After heat, wait 1 hour before heat or ice, ice included, so "
        "the next is from 15:20."
    )
    after_ice = [used(ThermalKind.ICE, at(14, 30), 10)]
    heat = availability(content.thermal, "heat", after_ice, at(14, 45))
    assert heat.available_at == at(16, 40)
    both = after_heat + after_ice
    for kind in ("heat", "ice"):
        assert availability(content.thermal, kind, both, at(14, 45)).available_at == at(16, 40)
        assert availability(content.thermal, kind, both, at(16, 40)).available


def test_the_latest_ending_gap_counts(content: Content) -> None:
    history = [
        used(ThermalKind.HEAT, at(9, 0), 20),
        used(ThermalKind.HEAT, at(11, 0), 15),
        used(ThermalKind.HEAT, at(8), 5),
    ]
    assert next_allowed(content.thermal, history) == at(12, 15)
    assert next_allowed(content.thermal, []) is None
    with_ice = [*history, used(ThermalKind.ICE, at(10, 30), 15)]  # ends 10:45, 2 hours: 12:45
    assert next_allowed(content.thermal, with_ice) == at(12, 45)


def test_times_are_shown_in_nows_zone_rounded_up_with_the_day_when_it_differs() -> None:
    now = at(22, 0)
    utc = UTC
    assert clock_time(datetime(2026, 11, 23, 13, 20, tzinfo=utc), now) == "14:20"
    assert clock_time(at(14, 20) + timedelta(seconds=30), now) == "14:21"
    assert clock_time(at(14, 20) + timedelta(seconds=30), now, round_up=False) == "14:20"
    assert clock_time(at(8, 0, day=24), now) == "08:00 on Tue 24 Nov"


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (60, "1 hour"),
        (120, "2 hours"),
        (90, "1 hour 30 minutes"),
        (45, "45 minutes"),
        (1, "1 minute"),
    ],
)
def test_duration_words(minutes: int, words: str) -> None:
    assert duration_words(minutes) == words


# --- the timer ---------------------------------------------------------------------------------


def test_minutes_asked_past_the_cap_are_cut_to_it(content: Content) -> None:
    timer = ThermalTimer(content.thermal["heat"], 30, START)
    assert timer.minutes == 20
    assert timer.deadline == START + 20 * 60
    assert timer.remaining(START) == 20 * 60


def test_less_than_a_minute_is_refused(content: Content) -> None:
    with pytest.raises(ValueError, match="at least 1 minute"):
        ThermalTimer(content.thermal["ice"], 0, START)


def test_skin_check_once_at_five_minutes_then_ended_once_at_the_deadline(content: Content) -> None:
    timer = ThermalTimer(content.thermal["ice"], 10, START)
    assert timer.tick(START + 299.9) == []
    assert timer.tick(START + 300) == ["skin-check"]
    assert timer.tick(START + 300) == []
    assert timer.tick(START + 450) == []
    assert timer.tick(START + 599.99) == []
    assert timer.status is TimerStatus.RUNNING
    assert timer.tick(START + 600) == ["ended"]
    assert timer.status is TimerStatus.ENDED
    assert not timer.stopped_early
    assert timer.ended_at == START + 600
    assert timer.tick(START + 601) == []
    assert timer.remaining(START + 601) == 0


def test_a_late_tick_still_ends_at_the_deadline(content: Content) -> None:
    timer = ThermalTimer(content.thermal["heat"], 15, START)
    assert timer.tick(START + 60) == []
    assert timer.tick(START + 3600) == ["ended"]  # the laptop slept through the skin check
    assert timer.ended_at == timer.deadline == START + 15 * 60
    assert timer.remaining(START + 3600) == 0


def test_no_skin_check_for_an_application_that_ends_first(content: Content) -> None:
    timer = ThermalTimer(content.thermal["heat"], 5, START)
    assert timer.skin_check_at is None
    assert timer.tick(START + 300) == ["ended"]
    short = ThermalTimer(content.thermal["heat"], 3, START)
    assert short.tick(START + 180) == ["ended"]


def test_stop_early(content: Content) -> None:
    timer = ThermalTimer(content.thermal["heat"], 15, START)
    timer.tick(START + 300)
    assert timer.stop(START + 420.5) == ["stopped-early"]
    assert timer.status is TimerStatus.STOPPED
    assert timer.stopped_early
    assert timer.ended_at == START + 420.5
    assert timer.remaining(START + 2000) == 480  # frozen where it stopped, rounded up
    assert timer.tick(START + 2000) == []
    assert timer.stop(START + 2001) == []


def test_stop_at_or_past_the_deadline_is_an_ordinary_end(content: Content) -> None:
    timer = ThermalTimer(content.thermal["ice"], 10, START)
    assert timer.stop(START + 600) == ["ended"]
    assert not timer.stopped_early
    assert timer.status is TimerStatus.ENDED


def test_stopping_before_the_skin_check_means_no_skin_check(content: Content) -> None:
    timer = ThermalTimer(content.thermal["ice"], 10, START)
    timer.stop(START + 100)
    assert timer.tick(START + 300) == []


def test_remaining_counts_whole_seconds_up_and_never_below_zero(content: Content) -> None:
    timer = ThermalTimer(content.thermal["heat"], 1, START)
    assert timer.remaining(START + 0.1) == 60
    assert timer.remaining(START + 59.5) == 1
    assert timer.remaining(START + 60) == 0
    assert timer.remaining(START + 500) == 0  # not ticked yet: still not negative


def test_deadlines_are_absolute_however_often_it_ticks(content: Content) -> None:
    timer = ThermalTimer(content.thermal["heat"], 20, START)
    now, events = START, []
    while timer.status is TimerStatus.RUNNING:
        now += 0.37  # an uneven heartbeat never adds up to drift
        events += [(event, now) for event in timer.tick(now)]
    assert [event for event, _ in events] == ["skin-check", "ended"]
    assert events[0][1] == pytest.approx(START + 300, abs=0.37)
    assert timer.ended_at == START + 1200


# --- one rule for every face: unknown is never safe -------------------------------------------


NO = NO_HEAT_ICE_PROBLEMS


@pytest.mark.parametrize(
    ("answers", "kind", "expected"),
    [
        ({}, "heat", Permission.ASK_FIRST),  # never asked
        ({"diabetis": False}, "heat", Permission.ASK_FIRST),  # a typo by hand answers nothing
        ({**NO, "frostbite": True}, "heat", Permission.ALLOWED),  # nor does an unknown id
        (NO, "heat", Permission.ALLOWED),
        ({**NO, "raynauds": True}, "heat", Permission.ALLOWED),
        ({**NO, "raynauds": True}, "ice", Permission.BLOCKED),
        ({**NO, "diabetes": True}, "heat", Permission.BLOCKED),
        ({"diabetes": True}, "ice", Permission.BLOCKED),  # a yes blocks, asked or not the rest
        ({k: v for k, v in NO.items() if k != "cold_allergy"}, "ice", Permission.ASK_FIRST),
        ({k: v for k, v in NO.items() if k != "cold_allergy"}, "heat", Permission.ALLOWED),
    ],
)
def test_permission_asks_first_for_anything_not_answered(
    content: Content, answers: dict[str, bool], kind: str, expected: Permission
) -> None:
    decided = permission(content, answers, kind)
    assert decided.permission is expected
    if expected is Permission.BLOCKED:
        assert decided.blocking
    if expected is Permission.ASK_FIRST:
        assert decided.to_ask
        assert all(item.id not in answers and kind in item.applies_to for item in decided.to_ask)
