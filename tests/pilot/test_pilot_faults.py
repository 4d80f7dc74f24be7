"""When the log refuses a write, the coach keeps the entry, says so in one sentence, and saves it
later; text from files and the log is never markup; heat left on is picked up again."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.factory import add_pain, add_session
from tests.pilot.drive import (
    give_pain,
    start_app,
    start_session,
    text_of,
    visible_text,
    wait_for,
)
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.records import Application, new_uid
from spasm_coach.restore import read_export
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.problem import UnsavedQuitScreen
from spasm_coach.tui.dialogs.thermal import RemoveNowScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.widgets.unsaved import UnsavedBanner
from spasm_coach.vocabulary import SessionOutcome, ThermalKind

Coach = Callable[..., CoachApp]
FULL = sqlite3.SQLITE_FULL


class Refusing:
    """The store's connection, refusing writes with a real SQLite error while `fault` is set.

    A fault-injecting wrapper: the same error code and message SQLite gives on a full disk, so
    the store classifies it as it would the real thing (tests/faults runs the real thing)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self.fault: tuple[int, str] | None = None

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        if self.fault is not None and sql.lstrip().upper().startswith(("INSERT", "UPDATE")):
            code, message = self.fault
            error = sqlite3.OperationalError(message)
            error.sqlite_errorcode = code
            raise error
        return self._connection.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)


@pytest.fixture
def refusing(store: Store) -> Refusing:
    wrapper = Refusing(store._db)
    store._db = wrapper  # type: ignore[assignment]
    store.patience = 0
    return wrapper


def banner_text(app: CoachApp) -> str:
    banners = [b for b in app.screen.query(UnsavedBanner) if b.has_class("-shown")]
    return text_of(banners[0]) if banners else ""


