"""Heat and ice in the TUI: the cap, the skin check, the end alert on any screen, the gaps, the
contraindications and quitting with a timer on. Time moves only with the fake clock."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from tests.factory import add_application
from tests.pilot.drive import (
    SIZE,
    answer_keys,
    give_pain,
    screen_text,
    start_app,
    start_session,
    text_of,
    type_keys,
    visible_text,
    wait_for,
)
from tests.support import NO_HEAT_ICE_PROBLEMS, NONE_APPLY
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.dialogs.questions import SafetyQuestionsScreen
from spasm_coach.tui.dialogs.thermal import QuitWithTimerScreen, RemoveNowScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.summary import SummaryScreen
from spasm_coach.tui.screens.thermal import ThermalScreen
from spasm_coach.vocabulary import ThermalKind

Coach = Callable[..., CoachApp]
ANSWERED = Settings(
    region="uk", cautions=NONE_APPLY, thermal_contraindications=NO_HEAT_ICE_PROBLEMS
)
"""Cautions and heat/ice questions answered (none apply), so neither is asked."""


@pytest.fixture
def bells(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One entry per terminal bell that actually rings (CoachApp.bell honours settings.sounds)."""
    rung: list[int] = []
    monkeypatch.setattr(App, "bell", lambda self: rung.append(1))
    return rung


def notes(app: CoachApp, title: str | None = None) -> list[str]:
    """The messages of the notifications raised so far, optionally only those with `title`."""
    return [n.message for n in app.notices if title is None or n.title == title]


def body(screen: ThermalScreen) -> str:
    """The words under the choice: the minutes chosen (when ready) and the advice."""
    parts = [text_of(screen.query_one("#thermal-body", Static))]
    if screen.query_one("#thermal-ready").display:
        parts.insert(0, text_of(screen.query_one("#thermal-minutes", Static)))
    return " ".join(" ".join(parts).split())


async def open_thermal(pilot: Pilot) -> ThermalScreen:
    await pilot.press("t")
    return await wait_for(pilot, ThermalScreen)


async def start_heat(pilot: Pilot, minutes_up: int = 0) -> ThermalScreen:
    """From home: the heat/ice screen, heat, `minutes_up` presses of up, and start."""
    screen = await open_thermal(pilot)
    await pilot.press("h", *["up"] * minutes_up, "enter")
    assert isinstance(pilot.app, CoachApp)
    assert pilot.app.thermal is not None
    return screen


async def beat(pilot: Pilot, clock: FakeClock, seconds: float) -> None:
    """Move the clock on and beat the app's heat/ice heart once, as its interval timer would."""
    clock.advance(seconds)
    assert isinstance(pilot.app, CoachApp)
    pilot.app.heat_ice.heartbeat()
    await pilot.pause()


# --- the cap and the timer ----------------------------------------------------------------


@pytest.mark.parametrize("size", [SIZE, (60, 20)])  # the smallest: the page scrolls there
async def test_heat_never_runs_past_20_minutes(
    coach: Coach, store: Store, clock: FakeClock, size: tuple[int, int]
) -> None:
    app = coach(settings=ANSWERED)
    async with start_app(app, size) as pilot:
        screen = await open_thermal(pilot)
        await pilot.press("h")
        assert screen.minutes == 15
        assert "15 minutes" in body(screen)
        await type_keys(pilot, *["up"] * 8)  # 15 + 8 asked for: the minutes stop at the cap
        assert screen.minutes == 20
        assert "20 minutes (at most 20)" in body(screen)
        assert "21 minutes" not in body(screen)
        await pilot.press("down")
        assert screen.minutes == 19
        await pilot.press("up", "up", "enter")
        assert app.thermal is not None
        assert app.thermal.timer.minutes == 20
        assert app.sub_title == "Heat: 20:00 left"
        screen.refresh_view()
        await pilot.pause()
        assert "Heat on for 20 minutes" in visible_text(app)
    (application,) = store.applications()
    assert application.kind == "heat"
    assert application.planned_minutes == 20
    assert application.started_at == clock.now()
    assert application.ended_at is None


