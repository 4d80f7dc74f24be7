"""The rest of the advice: Getting stronger once the pain has settled, where the advice comes
from, the medicine card, and a physio's installed routine as the default."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tests.pilot.conftest import (
    answer_all_no,
    give_pain,
    screen_text,
    start_app,
    text_of,
    wait_for,
)
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.choices import StrongerOfferScreen
from spasm_coach.tui.screens.help import HelpScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.sources import SourcesScreen

Coach = Callable[..., CoachApp]


def low_scores(store: Store, clock: FakeClock, *scores: int) -> None:
    for hours, score in enumerate(reversed(scores), start=1):
        store.add_pain(score, clock.now() - timedelta(hours=hours), "check-in")


async def test_getting_stronger_is_offered_once_the_pain_has_settled(
    coach: Coach, content: Content, store: Store, clock: FakeClock
) -> None:
    low_scores(store, clock, 3, 2)
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 2, "before-session")
        offer = await wait_for(pilot, StrongerOfferScreen)
        assert "Your pain has settled" in screen_text(offer)
        await pilot.press("g")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "getting_stronger"
    assert store.last_session().routine_id == "getting_stronger"


async def test_getting_stronger_waits_while_pain_is_higher_or_a_sign_is_current(
    coach: Coach, content: Content, store: Store, clock: FakeClock
) -> None:
    low_scores(store, clock, 5, 2)  # one of the last three is not low
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 2, "before-session")
        await wait_for(pilot, PlayerScreen)

    clock.advance(24 * 3600)  # the next day: a full check again
    later = coach(routine=None)
    low_scores(store, clock, 2, 2)
    async with start_app(later) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"not_improving"})  # soon: see someone
        await pilot.press("enter")
        await give_pain(pilot, 1, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id != "getting_stronger"


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
    coach: Coach, content: Content, tmp_path: Path
) -> None:
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "clinic-jones.toml").write_text(
        'id = "clinic-jones"\nname = "Mrs Jones: week 1"\ndescription = "Two moves."\n'
        '[[step]]\nexercise = "cat_cow"\nrepetitions = 5\n'
        '[[step]]\nexercise = "childs_pose"\nhold_seconds = 30\n'
    )
    settings = Settings(region="uk", cautions=(), default_routine="clinic-jones")
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
