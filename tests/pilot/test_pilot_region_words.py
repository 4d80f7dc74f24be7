"""The coach's own screens show only the chosen region's numbers and services: the warning card
on home, the outcome card of each action, the help page and the sources page (the words are
checked as tests/unit/test_region_words.py checks the cards, handouts and report)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from tests.pilot.drive import screen_text, start_app, wait_for
from tests.region_check import REGIONS, assert_only_its_own
from tests.support import NONE_APPLY

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.records import Screening
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.help import HelpScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen
from spasm_coach.tui.screens.sources import SourcesScreen
from spasm_coach.vocabulary import Level, ScreeningReason

Coach = Callable[..., CoachApp]


def check(clock: FakeClock, level: Level, *flags: str, complete: bool = False) -> Screening:
    return Screening(
        str(uuid.uuid4()),
        clock.now(),
        level,
        flags,
        dict.fromkeys(flags, True),
        ScreeningReason.BEFORE_SESSION,
        complete=complete,
    )


@pytest.mark.parametrize("region_id", REGIONS)
async def test_every_screen_shows_only_its_regions_words(
    coach: Coach, content: Content, store: Store, clock: FakeClock, region_id: str
) -> None:
    region = content.regions[region_id]
    store.save_screening(check(clock, Level.EMERGENCY, "chest_pain"))
    app = coach(settings=Settings(cautions=NONE_APPLY, region=region_id))
    async with start_app(app, size=(100, 40)) as pilot:
        home = await wait_for(pilot, HomeScreen)
        for _ in range(20):  # the content-dependent lines follow the first frame
            if "AMBULANCE" in screen_text(home):
                break
            await pilot.pause()
        shown = screen_text(home)
        assert f"CALL {region.emergency} FOR AN AMBULANCE NOW" in shown
        assert_only_its_own(content, region, "home's warning card", shown)

        for level, flags in (  # every action; the others' words are checked in tests/unit
            (Level.EMERGENCY, ("saddle_numbness", "major_trauma")),
            (Level.EMERGENCY, ("emergency_signs_now",)),
            (Level.URGENT, ("pregnant", "pregnancy_warning_signs", "fever")),
        ):
            screening = check(clock, level, *flags, complete=True)
            if flags == ("emergency_signs_now",):
                screening = Screening(**{**screening.__dict__, "kind": "quick"})
            app.push_screen(OutcomeScreen(screening, content, app.region))
            card = await wait_for(pilot, OutcomeScreen)
            assert_only_its_own(content, region, f"the card for {flags}", screen_text(card))
            await pilot.press("escape")
            await wait_for(pilot, HomeScreen)

        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, HelpScreen)
        assert_only_its_own(content, region, "the help page", screen_text(help_screen))
        await pilot.press("w")
        sources = await wait_for(pilot, SourcesScreen)
        shown = screen_text(sources)
        assert_only_its_own(content, region, "the sources page", shown)
        for source in region.sources:
            assert content.sources[source].url in shown