@pytest.mark.parametrize("sounds", [True, False])
async def test_the_skin_check_comes_once_at_5_minutes(
    coach: Coach, clock: FakeClock, bells: list[int], sounds: bool
) -> None:
    app = coach(
        settings=Settings(
            region="uk",
            cautions=NONE_APPLY,
            thermal_contraindications=NO_HEAT_ICE_PROBLEMS,
            sounds=sounds,
        )
    )
    async with start_app(app) as pilot:
        screen = await start_heat(pilot)
        await beat(pilot, clock, 5 * 60 - 1)
        assert notes(app, "Skin check") == []
        assert bells == []
        await beat(pilot, clock, 1)
        (message,) = notes(app, "Skin check")
        assert "Check your skin under the heat now" in message
        assert bells == ([1] if sounds else [])
        screen.refresh_view()
        await pilot.pause()
        assert "Skin check done?" in text_of(screen.query_one("#thermal-skin", Static))
        for _ in range(3):
            await beat(pilot, clock, 60)
        assert len(notes(app, "Skin check")) == 1
        assert bells == ([1] if sounds else [])
        assert app.sub_title == "Heat: 7:00 left"


async def test_time_left_shows_in_the_header_on_home(coach: Coach, clock: FakeClock) -> None:
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        await start_heat(pilot)
        await pilot.press("escape")
        home = await wait_for(pilot, HomeScreen)
        assert "Heat: on for 15 minutes, take it off by 09:15" in screen_text(home)
        await beat(pilot, clock, 61)
        assert app.sub_title == "Heat: 13:59 left"
        header = visible_text(app).splitlines()[0]
        assert "Heat: 13:59 left" in header


