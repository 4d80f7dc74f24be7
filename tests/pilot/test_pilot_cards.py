"""Cards that can always be read and left: no toast over a safety card, and `q` quits from
every screen (a session is stopped and logged first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from tests.factory import add_pain
from tests.pilot.drive import (
    give_pain,
    start_app,
    start_session,
    visible_text,
    wait_for,
)
from textual.screen import Screen

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.records import SafetyNote, Screening, new_uid
from spasm_coach.session import SessionResult
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.red_flags import OutcomeScreen, QuickCheckScreen, RedFlagScreen
from spasm_coach.tui.screens.safety import ClearanceScreen, StopForTodayScreen
from spasm_coach.tui.screens.summary import Summary, SummaryScreen
from spasm_coach.vocabulary import Level, NoteKind, PainContext, ScreeningReason, SessionOutcome

Coach = Callable[..., CoachApp]
PENDING = "A pending reminder that must wait"


def warning(level: Level, flag: str, clock: FakeClock) -> Screening:
    return Screening(
        new_uid(),
        clock.now(),
        level,
        (flag,),
        {flag: True},
        ScreeningReason.BEFORE_SESSION,
        complete=level is not Level.EMERGENCY,
    )


CARDS: dict[str, Callable[[CoachApp, FakeClock], Screen[Any]]] = {
    "emergency": lambda app, clock: OutcomeScreen(
        warning(Level.EMERGENCY, "saddle_numbness", clock), app.content, app.region
    ),
    "urgent": lambda app, clock: OutcomeScreen(
        warning(Level.URGENT, "fever", clock), app.content, app.region
    ),
    "soon": lambda app, clock: OutcomeScreen(
        warning(Level.SOON, "not_improving", clock), app.content, app.region
    ),
    "clearance": lambda app, clock: ClearanceScreen(
        app.content, warning(Level.EMERGENCY, "saddle_numbness", clock), app.region, "09:00"
    ),
    "stop for today": lambda app, clock: StopForTodayScreen(
        SafetyNote(new_uid(), clock.now(), NoteKind.STOP_FOR_TODAY, None, "your pain was 9/10"),
        "Breathe and relax",
        "09:00",
    ),
    "summary": lambda app, clock: SummaryScreen(
        Summary(SessionResult(SessionOutcome.STOPPED_HURT), 3, 8, True), app.content.ces_card
    ),
}


@pytest.mark.parametrize("card", list(CARDS))
async def test_no_toast_covers_a_safety_card(coach: Coach, clock: FakeClock, card: str) -> None:
    app = coach()
    async with start_app(app) as pilot:
        app.notify(PENDING, title="Reminder", timeout=30)
        await pilot.pause()
        assert PENDING in visible_text(app)  # a toast, while no card is up
        await app.push_screen(CARDS[card](app, clock))
        await pilot.pause()
        await pilot.pause()
        assert PENDING not in visible_text(app)
        app.notify("Another one while the card is up", timeout=30)
        await pilot.pause()
        assert "Another one" not in visible_text(app)


async def test_check_not_finished_never_covers_the_card_on_the_summary(
    coach: Coach, content: Content, clock: FakeClock
) -> None:
    """Seen: 'Check not finished' covered the A&E card on the summary after `h`, a score and
    Esc on the check."""
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("h")
        await give_pain(pilot, 8, "during-session")
        await wait_for(pilot, QuickCheckScreen)
        await pilot.press("escape")
        await wait_for(pilot, SummaryScreen)
        await pilot.pause()
        shown = visible_text(app)
        assert not app.screen.query("Toast"), shown


# --- q quits from every screen -------------------------------------------------------------------


async def test_q_in_a_session_stops_it_logs_it_and_quits(
    coach: Coach, content: Content, store: Store
) -> None:
    """Seen: `q` did nothing in a session (the README says it quits)."""
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    last = store.last_session()
    assert last is not None
    assert last.outcome is SessionOutcome.INTERRUPTED


async def test_q_on_the_emergency_card_quits(coach: Coach, content: Content) -> None:
    """Seen: `q` did nothing on the emergency card."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        assert check.questions[0].level is Level.EMERGENCY
        clock = app.clock
        assert isinstance(clock, FakeClock)
        clock.advance(2)
        await pilot.press("y")
        await wait_for(pilot, OutcomeScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize("keys", [("s",), ("t",), ("c",), ("l",), ("p",), ("question_mark",)])
async def test_q_quits_from_the_screens_home_opens(
    coach: Coach, clock: FakeClock, keys: tuple[str, ...], store: Store
) -> None:
    add_pain(store, 3, clock.now() - timedelta(hours=1), PainContext.CHECK_IN)
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.pause()
        opened = type(app.screen).__name__
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running, f"q on {opened}"
