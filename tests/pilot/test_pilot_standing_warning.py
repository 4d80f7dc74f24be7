"""The worst warning stays until a clinician's all-clear: the highest level wins, and it stands
across midnight, a time-zone change and a clock set back (elapsed UTC time, not the local date).
Every face feeds the same gate."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from tests.factory import add_pain, add_screening, add_session
from tests.pilot.drive import (
    answer_all_no,
    begin_session,
    give_pain,
    moved_on,
    quick_check,
    screen_text,
    start_app,
    start_session,
    text_of,
    visible_text,
    wait_for,
)
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.plan import PlanOfferScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import RedFlagScreen
from spasm_coach.tui.screens.safety import ClearanceScreen
from spasm_coach.tui.screens.summary import SummaryScreen
from spasm_coach.vocabulary import Level, PainContext, PlanMove, ScreeningReason, SessionOutcome

Coach = Callable[..., CoachApp]
PARIS = timezone(timedelta(hours=1))
NEW_YORK = timezone(timedelta(hours=-5))
TOKYO = timezone(timedelta(hours=9))


def warn(store: Store, level: Level, flag: str, at: datetime) -> None:
    """A check that found `flag` at `at` (as the coach or `spasm-coach screen` saves one)."""
    add_screening(store, level, (flag,), {flag: True}, at, ScreeningReason.BEFORE_SESSION)


def home_card(app: CoachApp) -> str:
    home = app.screen
    assert isinstance(home, HomeScreen)
    home.refresh_today()
    cards = home.query("#home-card")
    return text_of(cards.first(Static)) if cards and cards.first().display else ""


async def test_an_emergency_then_an_urgent_result_shows_the_emergency(
    coach: Coach, store: Store, clock: FakeClock
) -> None:
    """Seen: gate.py kept the last warning, not the highest."""
    warn(store, Level.EMERGENCY, "saddle_numbness", clock.now())
    clock.advance(3600)
    warn(store, Level.URGENT, "fever", clock.now())
    app = coach()
    async with start_app(app) as pilot:
        card = home_card(app)
        assert "EMERGENCY" in card
        assert "09:00" in card
        await pilot.press("s")
        clearance = await wait_for(pilot, ClearanceScreen)
        assert "EMERGENCY" in screen_text(clearance)


@pytest.mark.parametrize("how", ["past midnight", "moved east", "moved west", "set back"])
async def test_an_emergency_at_23_55_still_stands(
    coach: Coach, store: Store, how: str, players: list[PlayerScreen]
) -> None:
    """Seen: an emergency at 23:55 was gone at 00:05 (and after a time-zone change or the clock
    going back); the next full check asked about 'new' numbness, so it could be answered no."""
    clock = FakeClock(datetime(2026, 11, 23, 23, 55, tzinfo=PARIS))
    warn(store, Level.EMERGENCY, "saddle_numbness", clock.now())
    clock.advance(10 * 60)  # 00:05 on the 24th
    app = coach(clock=clock)
    async with start_app(app) as pilot:
        assert "EMERGENCY" in home_card(app), "at 00:05"
        if how == "moved east":
            clock.move_to(TOKYO)  # 08:05 on the 24th there
        elif how == "moved west":
            clock.move_to(NEW_YORK)  # 18:05 on the 23rd there
        elif how == "set back":
            clock.set_back(3600)  # 23:05 on the 23rd
        card = home_card(app)
        assert "EMERGENCY" in card, f"{how}: {card!r}"
        await pilot.press("s")
        await wait_for(pilot, ClearanceScreen)
        await pilot.press("n")
        await wait_for(pilot, HomeScreen)
        assert players == []
        await pilot.press("s")
        await wait_for(pilot, ClearanceScreen)
        clock.advance(2)
        await pilot.press("y")
        check = await wait_for(pilot, RedFlagScreen)
        shown = screen_text(check).lower()
        assert "since your warning at" in shown
        if how in ("past midnight", "set back"):
            assert "since your warning at 23:55" in shown  # shown in the time zone of now


async def test_a_warning_stands_days_later_until_the_all_clear(
    coach: Coach, content: Content, store: Store, clock: FakeClock, players: list[PlayerScreen]
) -> None:
    warn(store, Level.URGENT, "fever", clock.now())
    clock.advance(3 * 24 * 3600)
    app = coach()
    async with start_app(app) as pilot:
        assert "URGENT" in home_card(app)
        await pilot.press("s")
        await wait_for(pilot, ClearanceScreen)
        clock.advance(2)
        await pilot.press("y")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3, "before-session")
        await wait_for(pilot, PlayerScreen)
        await pilot.press("x")
        await give_pain(pilot, 3, "after-session")
        await wait_for(pilot, SummaryScreen)
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        assert home_card(app) == ""
    assert len(players) == 1


# --- every face feeds the same gate -------------------------------------------------------------


async def test_skip_because_it_hurts_too_much_does_what_h_does(
    coach: Coach, content: Content, store: Store
) -> None:
    """Seen: skip 'it hurts too much' started the next exercise with no score, check or advice."""
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("1")  # It hurts too much
        await give_pain(pilot, 6, "during-session")
        await quick_check(pilot)
        summary = await wait_for(pilot, SummaryScreen)
        assert "stopped because it hurt" in screen_text(summary).lower()
        assert "What to do now" in screen_text(summary)
    last = store.last_session()
    assert last is not None
    assert last.outcome == "stopped-hurt"


def seed_day(store: Store, day: datetime, scores: tuple[int, ...], routine: str) -> None:
    """A day already lived: each score after a finished session of `routine`, an hour apart."""
    for hour, score in enumerate(scores):
        started = day + timedelta(hours=hour)
        session = add_session(store, routine, routine, started, None)
        add_pain(
            store,
            score,
            started + timedelta(minutes=1),
            PainContext.BEFORE_SESSION,
            None,
            session.uid,
        )
        store.end_session(session.uid, started + timedelta(minutes=10), SessionOutcome.FINISHED)


async def test_getting_stronger_is_not_offered_after_a_session_stopped_because_it_hurt(
    coach: Coach, content: Content, store: Store, clock: FakeClock
) -> None:
    """Seen: "Getting stronger" offered three minutes after a session stopped because it hurt.
    The plan's move to it (or any move forward) waits that day and the two days after."""
    moved_on(store, clock.now() - timedelta(days=4))  # in "Get moving" for four days
    for day, scores in ((3, (2, 2)), (2, (2, 2)), (1, (2, 2))):
        seed_day(store, clock.now() - timedelta(days=day), scores, "standard")
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await begin_session(pilot, content)
        await give_pain(pilot, 2, "before-session")
        offer = await wait_for(pilot, PlanOfferScreen)  # ready: offered, before the hurt
        assert "Get stronger" in screen_text(offer)
        await pilot.press("s")  # stay, for now
        await wait_for(pilot, PlayerScreen)
        said_before = len(store_offers(store))
        await pilot.press("h")
        await give_pain(pilot, 2, "during-session")
        await quick_check(pilot)
        await wait_for(pilot, SummaryScreen)
        await pilot.press("enter")
        for days in (0, 1, 2):
            clock.advance(180 if days == 0 else 24 * 3600)
            await wait_for(pilot, HomeScreen)
            await begin_session(pilot, content)
            await give_pain(pilot, 2, "before-session")
            await wait_for(pilot, PlayerScreen)
            assert len(store_offers(store)) == said_before, f"day {days}: offered again"
            await pilot.press("x")
            await give_pain(pilot, 2, "after-session")
            await wait_for(pilot, SummaryScreen)
            await pilot.press("enter")
    moves = [change.kind for change in store.plan_changes()]
    assert PlanMove.MOVE_ON not in moves[1:]  # after the seed's, no move forward