async def test_every_heat_time_shown_is_one_clock_to_the_minute(
    coach: Coach, clock: FakeClock
) -> None:
    """On at 09:00:30 for 15 minutes: off by 09:16 on home, in the quit question and in the
    gap, and the next use from 10:16 wherever it is said (never 09:15 in one and 09:16 in
    another)."""
    app = coach(settings=ANSWERED)
    clock.advance(30)
    async with start_app(app) as pilot:
        await start_heat(pilot)
        await pilot.press("escape")
        home = await wait_for(pilot, HomeScreen)
        shown = screen_text(home)
        assert "Heat: on for 15 minutes, take it off by 09:16" in shown
        assert "Heat can be used again from 10:16, if it helps (last used until 09:16;" in shown
        await pilot.press("q")
        question = await wait_for(pilot, QuitWithTimerScreen)
        assert "off by 09:16" in screen_text(question)
        await pilot.press("n")
        await beat(pilot, clock, 15 * 60)
        await wait_for(pilot, RemoveNowScreen)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        thermal = await open_thermal(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert screen_text(thermal).count("09:16") == 1
        assert (
            "Heat was used until 09:16. After heat, wait 1 hour before heat or ice, so the next "
            "is from 10:16." in (screen_text(thermal))
        )


async def test_the_end_alert_comes_over_another_screen(
    coach: Coach, store: Store, clock: FakeClock, bells: list[int]
) -> None:
    app = coach(settings=ANSWERED)
    started = clock.now()
    async with start_app(app) as pilot:
        await start_heat(pilot)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        await pilot.press("p")
        await wait_for(pilot, PainScoreScreen)
        await beat(pilot, clock, 14 * 60)
        assert app.sub_title == "Heat: 1:00 left"
        assert isinstance(app.screen, PainScoreScreen)

        await beat(pilot, clock, 90)  # a late heartbeat: the end is still the deadline
        alert = await wait_for(pilot, RemoveNowScreen)
        assert app.screen_stack[-1] is alert
        assert isinstance(app.screen_stack[-2], PainScoreScreen)
        assert "REMOVE THE HEAT NOW" in screen_text(alert)
        assert app.thermal is None
        assert app.sub_title == ""
        assert bells == [1, 1]  # the skin check, then the end
        (application,) = store.applications()
        assert application.ended_at == started + timedelta(minutes=15)
        assert application.stopped_early is False

        await pilot.press("p")
        await give_pain(pilot, 4, "after-heat")
        await pilot.pause()
        # the check-in asked before the alert is still there, and its answer is kept too
        await give_pain(pilot, 3, "check-in")
        home = await wait_for(pilot, HomeScreen)
        await pilot.pause()
        assert "spasm-coach" in visible_text(app).splitlines()[0]
        assert "left" not in visible_text(app).splitlines()[0]
        assert "Heat/ice: heat used today 09:00." in screen_text(home)
    assert [(p.score, p.context) for p in store.pain_scores()] == [
        (4, "after-heat"),
        (3, "check-in"),
    ]


async def test_the_end_alert_during_a_session_leaves_the_session_to_finish(
    coach: Coach, store: Store, clock: FakeClock, content: Content
) -> None:
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        await start_heat(pilot)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        await beat(pilot, clock, 14 * 60)
        player = await start_session(pilot, content)
        for _ in range(60):
            clock.advance(1)
            player.heartbeat()
            app.heat_ice.heartbeat()
        await pilot.pause()
        await wait_for(pilot, RemoveNowScreen)
        await pilot.press("p")
        await give_pain(pilot, 4, "after-heat")
        assert await wait_for(pilot, PlayerScreen) is player
        await pilot.press("x")  # stop the session: it goes on to the pain score after it
        await give_pain(pilot, 3, "after-session")
        await wait_for(pilot, SummaryScreen)
    (session,) = store.sessions()
    assert session.outcome == "stopped"
    contexts = [p.context for p in store.pain_scores()]
    assert contexts == ["before-session", "after-heat", "after-session"]


async def test_taking_it_off_early_is_logged(coach: Coach, store: Store, clock: FakeClock) -> None:
    app = coach(settings=ANSWERED)
    started = clock.now()
    async with start_app(app) as pilot:
        screen = await start_heat(pilot)
        await beat(pilot, clock, 3 * 60)
        await pilot.press("x")
        assert app.thermal is None
        assert app.sub_title == ""
        assert isinstance(app.screen, ThermalScreen)
        assert "Heat stopped and logged." in notes(app)
        assert not screen.query_one("#thermal-running").display
        await beat(pilot, clock, 20 * 60)  # nothing more comes
        assert not any(isinstance(s, RemoveNowScreen) for s in app.screen_stack)
    (application,) = store.applications()
    assert application.ended_at == started + timedelta(minutes=3)
    assert application.stopped_early is True


# --- the gap between applications ---------------------------------------------------------


async def test_heat_again_waits_an_hour_after_the_last(
    coach: Coach, store: Store, clock: FakeClock
) -> None:
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        screen = await start_heat(pilot)  # 09:00 to 09:15
        await beat(pilot, clock, 15 * 60)
        await wait_for(pilot, RemoveNowScreen)
        await pilot.press("enter")
        assert await wait_for(pilot, ThermalScreen) is screen
        screen.refresh_view()  # as its one-second interval does

        await pilot.press("h")
        assert body(screen).startswith("Not yet.")
        assert "Heat was used until 09:15" in body(screen)
        assert "the next is from 10:15" in body(screen)
        assert "Not yet." in visible_text(app)
        await pilot.press("enter")
        assert app.thermal is None

        clock.advance(60 * 60 - 1)  # 10:14:59
        await pilot.press("h", "enter")
        assert "the next is from 10:15" in body(screen)
        assert app.thermal is None
        assert len(list(store.applications())) == 1

        clock.advance(1)  # 10:15
        await pilot.press("h")
        assert "Heat: how to use it safely" in body(screen)
        await pilot.press("enter")
        assert app.thermal is not None
    first, second = store.applications()
    assert second.kind == "heat"
    assert second.started_at == first.ended_at + timedelta(hours=1)


async def test_ice_holds_up_ice_and_heat_for_two_hours(
    coach: Coach, store: Store, clock: FakeClock
) -> None:
    ended = clock.now()  # 09:00
    earlier = add_application(store, ThermalKind.ICE, ended - timedelta(minutes=10), 10)
    store.end_application(earlier.uid, ended, stopped_early=False)
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        screen = await open_thermal(pilot)
        await pilot.press("i")
        assert body(screen).startswith("Not yet.")
        assert "Ice was used until 09:00" in body(screen)
        assert "After ice, wait 2 hours before heat or ice, so the next is from 11:00" in body(
            screen
        )
        await pilot.press("enter")
        assert app.thermal is None

        await pilot.press("h")  # no heat straight after ice either (CLINICAL.md section 7)
        assert body(screen).startswith("Not yet.")
        assert "heat included, so the next is from 11:00" in body(screen)
        assert app.thermal is None

        clock.advance(2 * 60 * 60 - 1)
        await pilot.press("i", "enter")
        assert body(screen).startswith("Not yet.")
        assert app.thermal is None

        clock.advance(1)
        await pilot.press("i")
        assert "Ice: how to use it safely" in body(screen)
        assert "10 minutes" in body(screen)
        await pilot.press("enter")
        assert app.thermal is not None
    _, new = store.applications()
    assert (new.kind, new.planned_minutes) == ("ice", 10)
    assert new.started_at == ended + timedelta(hours=2)


# --- contraindications --------------------------------------------------------------------


async def test_a_contraindication_blocks_only_its_kind(
    coach: Coach, store: Store, content: Content
) -> None:
    app = coach(
        settings=Settings(
            region="uk",
            cautions=NONE_APPLY,
            thermal_contraindications={**NO_HEAT_ICE_PROBLEMS, "raynauds": True},
        )
    )
    async with start_app(app) as pilot:
        screen = await open_thermal(pilot)
        await pilot.press("i")
        words = body(screen)
        assert "No ice timer for you." in words
        assert "Ask a doctor, nurse or physiotherapist" in words
        raynauds = next(c for c in content.contraindications if c.id == "raynauds")
        assert raynauds.question in words
        assert "Ask a doctor" in visible_text(app)
        await pilot.press("enter")
        assert app.thermal is None
        assert app.sub_title == ""
        assert list(store.applications()) == []

        await pilot.press("h")
        assert "Heat: how to use it safely" in body(screen)
        await pilot.press("enter")
        assert app.thermal is not None
    (application,) = store.applications()
    assert application.kind == "heat"


async def test_the_contraindication_questions_are_asked_once(
    coach: Coach, store: Store, home: Path, content: Content, clock: FakeClock
) -> None:
    path = home / "settings.toml"
    first = coach(settings_path=path, settings=Settings(region="uk", cautions=NONE_APPLY))
    async with start_app(first) as pilot:
        await open_thermal(pilot)
        await pilot.press("i")
        questions = await wait_for(pilot, SafetyQuestionsScreen)
        ice = [c.id for c in content.contraindications if "ice" in c.applies_to]
        assert [item.id for item in questions.items] == ice  # one at a time, each on purpose
        await answer_keys(pilot, clock, ["y" if item == "raynauds" else "n" for item in ice])
        screen = await wait_for(pilot, ThermalScreen)
        await pilot.pause()
        assert first.settings.thermal_contraindications == {
            item: item == "raynauds" for item in ice
        }
        assert "No ice timer for you." in body(screen)
        assert first.thermal is None
    assert tomllib.loads(path.read_text())["thermal_contraindications"]["raynauds"] is True

    second = coach(settings_path=path, settings=None)
    async with start_app(second) as pilot:
        screen = await open_thermal(pilot)
        await pilot.press("h")
        await pilot.pause()
        assert not any(isinstance(s, SafetyQuestionsScreen) for s in second.screen_stack)
        assert "Heat: how to use it safely" in body(screen)  # heat's own questions: all asked
        await pilot.press("i")
        assert "No ice timer for you." in body(screen)
    assert list(store.applications()) == []


async def test_leaving_the_questions_keeps_each_answer_and_asks_the_rest_next_time(
    coach: Coach, clock: FakeClock, content: Content
) -> None:
    app = coach(settings=Settings(region="uk", cautions=NONE_APPLY))
    async with start_app(app) as pilot:
        screen = await open_thermal(pilot)
        await pilot.press("h")
        await wait_for(pilot, SafetyQuestionsScreen)
        await answer_keys(pilot, clock, ["n", "escape"])
        await wait_for(pilot, ThermalScreen)
        first = content.contraindications[0].id
        assert app.settings.thermal_contraindications == {first: False}
        assert screen.kind is None
        assert app.thermal is None
        await pilot.press("h")
        questions = await wait_for(pilot, SafetyQuestionsScreen)
        assert first not in [item.id for item in questions.items]
        await pilot.press("enter")  # no default answer
        assert questions.asked == {}
        await answer_keys(pilot, clock, ["n"] * len(questions.items))
        await wait_for(pilot, ThermalScreen)
        await pilot.pause()
        assert "Heat: how to use it safely" in body(screen)


# --- quitting -----------------------------------------------------------------------------


async def test_quitting_with_the_timer_on_asks_first(coach: Coach, store: Store) -> None:
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        await start_heat(pilot)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        await pilot.press("q")
        question = await wait_for(pilot, QuitWithTimerScreen)
        words = screen_text(question)
        assert "The heat timer is running" in words
        assert "off by 09:15" in words
        await pilot.press("n")
        await wait_for(pilot, HomeScreen)
        assert app.is_running
        assert app.thermal is not None
        assert app.return_code is None

        await pilot.press("q")
        await wait_for(pilot, QuitWithTimerScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0
    (application,) = store.applications()
    assert application.ended_at is None  # counts as on until the cap for the next gap


async def test_heat_can_be_set_and_started_with_the_mouse(coach: Coach, store: Store) -> None:
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        screen = await open_thermal(pilot)
        assert not screen.query_one("#thermal-ready").display
        await pilot.click("#heat")
        await pilot.pause()
        assert screen.query_one("#thermal-ready").display
        await pilot.click("#less")
        await pilot.click("#start")
        await pilot.pause()
        assert app.thermal is not None
        assert app.thermal.timer.minutes == 14
        assert not screen.query_one("#thermal-ready").display
    assert [a.planned_minutes for a in store.applications()] == [14]


async def test_an_answer_the_content_does_not_know_asks_the_questions_again(
    coach: Coach, store: Store
) -> None:
    """A hand-edited settings file with a typo: never read as 'no', asked again."""
    app = coach(
        settings=Settings(
            region="uk", cautions=NONE_APPLY, thermal_contraindications={"diabetis": False}
        )
    )
    async with start_app(app) as pilot:
        await open_thermal(pilot)
        await pilot.press("h")
        questions = await wait_for(pilot, SafetyQuestionsScreen)
        assert "diabetes" in [item.id for item in questions.items]
    assert list(store.applications()) == []


async def test_the_end_of_heat_leaves_nothing_behind_its_alert(
    coach: Coach, clock: FakeClock
) -> None:
    """Seen: "remove the heat" stayed on screen over what came next (a later ice timer). The
    end alert is a dialog the person closes, with no toast to outlast it."""
    app = coach(settings=ANSWERED)
    async with start_app(app) as pilot:
        await start_heat(pilot)
        await beat(pilot, clock, 15 * 60)
        await wait_for(pilot, RemoveNowScreen)
        await pilot.press("enter")
        await wait_for(pilot, ThermalScreen)
        await beat(pilot, clock, 1)
        assert "remove the heat" not in visible_text(app).lower()
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        assert "remove the heat" not in visible_text(app).lower()
