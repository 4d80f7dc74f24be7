"""Reminders from the log: heat and ice after their gap, stretch sessions every few hours."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from tests.factory import add_application, add_screening, add_session
from tests.support import NO_HEAT_ICE_PROBLEMS, NONE_APPLY

from spasm_coach.content import Content
from spasm_coach.records import SafetyNote, new_uid
from spasm_coach.remind import Reminder, Reminders, next_waking, reminders
from spasm_coach.settings import Settings, load_settings, save_settings
from spasm_coach.store import Store
from spasm_coach.vocabulary import Level, NoteKind, ScreeningReason, SessionOutcome, ThermalKind

TZ = timezone(timedelta(hours=1))
ASKED = Settings(thermal_contraindications=NO_HEAT_ICE_PROBLEMS)
"""Contraindication questions answered, all no."""


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def apply(store: Store, kind: ThermalKind, start: datetime, minutes: int | None = 15) -> None:
    """An application in the log, ended after `minutes` (None: never ended)."""
    application = add_application(store, kind, start, 15)
    if minutes is not None:
        store.end_application(application.uid, start + timedelta(minutes=minutes), False)


def session(
    store: Store, start: datetime, outcome: SessionOutcome | None = SessionOutcome.FINISHED
) -> None:
    record = add_session(store, "standard", "Standard", start, None)
    if outcome is not None:
        store.end_session(record.uid, start + timedelta(minutes=10), outcome)


def kinds(found: tuple[Reminder, ...]) -> list[tuple[str, datetime]]:
    return [(reminder.kind, reminder.at) for reminder in found]


def check(store: Store, content: Content, now: datetime, settings: Settings = ASKED) -> Reminders:
    return reminders(store, content, settings, now)


# --- heat and ice -----------------------------------------------------------------------------


def test_nothing_without_any_use(store: Store, content: Content) -> None:
    found = check(store, content, at(12))
    assert (found.due_now, found.upcoming) == ((), ())


def test_heat_is_upcoming_until_its_gap_ends_then_due_now(store: Store, content: Content) -> None:
    apply(store, ThermalKind.HEAT, at(14, 0), 20)
    before = check(store, content, at(15, 19))
    assert before.due_now == ()
    assert kinds(before.upcoming) == [("heat", at(15, 20))]
    assert before.upcoming[0].message == (
        "Heat can be used again from 15:20, if it helps (last used until 14:20; the gap after "
        "heat or ice holds up both)."
    )
    after = check(store, content, at(15, 20))
    assert kinds(after.due_now) == [("heat", at(15, 20))]
    assert after.upcoming == ()
    assert after.due_now[0].message == (
        "You can use heat again now, if it helps (last used until 14:20)."
    )


def test_ice_waits_two_hours(store: Store, content: Content) -> None:
    apply(store, ThermalKind.ICE, at(10, 0), 10)
    assert kinds(check(store, content, at(12, 9)).upcoming) == [("ice", at(12, 10))]
    assert kinds(check(store, content, at(12, 10)).due_now) == [("ice", at(12, 10))]


def test_a_newer_application_moves_the_reminder_on(store: Store, content: Content) -> None:
    apply(store, ThermalKind.HEAT, at(9, 0), 15)
    apply(store, ThermalKind.HEAT, at(11, 0), 15)
    found = check(store, content, at(11, 30))
    assert found.due_now == ()
    assert kinds(found.upcoming) == [("heat", at(12, 15))]


def test_an_application_still_on_counts_to_the_minutes_chosen(
    store: Store, content: Content
) -> None:
    apply(store, ThermalKind.HEAT, at(9, 0), 15)
    apply(store, ThermalKind.HEAT, at(11, 0), None)  # on now, for 15 minutes
    found = check(store, content, at(11, 5))
    assert found.due_now == ()
    assert kinds(found.upcoming) == [("heat", at(12, 15))]


def test_heat_and_ice_each_wait_for_the_gap_after_either(store: Store, content: Content) -> None:
    """No heat straight after ice (CLINICAL.md section 7): heat's own hour ended at 10:20, but
    the ice after it asks 2 hours, to 11:40, of both."""
    apply(store, ThermalKind.HEAT, at(9, 0), 20)
    apply(store, ThermalKind.ICE, at(9, 30), 10)
    found = check(store, content, at(10, 30))
    assert found.due_now == ()
    assert kinds(found.upcoming) == [("heat", at(11, 40)), ("ice", at(11, 40))]


def test_use_more_than_a_day_ago_is_not_reminded(store: Store, content: Content) -> None:
    apply(store, ThermalKind.HEAT, at(10, 0), 15)
    assert check(store, content, at(9, 59, day=24)).due_now != ()
    found = check(store, content, at(10, 1, day=24))
    assert (found.due_now, found.upcoming) == ((), ())


@pytest.mark.parametrize("answer", ["raynauds", "cold_allergy"])
def test_a_contraindicated_kind_is_never_reminded(
    store: Store, content: Content, answer: str
) -> None:
    apply(store, ThermalKind.ICE, at(9, 0), 10)
    apply(store, ThermalKind.HEAT, at(9, 0), 10)
    settings = Settings(thermal_contraindications={**NO_HEAT_ICE_PROBLEMS, answer: True})
    found = check(store, content, at(13), settings)
    assert kinds(found.due_now) == [("heat", at(11, 10))]  # ice-only answers leave heat alone
    blocked_both = Settings(thermal_contraindications={**NO_HEAT_ICE_PROBLEMS, "diabetes": True})
    found = check(store, content, at(13), blocked_both)
    assert (found.due_now, found.upcoming) == ((), ())


def test_no_heat_or_ice_reminders_before_the_questions_are_answered(
    store: Store, content: Content
) -> None:
    apply(store, ThermalKind.HEAT, at(9, 0), 10)
    found = check(store, content, at(13), Settings())
    assert (found.due_now, found.upcoming) == ((), ())


def test_heat_due_in_the_night_waits_for_the_morning(store: Store, content: Content) -> None:
    apply(store, ThermalKind.HEAT, at(20, 30), 15)  # gap ends 21:45
    evening = check(store, content, at(21, 50))
    assert evening.due_now == ()
    assert kinds(evening.upcoming) == [("heat", at(8, 0, day=24))]
    assert evening.upcoming[0].message == (
        "Heat can be used again now, if it helps (last used until 20:45); no reminder before "
        "08:00 on Tue 24 Nov."
    )
    late = check(store, content, at(21, 0))  # allowed at 21:45, said so, reminded in the morning
    assert kinds(late.upcoming) == [("heat", at(8, 0, day=24))]
    assert late.upcoming[0].message.startswith("Heat can be used again from 21:45, if it helps")
    assert kinds(check(store, content, at(8, 0, day=24)).due_now) == [("heat", at(8, 0, day=24))]


# --- stretch sessions -------------------------------------------------------------------------


def test_no_session_ever_means_no_session_reminder(store: Store, content: Content) -> None:
    found = check(store, content, at(15))
    assert (found.due_now, found.upcoming) == ((), ())


def test_a_session_is_due_four_hours_after_the_last_one_started(
    store: Store, content: Content
) -> None:
    session(store, at(9, 0))
    before = check(store, content, at(12, 59))
    assert kinds(before.upcoming) == [("session", at(13, 0))]
    assert before.upcoming[0].message == (
        "Next stretch session from 13:00 (the last one started at 09:00)."
    )
    due = check(store, content, at(13, 0))
    assert kinds(due.due_now) == [("session", at(13, 0))]
    assert due.due_now[0].message == (
        "Time for a gentle stretch session (the last one started at 09:00)."
    )
    assert kinds(check(store, content, at(20, 59)).due_now) == [("session", at(13, 0))]


def test_no_session_reminder_once_sessions_have_lapsed_for_three_days(
    store: Store, content: Content
) -> None:
    session(store, at(9, 0))
    assert kinds(check(store, content, at(8, 59, day=26)).due_now) == [("session", at(13, 0))]
    lapsed = check(store, content, at(9, 1, day=26))
    assert (lapsed.due_now, lapsed.upcoming) == ((), ())


def test_the_interval_comes_from_the_settings(store: Store, content: Content) -> None:
    session(store, at(9, 0))
    found = check(store, content, at(10), Settings(session_every_hours=2))
    assert kinds(found.upcoming) == [("session", at(11, 0))]


def test_no_session_reminder_at_night(store: Store, content: Content) -> None:
    session(store, at(18, 0))
    night = check(store, content, at(23, 0))
    assert night.due_now == ()
    assert kinds(night.upcoming) == [("session", at(8, 0, day=24))]
    early = check(store, content, at(7, 59, day=24))
    assert early.due_now == ()
    assert kinds(check(store, content, at(8, 0, day=24)).due_now) == [("session", at(8, 0, day=24))]


def test_a_session_due_late_in_the_evening_moves_to_the_morning(
    store: Store, content: Content
) -> None:
    session(store, at(19, 0))  # 23:00 is outside waking hours
    found = check(store, content, at(20))
    assert kinds(found.upcoming) == [("session", at(8, 0, day=24))]


def test_cancelled_sessions_do_not_count(store: Store, content: Content) -> None:
    session(store, at(9, 0))
    session(store, at(12, 0), SessionOutcome.CANCELLED)
    found = check(store, content, at(13, 30))
    assert kinds(found.due_now) == [("session", at(13, 0))]
    only_cancelled = Store.in_memory()
    session(only_cancelled, at(9, 0), SessionOutcome.CANCELLED)
    assert check(only_cancelled, content, at(14)).due_now == ()


@pytest.mark.parametrize(
    "outcome",
    [None, SessionOutcome.STOPPED, SessionOutcome.STOPPED_HURT, SessionOutcome.FINISHED],
)
def test_any_session_that_started_counts(
    store: Store, content: Content, outcome: SessionOutcome | None
) -> None:
    session(store, at(9, 0))
    session(store, at(11, 0), outcome)
    assert kinds(check(store, content, at(14)).upcoming) == [("session", at(15, 0))]


def test_no_session_reminder_while_an_urgent_warning_stands(store: Store, content: Content) -> None:
    session(store, at(9, 0))
    warning = add_screening(
        store, Level.URGENT, ("fever",), {"fever": True}, at(10), ScreeningReason.CLI
    )
    assert check(store, content, at(14)).due_now == ()
    add_screening(store, Level.CLEAR, (), {"fever": False}, at(11), ScreeningReason.CLI)
    assert check(store, content, at(14)).due_now == ()  # a later clear check doesn't lift it
    assert check(store, content, at(9, day=24)).due_now == ()  # nor does the next day
    store.insert(SafetyNote(new_uid(), at(15), NoteKind.CLEARED, warning.uid))
    assert kinds(check(store, content, at(15, 30)).due_now) == [("session", at(13, 0))]


def test_a_clinicians_all_clear_brings_the_reminders_back(store: Store, content: Content) -> None:
    session(store, at(9, 0))
    urgent = add_screening(
        store, Level.URGENT, ("fever",), {"fever": True}, at(10), ScreeningReason.CLI
    )
    store.insert(SafetyNote(new_uid(), at(12), NoteKind.CLEARED, urgent.uid))
    assert kinds(check(store, content, at(14)).due_now) == [("session", at(13, 0))]


def test_no_session_reminder_after_the_advice_to_stop_for_today(
    store: Store, content: Content
) -> None:
    session(store, at(9, 0))
    store.insert(SafetyNote(new_uid(), at(10), NoteKind.STOP_FOR_TODAY, None, "pain 8/10"))
    assert check(store, content, at(14)).due_now == ()
    assert kinds(check(store, content, at(9, day=24)).due_now) == [("session", at(13, 0))]


# --- together ---------------------------------------------------------------------------------


def test_everything_sorted_soonest_first_and_as_json(store: Store, content: Content) -> None:
    session(store, at(8, 30))
    apply(store, ThermalKind.ICE, at(9, 0), 10)
    found = check(store, content, at(12, 40))
    assert kinds(found.due_now) == [("ice", at(11, 10)), ("session", at(12, 30))]
    apply(store, ThermalKind.HEAT, at(12, 0), 20)  # the hour after it holds up ice too
    found = check(store, content, at(12, 40))
    assert kinds(found.due_now) == [("session", at(12, 30))]
    assert kinds(found.upcoming) == [("heat", at(13, 20)), ("ice", at(13, 20))]
    as_dict = check(store, content, at(13, 30)).to_dict()
    assert as_dict["now"] == "2026-11-23T13:30:00+01:00"
    assert as_dict["due_now"][2] == {
        "kind": "ice",
        "at": "2026-11-23T13:20:00+01:00",
        "message": "You can use ice again now, if it helps (last used until 09:10).",
    }
    assert [item["kind"] for item in as_dict["due_now"]] == ["session", "heat", "ice"]


def test_times_entered_in_another_zone_are_shown_in_nows(store: Store, content: Content) -> None:
    utc = UTC
    apply(store, ThermalKind.HEAT, datetime(2026, 11, 23, 13, 0, tzinfo=utc), 20)  # 14:00 at UTC+1
    found = check(store, content, at(14, 30))
    assert kinds(found.upcoming) == [("heat", at(15, 20))]
    assert found.upcoming[0].at.utcoffset() == timedelta(hours=1)


def test_now_needs_an_offset(store: Store, content: Content) -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        reminders(store, content, ASKED, datetime(2026, 11, 23, 12))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [(at(8), at(8)), (at(20, 59), at(20, 59)), (at(21), at(8, day=24)), (at(3), at(8))],
)
def test_next_waking(moment: datetime, expected: datetime) -> None:
    assert next_waking(moment) == expected


# --- the setting ------------------------------------------------------------------------------


def test_session_every_hours_round_trips_through_the_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    save_settings(path, Settings(session_every_hours=3))
    assert "session_every_hours = 3\n" in path.read_text(encoding="utf-8")
    assert load_settings(path).session_every_hours == 3
    assert Settings().session_every_hours == 4


@pytest.mark.parametrize("value", ["0", "25", "true", '"4"', "2.5"])
def test_a_bad_session_every_hours_falls_back_to_the_default(tmp_path: Path, value: str) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(f"session_every_hours = {value}\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.session_every_hours == 4
    assert "'session_every_hours' must be a whole number from 1 to 24" in (loaded.problem or "")


def test_an_answer_the_content_does_not_know_means_no_heat_reminder(
    store: Store, content: Content
) -> None:
    apply(store, ThermalKind.HEAT, at(10, 0), 15)
    typo = Settings(cautions=NONE_APPLY, thermal_contraindications={"diabetis": False})
    assert check(store, content, at(12), typo).due_now == ()
    assert kinds(check(store, content, at(12)).due_now) == [("heat", at(11, 15))]
