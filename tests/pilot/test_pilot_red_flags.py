"""The red-flag check gates every session: what each outcome shows, and where it leads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tests.pilot.conftest import (
    NO_CAUTIONS,
    answer_all_no,
    give_pain,
    screen_text,
    start_app,
    text_of,
    wait_for,
)
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, Level
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp, make_app
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.flow import RESCREEN_INTRO
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen, RedFlagScreen

Coach = Callable[..., CoachApp]


@pytest.mark.parametrize("key", ["enter", "escape"])
async def test_emergency_shows_the_number_and_card_and_never_reaches_the_player(
    coach: Coach, content: Content, store: Store, players: list[PlayerScreen], key: str
) -> None:
    app = coach()
    assert content.flags[0].id == "saddle_numbness"
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"saddle_numbness"})
        outcome = await wait_for(pilot, OutcomeScreen)
        advice = content.levels[Level.EMERGENCY]
        assert text_of(outcome.query_one("#outcome-title", Static)) == advice.title.upper()
        number = text_of(outcome.query_one("#outcome-number", Static))
        assert f"Emergency number: {app.settings.emergency_number}" in number
        assert "No stretches" in number
        card = text_of(outcome.query_one("#ces-card", Static))
        assert content.ces_card.title in card
        assert content.ces_card.lines[0] in card
        assert content.flags_by_id["saddle_numbness"].question in screen_text(outcome)

        await pilot.press(key)
        await wait_for(pilot, HomeScreen)
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

    assert players == []
    assert list(store.sessions()) == []
    assert list(store.pain_scores()) == []
    (screening,) = store.screenings()
    assert screening.level == "emergency"
    assert screening.flags == ("saddle_numbness",)
    assert screening.answers["saddle_numbness"] is True
    assert sum(screening.answers.values()) == 1


async def test_urgent_means_no_session_today(
    coach: Coach, content: Content, store: Store, players: list[PlayerScreen]
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"fever"})
        outcome = await wait_for(pilot, OutcomeScreen)
        assert text_of(outcome.query_one("#outcome-title", Static)) == (
            content.levels[Level.URGENT].title.upper()
        )
        assert "No stretches today" in text_of(outcome.query_one("#outcome-number", Static))
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
    assert players == []
    assert list(store.sessions()) == []
    assert store.last_screening().level == "urgent"


async def test_soon_shows_the_note_and_enter_goes_on(
    coach: Coach, content: Content, store: Store, players: list[PlayerScreen]
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"not_improving"})
        outcome = await wait_for(pilot, OutcomeScreen)
        advice = content.levels[Level.SOON]
        assert text_of(outcome.query_one("#outcome-title", Static)) == advice.title.upper()
        assert text_of(outcome.query_one("#outcome-action", Static)) == advice.action
        assert not outcome.query("#outcome-number")
        await pilot.press("enter")
        pain = await wait_for(pilot, PainScoreScreen)
        assert pain.context == "before-session"
        await give_pain(pilot, 3)
        await wait_for(pilot, PlayerScreen)
    screening = store.last_screening()
    assert screening.level == "soon"
    (session,) = store.sessions()
    assert session.screening_uid == screening.uid
    assert len(players) == 1


async def test_soon_and_escape_goes_home_without_a_session(
    coach: Coach, content: Content, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"not_improving"})
        await wait_for(pilot, OutcomeScreen)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
    assert list(store.sessions()) == []


async def test_backing_out_of_the_questions_logs_nothing(
    coach: Coach, content: Content, store: Store, players: list[PlayerScreen]
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        screen = await wait_for(pilot, RedFlagScreen)
        await pilot.press("n", "n", "b")
        assert screen.index == 1
        assert "You answered no before" in screen_text(screen)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
    assert players == []
    assert list(store.screenings()) == []
    assert list(store.sessions()) == []


async def test_pain_check_in_from_home(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("p")
        await give_pain(pilot, 4, "check-in")
        home = await wait_for(pilot, HomeScreen)
        assert "Pain: 4/10" in text_of(home.query_one("#today", Static))
        (entry,) = store.pain_scores()
        assert (entry.score, entry.context, entry.session_uid) == (4, "check-in", None)
        assert list(store.screenings()) == []

        clock.advance(600)
        await pilot.press("p")
        await give_pain(pilot, 8, "check-in")
        flags = await wait_for(pilot, RedFlagScreen)
        assert flags.intro == RESCREEN_INTRO
        assert RESCREEN_INTRO in screen_text(flags)
        await answer_all_no(pilot, content)
        home = await wait_for(pilot, HomeScreen)
        assert "Pain: 8/10" in text_of(home.query_one("#today", Static))

    assert [p.score for p in store.pain_scores()] == [4, 8]
    (screening,) = store.screenings()
    assert (screening.level, screening.reason) == ("clear", "high-or-rising-pain")
    assert list(store.sessions()) == []


async def test_demo_mode_still_asks_the_red_flag_questions_first(
    clock: FakeClock, content: Content, players: list[PlayerScreen]
) -> None:
    app = make_app(Store.in_memory(), clock, content=content, settings=NO_CAUTIONS, demo=True)
    async with start_app(app) as pilot:
        assert "demo" in app.sub_title
        await pilot.press("s")
        await wait_for(pilot, RedFlagScreen)
        assert players == []
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        assert players == []
        assert list(app.store.sessions()) == []

        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3, "before-session")
        await wait_for(pilot, PlayerScreen)
        (session,) = app.store.sessions()
        assert session.screening_uid == app.store.last_screening().uid
        assert app.store.last_screening().level == "clear"


async def test_a_stray_enter_gives_no_pain_score(coach: Coach, store: Store) -> None:
    """No score is pre-selected: Enter on the pain question records nothing."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("p")
        screen = await wait_for(pilot, PainScoreScreen)
        await pilot.press("enter")
        assert app.screen is screen
        assert list(store.pain_scores()) == []
        await pilot.press("5")
        await wait_for(pilot, HomeScreen)
    assert [entry.score for entry in store.pain_scores()] == [5]


async def test_a_stray_enter_answers_no_red_flag_question(
    coach: Coach, content: Content, store: Store
) -> None:
    """There is no default answer: Enter leaves the first question unanswered."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        screen = await wait_for(pilot, RedFlagScreen)
        await pilot.press("enter")
        assert screen.answers == {}
        assert screen.index == 0
        await pilot.press("n")
        await pilot.press("enter")
        assert screen.answers == {content.flags[0].id: False}
