"""The rest of the advice: where the advice comes from, the medicine card, and a physio's
installed routine as the default. (Getting stronger comes with the plan: test_pilot_plan.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tests.pilot.drive import (
    answer_all_no,
    give_pain,
    moved_on,
    screen_text,
    start_app,
    text_of,
    wait_for,
)
from tests.support import NONE_APPLY
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.help import HelpScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.sources import SourcesScreen

Coach = Callable[..., CoachApp]


async def test_where_the_advice_comes_from_lists_every_source_with_its_address(
    coach: Coach, content: Content
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, HelpScreen)
        medicines = next(card for card in content.education if card.id == "medicines")
        assert medicines.title in screen_text(help_screen)
        await pilot.press("w")
        sources = await wait_for(pilot, SourcesScreen)
        shown = screen_text(sources)
        for source in content.sources_for(content.regions["uk"]):
            assert source.title in shown
            assert source.url in shown
        assert content.sources["911-GOV"].title not in shown  # another region's service


async def test_an_installed_routine_can_be_the_default_and_a_missing_one_is_said(
    coach: Coach, content: Content, tmp_path: Path, store: Store, clock: FakeClock
) -> None:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "clinic-jones.toml").write_text(
        'id = "clinic-jones"\nname = "Mrs Jones: week 1"\ndescription = "Two moves."\n'
        '[[step]]\nexercise = "cat_cow"\nrepetitions = 5\n'
        '[[step]]\nexercise = "childs_pose"\nhold_seconds = 30\n'
    )
    settings = Settings(region="uk", cautions=NONE_APPLY, default_routine="clinic-jones")
    # In the plan's second stage, whose routine is Standard: the default routine stands in.
    moved_on(store, clock.now() - timedelta(hours=1))
    app = coach(routine=None, settings=settings, routines_dir=routines)
    async with start_app(app) as pilot:
        home = await wait_for(pilot, HomeScreen)
        assert "can't be found" not in text_of(home.query_one("#today", Static))
        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.name == "Mrs Jones: week 1"

    (routines / "clinic-jones.toml").unlink()
    gone = coach(routine=None, settings=settings, routines_dir=routines)
    async with start_app(gone) as pilot:
        home = await wait_for(pilot, HomeScreen)
        today = " ".join(text_of(home.query_one("#today", Static)).split())
        assert "Your default routine 'clinic-jones' can't be found: sessions use Standard" in today