async def test_a_full_disk_keeps_the_score_says_so_and_saves_it_later(
    coach: Coach, store: Store, refusing: Refusing
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        refusing.fault = (FULL, "database or disk is full")
        await pilot.press("p")
        await give_pain(pilot, 3, "check-in")
        await wait_for(pilot, HomeScreen)
        await pilot.pause()
        words = banner_text(app)
        assert words.startswith("NOT SAVED YET: a pain score of 3.")
        assert "is full. Free some space" in words
        assert "Logged 3/10" not in [notice.message for notice in app.notices]
        assert list(store.pain_scores()) == []
        assert app.is_running

        refusing.fault = None
        assert app.journal.retry()  # what the app's timer does every few seconds
        await pilot.pause()
        assert banner_text(app) == ""
        assert [entry.score for entry in store.pain_scores()] == [3]
        assert "Saved: everything you entered is in the pain log now." in [
            notice.message for notice in app.notices
        ]


async def test_entries_wait_in_order_and_are_saved_in_order(
    coach: Coach, store: Store, refusing: Refusing, clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        refusing.fault = (FULL, "database or disk is full")
        for score in (2, 3, 4):
            await pilot.press("p")
            await give_pain(pilot, score, "check-in")
            clock.advance(60)
        await wait_for(pilot, HomeScreen)
        assert "a pain score of 2 and 2 more" in banner_text(app)
        refusing.fault = None
        app.journal.retry()
    assert [entry.score for entry in store.pain_scores()] == [2, 3, 4]


async def test_a_busy_log_keeps_the_score_until_it_is_free(
    coach: Coach, store: Store, home: Path
) -> None:
    store.patience = 0
    app = coach()
    async with start_app(app) as pilot:
        other = sqlite3.connect(home / "pain-log.sqlite3", timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # a long import in another terminal holds the log
        await pilot.press("p")
        await give_pain(pilot, 5, "check-in")
        await wait_for(pilot, HomeScreen)
        await pilot.pause()
        assert "is busy" in banner_text(app)
        other.execute("COMMIT")
        other.close()
        assert app.journal.retry()
    assert [entry.score for entry in store.pain_scores()] == [5]


async def test_quitting_with_unsaved_entries_puts_them_in_a_file_import_reads(
    coach: Coach, store: Store, refusing: Refusing, home: Path
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        refusing.fault = (FULL, "database or disk is full")
        await pilot.press("p")
        await give_pain(pilot, 7, "check-in")
        await wait_for(pilot, HomeScreen)
        await pilot.press("q")
        await wait_for(pilot, UnsavedQuitScreen)
        await pilot.press("w")  # wait: nothing is lost while the coach is open
        await wait_for(pilot, HomeScreen)
        await pilot.press("q")
        await wait_for(pilot, UnsavedQuitScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1
    (rescued,) = home.glob("spasm-coach-unsaved-*.json")
    assert rescued.stat().st_mode & 0o777 == 0o600
    assert json.loads(rescued.read_text())["format"] == "spasm-coach-log"
    refusing.fault = None
    assert store.restore(read_export(rescued)).added == 1
    assert [entry.score for entry in store.pain_scores()] == [7]


HOSTILE = "Rehab [/week 1] [b]bold?[/b] [link=x]"


async def test_text_that_looks_like_markup_is_shown_as_written(
    coach: Coach, content: Content, store: Store, clock: FakeClock
) -> None:
    """A routine name, a note and an imported session name with brackets: shown, never parsed
    (each of these crashed the coach once, and kept crashing it from the log)."""
    session = add_session(store, "x", "[/x]", clock.now() - timedelta(hours=1), None)
    store.end_session(session.uid, clock.now() - timedelta(minutes=50), SessionOutcome.FINISHED)
    add_pain(store, 4, clock.now() - timedelta(minutes=30), note="[/x] \\[not markup]")
    app = coach(routine=replace(content.routines["gentle"], name=HOSTILE))
    async with start_app(app) as pilot:
        home = await wait_for(pilot, HomeScreen)
        assert "Stretches: [/x], finished" in text_of(home.query_one("#today", Static))
        player = await start_session(pilot, content)
        assert HOSTILE in visible_text(app)
        await pilot.press("x")
        await give_pain(pilot, 3)
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        today = " ".join(text_of(home.query_one("#today", Static)).split())
        assert f"Stretches: {HOSTILE}, stopped early" in today
        assert player.plan.routine.name == HOSTILE
        await pilot.press("l")
        await pilot.pause()
        assert app.is_running


async def test_heat_on_when_the_coach_stopped_carries_on_counting(
    coach: Coach, store: Store, clock: FakeClock
) -> None:
    store.insert(
        Application(new_uid(), ThermalKind.HEAT, clock.now() - timedelta(minutes=5), None, 15, None)
    )
    app = coach()
    async with start_app(app) as pilot:
        await pilot.pause()
        assert app.thermal is not None
        assert app.thermal.timer.remaining(clock.monotonic()) == 10 * 60
        assert "Heat: 10:00 left" in app.sub_title


async def test_heat_past_its_time_when_the_coach_stopped_says_remove_it_now(
    coach: Coach, store: Store, clock: FakeClock
) -> None:
    started = clock.now() - timedelta(minutes=40)
    store.insert(Application(new_uid(), ThermalKind.HEAT, started, None, 15, None))
    app = coach()
    async with start_app(app) as pilot:
        alert = await wait_for(pilot, RemoveNowScreen)
        assert f"REMOVE THE HEAT NOW: it has been on since {started:%H:%M}" in visible_text(app)
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        assert alert is not app.screen
    (application,) = store.applications()
    assert application.ended_at is not None  # picked up once, not on every start


async def test_quitting_mid_session_with_unsaved_entries_keeps_them_without_a_crash(
    coach: Coach, store: Store, refusing: Refusing, content: Content, home: Path
) -> None:
    """Quitting from the player while the log refuses writes: the session is kept as
    interrupted in the rescue file, and nothing fails as the screens close (home used to be
    given the unsaved line as it was being taken down: MountError)."""
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        refusing.fault = (FULL, "database or disk is full")
        await pilot.press("space")  # a pause: an event to keep
        await pilot.press("ctrl+c")
        await wait_for(pilot, UnsavedQuitScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1
    assert app._exception is None, app._exception
    (rescued,) = home.glob("spasm-coach-unsaved-*.json")
    kept = json.loads(rescued.read_text())
    (session,) = kept["sessions"]
    assert session["outcome"] == "interrupted"
    assert [event["kind"] for event in session["events"]][-2:] == ["paused", "interrupted"]
    assert app.farewell is not None
    assert f"could not be saved; they are in {rescued}" in app.farewell


async def test_a_signal_ends_the_coach_keeping_what_waits(
    coach: Coach, store: Store, refusing: Refusing, content: Content, home: Path
) -> None:
    """What SIGHUP and SIGTERM do (the fault suite sends the real signals to the real coach):
    no question asked, the session interrupted, what waits in a rescue file, one line."""
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        refusing.fault = (FULL, "database or disk is full")
        await pilot.press("space")
        assert app.end_now("the coach was asked to stop") == 1
        said = app.farewell
        assert app.end_now("the terminal was closed") == 1  # SIGHUP after SIGTERM: the same
        assert app.farewell == said
    (rescued,) = home.glob("spasm-coach-unsaved-*.json")
    assert app.farewell == (
        f"spasm-coach: 3 entries could not be saved; they are in {rescued}. "
        f"Add them to the log later with: spasm-coach import {rescued}"
    )
    refusing.fault = None
    restored = store.restore(read_export(rescued))
    assert restored.sessions_ended == 1
    (session,) = store.sessions()
    assert session.outcome == "interrupted"


async def test_a_signal_with_everything_saved_says_so(
    coach: Coach, store: Store, content: Content, home: Path
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        assert app.end_now("the coach was asked to stop") == 0
    assert (
        app.farewell == "spasm-coach: the coach was asked to stop; everything you entered is saved."
    )
    assert not list(home.glob("spasm-coach-unsaved-*.json"))
    (session,) = store.sessions()
    assert session.outcome == "interrupted"
