"""Snapshot tests: what the main screens look like at 80x24 and at a large 120x36, and the
check, the pain score and the player as a phone held upright shows them in browser mode (45x44).

The clock is fake and the log is in memory, so every snapshot is the same on every machine.
Re-record after a deliberate change with `make snapshots`, and look at the SVGs before committing.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from tests.factory import add_pain, add_screening, add_session
from tests.fixed_routines import with_fixed_routines
from tests.pilot.drive import READ
from tests.support import NO_HEAT_ICE_PROBLEMS, NONE_APPLY, SnapCompare
from textual.pilot import Pilot
from textual.screen import Screen

from spasm_coach.clock import FakeClock
from spasm_coach.content import load_content
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp, make_app
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.thermal import ThermalScreen
from spasm_coach.vocabulary import Level, PainContext, ScreeningReason, SessionOutcome

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
PHONE = pytest.param((45, 44), id="phone-45x44")
CONTENT = with_fixed_routines(load_content())
"""The shipped content with the routines the snapshots were recorded on (tests/routines/)."""


def coach(
    store: Store | None = None, clock: FakeClock | None = None, routine: str | None = None
) -> CoachApp:
    """The coach on a fake clock; `routine` in place of the one the plan's stage offers."""
    return make_app(
        store or Store.in_memory(),
        clock or FakeClock(),
        content=CONTENT,
        settings=Settings(
            cautions=NONE_APPLY, region="uk", thermal_contraindications=NO_HEAT_ICE_PROBLEMS
        ),
        routine=CONTENT.routines[routine] if routine else None,
    )


def month_of_scores(clock: FakeClock) -> Store:
    """30 days of a back settling: twice a day, from 8 down to about 2, with a few gaps."""
    store = seeded_store(clock)
    now = clock.now()
    for day in range(30, 0, -1):
        if day % 7 == 3:
            continue
        for hour, lift in ((9, 1), (19, 0)):
            score = max(1, min(10, round(2 + 6 * day / 30) + lift))
            add_pain(
                store, score, (now - timedelta(days=day)).replace(hour=hour), PainContext.CHECK_IN
            )
    return store


def seeded_store(clock: FakeClock) -> Store:
    store = Store.in_memory()
    now = clock.now()
    add_pain(store, 6, now - timedelta(hours=20), PainContext.BEFORE_SESSION)
    add_pain(store, 4, now - timedelta(hours=2), PainContext.CHECK_IN, note="easier after heat")
    screening = add_screening(
        store, Level.CLEAR, (), {}, now - timedelta(hours=20), ScreeningReason.BEFORE_SESSION
    )
    session = add_session(
        store, "gentle", "Gentle: for a bad day", now - timedelta(hours=20), screening.uid
    )
    store.end_session(session.uid, now - timedelta(hours=19, minutes=55), SessionOutcome.FINISHED)
    return store


async def settle(pilot: Pilot) -> None:
    await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


async def answer(pilot: Pilot, keys: list[str]) -> None:
    """Each key once what it answers has been read (the fake clock moves on READ seconds)."""
    assert isinstance(pilot.app, CoachApp)
    clock = pilot.app.clock
    assert isinstance(clock, FakeClock)
    for key in keys:
        clock.advance(READ)
        await pilot.press(key)
    await settle(pilot)


def all_no() -> list[str]:
    return ["n"] * len(CONTENT.flags)


