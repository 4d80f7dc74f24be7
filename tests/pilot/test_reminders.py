"""Reminders in the TUI: a due one rings and shows once; one still to come shows on home only."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from tests.factory import add_application, add_session
from tests.pilot.drive import start_app, text_of, wait_for
from tests.support import NO_HEAT_ICE_PROBLEMS, NONE_APPLY
from textual.app import App
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.vocabulary import SessionOutcome, ThermalKind

Coach = Callable[..., CoachApp]
ANSWERED = Settings(
    region="uk", cautions=NONE_APPLY, thermal_contraindications=NO_HEAT_ICE_PROBLEMS
)
NOW = datetime(2026, 11, 23, 14, 0, tzinfo=timezone(timedelta(hours=1)))
"""Mid-afternoon: every reminder here falls well inside waking hours (08:00 to 21:00)."""
HEAT_DUE = "You can use heat again now, if it helps (last used until 12:59)."
SESSION_DUE = "Time for a gentle stretch session (the last one started at 10:00)."


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(start=NOW)


@pytest.fixture
def bells(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    rung: list[int] = []
    monkeypatch.setattr(App, "bell", lambda self: rung.append(1))
    return rung


def reminder_notes(app: CoachApp) -> list[str]:
    return [n.message for n in app.notices if n.title == "Reminder"]


def today(app: CoachApp) -> str:
    home = app.screen
    assert isinstance(home, HomeScreen)
    home.refresh_today()
    return " ".join(text_of(home.query_one("#today", Static)).split())


def heat_until(store: Store, ended: datetime, minutes: int = 15) -> None:
    application = add_application(
        store, ThermalKind.HEAT, ended - timedelta(minutes=minutes), minutes
    )
    store.end_application(application.uid, ended, stopped_early=False)


def session_at(store: Store, started: datetime) -> None:
    record = add_session(store, "gentle", "Gentle", started, None)
    store.end_session(record.uid, started + timedelta(minutes=8), SessionOutcome.FINISHED)


async def test_due_reminders_ring_and_show_once(
    coach: Coach, store: Store, clock: FakeClock, bells: list[int]
) -> None:
    heat_until(store, NOW - timedelta(minutes=61))
    session_at(store, NOW - timedelta(hours=4))
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        await wait_for(pilot, HomeScreen)
        assert f"Due now: {SESSION_DUE}" in today(app)
        assert f"Due now: {HEAT_DUE}" in today(app)

        app.check_reminders()
        await pilot.pause()
        assert reminder_notes(app) == [HEAT_DUE, SESSION_DUE]  # soonest due first
        assert bells == [1, 1]

        clock.advance(5 * 60)
        app.check_reminders()
        await pilot.pause()
        assert reminder_notes(app) == [HEAT_DUE, SESSION_DUE]  # soonest due first
        assert bells == [1, 1]


async def test_sounds_off_still_shows_the_reminder(
    coach: Coach, store: Store, bells: list[int]
) -> None:
    heat_until(store, NOW - timedelta(minutes=61))
    app = coach(
        settings=Settings(
            region="uk",
            cautions=NONE_APPLY,
            thermal_contraindications=NO_HEAT_ICE_PROBLEMS,
            sounds=False,
        )
    )
    async with start_app(app) as pilot:
        app.check_reminders()
        await pilot.pause()
        assert reminder_notes(app) == [HEAT_DUE]
        assert bells == []


async def test_a_reminder_still_to_come_shows_on_home_and_rings_when_due(
    coach: Coach, store: Store, clock: FakeClock, bells: list[int]
) -> None:
    iced = add_application(store, ThermalKind.ICE, NOW - timedelta(minutes=40), 10)
    store.end_application(iced.uid, NOW - timedelta(minutes=30), stopped_early=False)
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        await wait_for(pilot, HomeScreen)
        words = today(app)
        assert "Due now" not in words
        assert "Ice can be used again from 15:30, if it helps" in words
        app.check_reminders()
        await pilot.pause()
        assert reminder_notes(app) == []
        assert bells == []

        clock.advance(90 * 60 - 1)
        app.check_reminders()
        await pilot.pause()
        assert reminder_notes(app) == []

        clock.advance(1)
        app.check_reminders()
        app.check_reminders()
        await pilot.pause()
        (message,) = reminder_notes(app)
        assert message.startswith("You can use ice again now")
        assert bells == [1]
        assert f"Due now: {message}" in today(app)


async def test_no_heat_reminder_before_the_questions_are_answered(
    coach: Coach, store: Store, bells: list[int]
) -> None:
    heat_until(store, NOW - timedelta(minutes=61))
    app = coach(settings=Settings(region="uk", cautions=NONE_APPLY))
    async with start_app(app) as pilot:
        app.check_reminders()
        await pilot.pause()
        assert reminder_notes(app) == []
        assert "Due now" not in today(app)
        assert bells == []