def store_offers(store: Store) -> list[object]:
    """Moves forward answered (taken, or declined with "stay") since the seed's."""
    return [
        change
        for change in list(store.plan_changes())[1:]
        if change.kind in (PlanMove.MOVE_ON, PlanMove.STAY)
    ]


async def test_exercises_made_it_worse_means_relaxation_only_today_and_advice(
    coach: Coach, content: Content, store: Store, clock: FakeClock
) -> None:
    """Seen: a yes to 'the exercises made it worse' let the same routine go on."""
    session = add_session(store, "standard", "Standard", clock.now() - timedelta(days=1), None)
    store.end_session(session.uid, clock.now() - timedelta(days=1), SessionOutcome.FINISHED)
    app = coach(routine=content.routines["standard"])
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"exercise_made_worse"})
        card = app.screen
        said = screen_text(card)
        assert "physiotherapist" in said.lower()
        assert "Standard" in said
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "StopForTodayScreen"
        await pilot.press("r")
        await give_pain(pilot, 3, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "relaxation"


async def test_heat_with_a_warning_standing_shows_the_card_first(
    coach: Coach, store: Store, clock: FakeClock
) -> None:
    """Seen: heat offered on an emergency day with no mention of the card."""
    warn(store, Level.EMERGENCY, "chest_pain", clock.now())
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        shown = screen_text(app.screen)
        assert "EMERGENCY" in shown
        assert getattr(app.screen, "shows_safety_card", False)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_home_shows_the_card_in_sight_on_a_small_terminal(
    coach: Coach, store: Store, clock: FakeClock, size: tuple[int, int]
) -> None:
    """Seen in the final replay: at 60x20 home opened scrolled to its focused first action,
    with the warning card above, out of sight."""
    warn(store, Level.EMERGENCY, "saddle_numbness", clock.now())
    app = coach()
    async with start_app(app, size) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert "EMERGENCY" in visible_text(app)