@pytest.mark.parametrize("size", SIZES)
def test_home(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    clock = FakeClock()
    assert snap_compare(coach(seeded_store(clock), clock), terminal_size=size)


@pytest.mark.parametrize("size", [*SIZES, PHONE])
def test_red_flag_question(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def third_question(pilot: Pilot) -> None:
        await answer(pilot, ["s", "n", "n"])

    assert snap_compare(coach(), terminal_size=size, run_before=third_question)


@pytest.mark.parametrize("size", [*SIZES, PHONE])
def test_emergency_card(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def saddle_numbness(pilot: Pilot) -> None:
        await answer(pilot, ["s", "y", *all_no()[1:]])

    assert snap_compare(coach(), terminal_size=size, run_before=saddle_numbness)


@pytest.mark.parametrize("size", [*SIZES, PHONE])
def test_player_mid_hold(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    clock = FakeClock()

    async def into_the_first_hold(pilot: Pilot) -> None:
        await answer(pilot, ["s", *all_no(), "4"])
        clock.advance(8 + 7)  # prepare, then 7 s into the 20 s hold
        player = pilot.app.screen
        assert isinstance(player, PlayerScreen)
        player.heartbeat()
        await settle(pilot)

    assert snap_compare(
        coach(clock=clock, routine="standard"), terminal_size=size, run_before=into_the_first_hold
    )


@pytest.mark.parametrize("size", SIZES)
def test_summary(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    clock = FakeClock()

    async def stopped_after_the_first_exercise(pilot: Pilot) -> None:
        await answer(pilot, ["s", *all_no(), "5"])
        player = pilot.app.screen
        assert isinstance(player, PlayerScreen)
        for _ in range(176):  # knee to chest: 2 sides x (8 s prepare + 3 x 20 s + 2 x 10 s)
            clock.advance(1)
            player.heartbeat()
        await answer(pilot, ["s", "2"])  # skip cat-cow: can't get into position
        await answer(pilot, ["x", "3"])

    assert snap_compare(
        coach(clock=clock, routine="standard"),
        terminal_size=size,
        run_before=stopped_after_the_first_exercise,
    )


@pytest.mark.parametrize("size", SIZES)
def test_heat_mid_timer(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    clock = FakeClock()

    async def seven_minutes_into_heat(pilot: Pilot) -> None:
        await answer(pilot, ["t", "h", "enter"])
        clock.advance(7 * 60)
        assert isinstance(pilot.app, CoachApp)
        pilot.app.heat_ice.heartbeat()
        assert isinstance(pilot.app.screen, ThermalScreen)
        pilot.app.screen.refresh_view()
        await settle(pilot)

    assert snap_compare(coach(clock=clock), terminal_size=size, run_before=seven_minutes_into_heat)


@pytest.mark.parametrize("size", SIZES)
def test_history_with_30_days(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    clock = FakeClock()

    async def open_history(pilot: Pilot) -> None:
        await answer(pilot, ["l"])

    assert snap_compare(
        coach(month_of_scores(clock), clock), terminal_size=size, run_before=open_history
    )


@pytest.mark.parametrize("size", SIZES)
def test_settings(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    async def open_settings(pilot: Pilot) -> None:
        await answer(pilot, ["c"])

    assert snap_compare(coach(), terminal_size=size, run_before=open_settings)


DIALOGS = ["gentle offer", "time's up", "soon card (book a check-up)", "heat/ice questions"]


@pytest.mark.parametrize(
    "name",
    [*DIALOGS, "pain score", "plan: move on"],
    ids=["gentle-offer", "times-up", "soon-card", "heat-ice-questions", "pain-score", "plan-offer"],
)
def test_dialogs_that_once_did_not_fit(snap_compare: SnapCompare, name: str) -> None:
    """The dialogs that were cut or overlapped at every size, drawn at 80x24 (and the plan's
    offer, whose words are the longest of any choice)."""
    from tests.layout.test_layout import TABLE, Opened

    clock = FakeClock()
    app = coach(seeded_store(clock), clock)

    async def open_it(pilot: Pilot) -> None:
        await pilot.pause()
        assert isinstance(pilot.app, CoachApp)
        made = TABLE[name](Opened(pilot.app, clock))
        assert isinstance(made, Screen)
        await pilot.app.push_screen(made)
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_it)


def test_pain_score_on_a_phone(snap_compare: SnapCompare) -> None:
    """The eleven scores in two rows of buttons, as a finger needs them."""
    from tests.layout.test_layout import TABLE, Opened

    clock = FakeClock()

    async def open_it(pilot: Pilot) -> None:
        await pilot.pause()
        assert isinstance(pilot.app, CoachApp)
        made = TABLE["pain score"](Opened(pilot.app, clock))
        assert isinstance(made, Screen)
        await pilot.app.push_screen(made)
        await settle(pilot)

    assert snap_compare(coach(clock=clock), terminal_size=(45, 44), run_before=open_it)


@pytest.mark.parametrize("size", SIZES)
def test_your_plan(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The plan screen (r on home), a few days in: sessions done, scores not low enough yet."""
    clock = FakeClock()
    store = seeded_store(clock)
    for days, score in ((2, 5), (1, 4), (1, 4)):
        add_pain(store, score, clock.now() - timedelta(days=days, hours=1), PainContext.CHECK_IN)
        session = add_session(store, "gentle", "Gentle", clock.now() - timedelta(days=days), None)
        store.end_session(
            session.uid, clock.now() - timedelta(days=days, minutes=-10), SessionOutcome.FINISHED
        )

    async def open_plan(pilot: Pilot) -> None:
        await answer(pilot, ["r"])

    assert snap_compare(coach(store, clock), terminal_size=size, run_before=open_plan)


@pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (160, 45)], ids=["80x24", "100x30", "160x45"]
)
def test_player_mid_hold_on_the_floor(snap_compare: SnapCompare, size: tuple[int, int]) -> None:
    """The countdown grows with the terminal: the floor view at three sizes."""
    from tests.layout.test_layout import Opened, player

    clock = FakeClock()
    app = coach(clock=clock)

    async def into_the_hold(pilot: Pilot) -> None:
        await pilot.pause()
        assert isinstance(pilot.app, CoachApp)
        screen = player(Opened(pilot.app, clock))
        assert isinstance(screen, PlayerScreen)
        await pilot.app.push_screen(screen)
        for _ in range(12):
            clock.advance(1)
            screen.heartbeat()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=into_the_hold)


@pytest.mark.parametrize(
    ("size", "keys"),
    [((80, 24), ()), ((160, 45), ()), ((160, 45), ("i",))],
    ids=["80x24", "160x45", "160x45-instructions"],
)
def test_clinic_demo_on_a_projector(
    snap_compare: SnapCompare, size: tuple[int, int], keys: tuple[str, ...]
) -> None:
    """Clinic mode mid-hold: the banner, the exercise, and the countdown as large as it goes."""
    from spasm_coach.tui.clinic import ClinicApp
    from spasm_coach.tui.screens.presenter import PresenterScreen

    clock = FakeClock()
    app = ClinicApp(CONTENT.routines["standard"], CONTENT.exercises["cobra"], clock=clock)

    async def into_the_hold(pilot: Pilot) -> None:
        await pilot.pause()
        await pilot.press("right", *keys)
        for _ in range(3):
            clock.advance(1)
            assert isinstance(pilot.app.screen, PresenterScreen)
            pilot.app.screen.heartbeat()
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=into_the_hold)
