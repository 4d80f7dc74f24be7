"""Screens around the flow: a too-small terminal, and the help screen, also mid-session."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from tests.pilot.drive import (
    advance,
    give_pain,
    quick_check,
    start_app,
    start_session,
    text_of,
    visible_text,
    wait_for,
)
from textual.widgets import Button, Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.dialogs.questions import SafetyQuestionsScreen
from spasm_coach.tui.screens.help import HelpScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import RedFlagScreen
from spasm_coach.tui.screens.summary import SummaryScreen
from spasm_coach.tui.screens.too_small import TooSmallScreen

Coach = Callable[..., CoachApp]


async def test_a_small_terminal_asks_for_a_larger_window(coach: Coach) -> None:
    app = coach()
    async with start_app(app, size=(50, 15)) as pilot:
        screen = await wait_for(pilot, TooSmallScreen)
        message = text_of(screen.query_one("#too-small-message", Static))
        assert "make the window a little larger" in message
        assert "60 x 20" in message
        assert "50 x 15" in message
        assert "make the window a little larger" in visible_text(app)
        await pilot.press("s")  # home's keys are behind the message: nothing starts
        assert not any(isinstance(s, RedFlagScreen) for s in app.screen_stack)

        await pilot.resize_terminal(55, 18)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        assert "55 x 18" in text_of(app.screen.query_one("#too-small-message", Static))

        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, HomeScreen)
        assert "larger" not in visible_text(app)
        assert "Start a stretch session" in visible_text(app)
        await pilot.press("s")
        await wait_for(pilot, RedFlagScreen)


async def test_the_smallest_supported_terminal_needs_no_message(coach: Coach) -> None:
    app = coach()
    async with start_app(app, size=(60, 20)) as pilot:
        await wait_for(pilot, HomeScreen)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
        assert "Start a stretch session" in visible_text(app)


@pytest.mark.parametrize("size", [(40, 30), (45, 44), (59, 30)])
async def test_a_phone_held_upright_needs_no_message(coach: Coach, size: tuple[int, int]) -> None:
    """Narrower than 60 columns is fine with 30 rows or more: a phone held upright."""
    app = coach()
    async with start_app(app, size=size) as pilot:
        await wait_for(pilot, HomeScreen)
        assert not any(isinstance(s, TooSmallScreen) for s in app.screen_stack)
        assert "slim" in " ".join(app.screen.classes)


@pytest.mark.parametrize("size", [(39, 44), (50, 29), (80, 19)])
async def test_narrow_and_short_or_too_narrow_asks_for_room(
    coach: Coach, size: tuple[int, int]
) -> None:
    app = coach()
    async with start_app(app, size=size) as pilot:
        screen = await wait_for(pilot, TooSmallScreen)
        message = text_of(screen.query_one("#too-small-message", Static))
        assert "60 x 20 characters (or 40 x 30 on a phone held upright)" in message
        assert f"{size[0]} x {size[1]}" in message


async def test_help_lists_the_keys_of_the_screen_underneath(coach: Coach, content: Content) -> None:
    """Help is built from the bindings: on home it lists home's keys; in a session, 'h'."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, HelpScreen)
        keys = text_of(help_screen.query_one("#help-keys", Static))
        for key, what in [("s", "Start session"), ("l", "History"), ("c", "Settings")]:
            assert re.search(rf"\b{key} +{what}", keys)
        assert "This hurts" not in keys  # no session is running
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)

        await start_session(pilot, content)
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, HelpScreen)
        keys = text_of(help_screen.query_one("#help-keys", Static))
        assert re.search(r"h +This hurts", keys)
        assert re.search(r"space +Pause", keys)
        assert re.search(r"x +Stop", keys)


async def test_a_session_ending_under_the_help_screen_goes_on_to_pain_and_home(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    """The session's time runs on while help is open. When it ends, help stays open until the
    person closes it (they may be reading it); then the player leaves and the pain question
    comes, and nothing leaves a dead player behind."""
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content)
        await pilot.press("question_mark")
        await wait_for(pilot, HelpScreen)
        await advance(pilot, clock, 5)
        assert player.runner is not None
        assert player.runner.view(clock.monotonic()).remaining == player.plan.steps[0].seconds - 5
        await advance(pilot, clock, player.plan.total_seconds - 5, step=5)
        last = store.last_session()
        assert last is not None
        assert last.outcome == "finished"
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await give_pain(pilot, 3, "after-session")
        await wait_for(pilot, SummaryScreen)
        assert not any(isinstance(s, PlayerScreen) for s in app.screen_stack)
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        assert [type(s) for s in app.screen_stack] == [HomeScreen]


async def test_this_hurts_works_even_with_help_or_the_skip_dialog_open(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    """One key stops the session and says it hurt, whatever is open over the player."""
    for opener in (["question_mark"], ["s"]):
        app = coach()
        async with start_app(app) as pilot:
            await start_session(pilot, content)
            await advance(pilot, clock, 10)
            for key in opener:
                await pilot.press(key)
            assert not isinstance(app.screen, PlayerScreen)
            await pilot.press("h")
            await give_pain(pilot, 4, "during-session")
            await quick_check(pilot)  # it hurt: a quick check for warning signs
            await wait_for(pilot, SummaryScreen)
        session = store.last_session()
        assert session is not None
        assert session.outcome == "stopped-hurt"
        assert [e.kind for e in store.events(session.uid)][-1] == "stopped-hurt"


async def test_h_is_an_ordinary_key_outside_a_session(coach: Coach) -> None:
    """On the heat/ice screen 'h' still means heat: it goes on to the heat questions."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("t")
        await pilot.press("h")
        await wait_for(pilot, SafetyQuestionsScreen)


async def test_enter_on_home_starts_a_session_or_the_action_with_the_focus(coach: Coach) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await wait_for(pilot, HomeScreen)
        await pilot.press("enter")
        await wait_for(pilot, RedFlagScreen)  # the first action: a session, from its check
        await pilot.press("escape")
        home = await wait_for(pilot, HomeScreen)
        await pilot.press("tab")
        assert isinstance(home.focused, Button)
        assert "Log pain now" in str(home.focused.label)
        await pilot.press("enter")
        await wait_for(pilot, PainScoreScreen)
