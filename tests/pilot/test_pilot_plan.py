"""The coach follows the plan, with keys: a week of scores falling from 7 to 2 offers "move",
then "stronger"; "it hurt" steps back; home, `spasm-coach plan` and the report agree."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from tests.factory import add_pain, add_session
from tests.pilot.drive import (
    advance,
    answer_all_no,
    begin_session,
    give_pain,
    moved_on,
    quick_check,
    screen_text,
    start_app,
    text_of,
    wait_for,
)
from tests.support import NONE_APPLY_TOML, Cli
from textual.widgets import Static

from spasm_coach.clock import Clock, FakeClock
from spasm_coach.content import Content
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.plan import PlanOfferScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.plan import PlanScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.summary import SummaryScreen
from spasm_coach.vocabulary import PainContext, PlanMove, SessionOutcome

Coach = Callable[..., CoachApp]


@pytest.fixture
def cli_clock(clock: FakeClock) -> Clock:
    """The command line reads the same fake clock as the coach."""
    return clock


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


def home_today(app: CoachApp) -> str:
    home = next(screen for screen in app.screen_stack if isinstance(screen, HomeScreen))
    return " ".join(text_of(home.query_one("#today", Static)).split())


def agree(cli: Cli, stage: str, number: int) -> dict:
    """`spasm-coach plan` says the same stage as home; its JSON for more checks."""
    said = cli("plan")
    assert said.code == 0, said.err
    assert f"Stage {number} of 3: {stage}" in said.out
    data = json.loads(cli("plan", "--json").out)
    assert (data["stage"]["name"], data["stage"]["number"]) == (stage, number)
    assert isinstance(data, dict)
    return data


async def test_a_week_falling_from_7_to_2_offers_move_then_stronger_and_it_hurt_steps_back(
    coach: Coach, content: Content, store: Store, clock: FakeClock, cli: Cli
) -> None:
    monday = clock.now() - timedelta(days=2)
    seed_day(store, monday, (7, 6, 6), "gentle")
    seed_day(store, monday + timedelta(days=1), (5, 4, 4), "gentle")
    add_pain(store, 4, clock.now() - timedelta(hours=1), PainContext.CHECK_IN)

    # Wednesday: the last three scores are 4 or less, sessions done, a day gone by: "move".
    app = coach(routine=None)
    async with start_app(app) as pilot:
        assert "Plan: Settle the spasm, 0 of 3 sessions today." in (home_today(app))
        assert "Ready for Get moving" in home_today(app)
        await begin_session(pilot, content)
        await give_pain(pilot, 4, "before-session")
        offer = await wait_for(pilot, PlanOfferScreen)
        text = screen_text(offer)
        assert "Ready for the next stage: Get moving" in text
        assert "your last 3 scores were 4, 4 and 4" in text
        assert "Standard: daily routine (instead of Gentle: for a bad day)" in text
        await pilot.press("m")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "standard"
        await advance(pilot, clock, player.plan.total_seconds + 1, step=10)
        await give_pain(pilot, 3, "after-session")
        await wait_for(pilot, SummaryScreen)
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        assert "Plan: Get moving, 1 of 3 sessions today." in home_today(app)
    (moved,) = store.plan_changes()
    assert (moved.kind, moved.stage, moved.automatic) == (PlanMove.MOVE_ON, "move", False)
    data = agree(cli, "Get moving", 2)
    assert data["why"].endswith(moved.reason)

    # Thursday to Saturday: moving, the scores fall to 2: "stronger".
    for day, scores in ((1, (3, 3)), (2, (2, 2))):
        seed_day(store, clock.now() + timedelta(days=day, hours=-1), scores, "standard")
    clock.advance(3 * 24 * 3600)
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await begin_session(pilot, content)
        await give_pain(pilot, 2, "before-session")
        offer = await wait_for(pilot, PlanOfferScreen)
        assert "Ready for the next stage: Get stronger" in screen_text(offer)
        await pilot.press("m")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "getting_stronger"

        # It hurts: the session stops, and the plan steps back by itself.
        await advance(pilot, clock, 30, step=10)
        await pilot.press("h")
        await give_pain(pilot, 5, "during-session")
        await quick_check(pilot)
        summary = await wait_for(pilot, SummaryScreen)
        said = screen_text(summary)
        assert re.search(
            r'Your plan steps back to Get moving: a session stopped with "it hurt" at \d\d:\d\d\.',
            said,
        )
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        assert "Plan: Get moving," in home_today(app)

        await pilot.press("r")
        plan_screen = await wait_for(pilot, PlanScreen)
        shown = screen_text(plan_screen)
        assert "Stage 2 of 3: Get moving" in shown
        assert "stepped back from Get stronger to Get moving, by itself" in shown
        assert "moved on from Get moving to Get stronger" in shown
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)

    kinds = [(c.kind, c.from_stage, c.stage, c.automatic) for c in store.plan_changes()]
    assert kinds == [
        (PlanMove.MOVE_ON, "settle", "move", False),
        (PlanMove.MOVE_ON, "move", "stronger", False),
        (PlanMove.STEP_BACK, "stronger", "move", True),
    ]
    data = agree(cli, "Get moving", 2)
    assert data["why"].startswith("Here since")
    assert 'a session stopped with "it hurt"' in data["why"]

    report = cli("report")
    assert report.code == 0, report.err
    html = report.out
    assert "The plan: stages and changes" in html
    assert "Stage 2 of 3: Get moving" in html
    for change in store.plan_changes():
        assert change.reason.replace('"', "&quot;") in html
    for stage in ("Settle the spasm", "Get moving", "Get stronger"):
        assert f">{stage}</text>" in html or f">{stage[:8]}" in html  # named on the chart


async def test_a_move_said_no_to_stays_and_is_logged(
    coach: Coach, content: Content, store: Store, clock: FakeClock
) -> None:
    monday = clock.now() - timedelta(days=2)
    seed_day(store, monday, (4, 4), "gentle")
    seed_day(store, monday + timedelta(days=1), (4,), "gentle")
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await begin_session(pilot, content)
        await give_pain(pilot, 3, "before-session")
        await wait_for(pilot, PlanOfferScreen)
        await pilot.press("s")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "gentle"
    (stay,) = store.plan_changes()
    assert (stay.kind, stay.from_stage, stay.stage) == (PlanMove.STAY, "settle", "move")
    assert stay.reason.startswith("you chose to stay (")


async def test_nothing_is_offered_forward_when_todays_check_found_a_sign(
    coach: Coach, content: Content, store: Store, clock: FakeClock
) -> None:
    monday = clock.now() - timedelta(days=2)
    seed_day(store, monday, (4, 4), "gentle")
    seed_day(store, monday + timedelta(days=1), (4,), "gentle")
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"not_improving"})  # soon: see someone
        await pilot.press("enter")
        await give_pain(pilot, 3, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "gentle"
        assert not any(isinstance(s, PlanOfferScreen) for s in app.screen_stack)
    assert list(store.plan_changes()) == []


async def test_a_rise_of_two_logged_at_any_time_steps_back_by_itself(
    coach: Coach, store: Store, clock: FakeClock, content: Content
) -> None:
    moved_on(store, clock.now() - timedelta(days=1))
    add_pain(store, 2, clock.now() - timedelta(hours=2), PainContext.CHECK_IN)
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await pilot.press("p")
        await give_pain(pilot, 4)
        await answer_all_no(pilot, content)  # a rise of 2: the red-flag questions again
        await wait_for(pilot, HomeScreen)
        assert "Plan: Settle the spasm," in home_today(app)
    back = list(store.plan_changes())[-1]
    assert (back.kind, back.stage, back.automatic) == (PlanMove.STEP_BACK, "settle", True)
    assert back.reason.startswith("your pain rose from 2 to 4 at ")


async def test_the_plan_screen_starts_a_session_with_another_routine_and_steps_back(
    coach: Coach, content: Content, store: Store
) -> None:
    app = coach(routine=None)
    async with start_app(app) as pilot:
        await pilot.press("r")
        plan_screen = await wait_for(pilot, PlanScreen)
        assert "Stage 1: Settle the spasm (you are here)" in screen_text(plan_screen)
        await pilot.press("b")  # nothing before the first stage
        assert not any(isinstance(s, PlanOfferScreen) for s in app.screen_stack)
        await pilot.press("2")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 5, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "relaxation"


async def test_a_physio_plan_installed_drives_the_coach(
    coach: Coach,
    content: Content,
    store: Store,
    clock: FakeClock,
    cli: Cli,
    home: Path,
    tmp_path: Path,
) -> None:
    from tests.unit.test_plan_files import GOOD, JONES_ROUTINE

    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text('region = "uk"\n' + NONE_APPLY_TOML, encoding="utf-8")
    (tmp_path / "jones.toml").write_text(JONES_ROUTINE, encoding="utf-8")
    (tmp_path / "plan.toml").write_text(GOOD, encoding="utf-8")
    assert cli("routines", "install", str(tmp_path / "jones.toml")).code == 0
    assert cli("plans", "install", str(tmp_path / "plan.toml")).code == 0
    for day in range(3):  # Easy does it: 4 scores of 4 or less, 3 sessions, 3 days
        seed_day(store, clock.now() + timedelta(days=day, hours=1), (4,), "gentle")
    clock.advance(3 * 24 * 3600)
    add_pain(store, 3, clock.now() - timedelta(hours=1), PainContext.CHECK_IN)

    app = coach(
        routine=None,
        settings=None,
        settings_path=home / "settings.toml",
        routines_dir=home / "routines",
        plans_dir=home / "plans",
    )
    async with start_app(app) as pilot:
        assert "Plan: Easy does it," in home_today(app)
        await begin_session(pilot, content)
        await give_pain(pilot, 3, "before-session")
        offer = await wait_for(pilot, PlanOfferScreen)
        assert "Ready for the next stage: Your programme" in screen_text(offer)
        assert "Clinic Jones: left side" in screen_text(offer)
        await pilot.press("m")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "clinic-jones"
    assert [(c.kind, c.plan_id, c.stage) for c in store.plan_changes()] == [
        (PlanMove.START, "clinic-jones-plan", "easy"),
        (PlanMove.MOVE_ON, "clinic-jones-plan", "jones"),
    ]
    assert "Stage 2 of 3: Your programme" in cli("plan").out
