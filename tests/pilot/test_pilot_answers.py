"""Safety answers given on purpose: yes, no or not answered, one question at a time, a held key
answering at most one, and every answer kept, even one changed with Back."""

from __future__ import annotations

import io
import json
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from tests.factory import add_screening, add_session
from tests.pilot.drive import (
    READ,
    answer_all_no,
    answer_keys,
    give_pain,
    screen_text,
    start_app,
    type_keys,
    visible_text,
    wait_for,
)
from textual.widgets import Select

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.export import export
from spasm_coach.records import AnswerChange
from spasm_coach.settings import Settings, load_settings, save_settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen, QuickCheckScreen, RedFlagScreen
from spasm_coach.tui.screens.settings import SettingsScreen
from spasm_coach.vocabulary import CONDITIONS, Level, ScreeningReason, SessionOutcome

Coach = Callable[..., CoachApp]


def fresh(path: Path) -> Settings:
    """A first run: the region chosen, no safety question answered yet."""
    save_settings(path, Settings(region="uk"))
    return load_settings(path)


# --- three states -------------------------------------------------------------------------------


async def test_saving_settings_writes_no_answer_that_was_not_given(
    coach: Coach, home: Path, content: Content, clock: FakeClock
) -> None:
    """Seen: region, c, Tab Tab Space, Ctrl+S recorded 'none' for the cautions and every heat/ice
    question; then the cautions were never asked and `t h Enter` started heat."""
    path = home / "settings.toml"
    app = coach(settings_path=path, settings=fresh(path))
    async with start_app(app) as pilot:
        await pilot.press("c")
        screen = await wait_for(pilot, SettingsScreen)
        await pilot.press("tab", "tab", "space", "ctrl+s")
        await wait_for(pilot, HomeScreen)
        saved = tomllib.loads(path.read_text())
        assert "cautions" not in saved
        assert "thermal_contraindications" not in saved
        assert not app.settings.cautions
        assert not app.settings.thermal_contraindications

        await pilot.press("c")
        screen = await wait_for(pilot, SettingsScreen)
        prompts = [str(select.prompt) for select in screen.query(Select)]
        assert prompts.count("Not answered yet") == len(CONDITIONS) + len(content.contraindications)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)

        await pilot.press("t", "h", "enter")
        await pilot.pause()
        assert app.thermal is None
        assert content.contraindications[0].question in screen_text(app.screen)


async def test_t_h_enter_enter_asks_the_first_heat_question_and_starts_nothing(
    coach: Coach, home: Path, content: Content
) -> None:
    """Seen: the heat/ice questions were a tick list with Save focused; two Enters started heat."""
    path = home / "settings.toml"
    app = coach(settings_path=path, settings=fresh(path))
    async with start_app(app, size=(100, 30)) as pilot:
        await pilot.press("t", "h", "enter", "enter")
        await pilot.pause()
        assert app.thermal is None
        assert content.contraindications[0].question in screen_text(app.screen)
        assert "Question 1 of" in visible_text(app)
        assert "thermal_contraindications" not in tomllib.loads(path.read_text())


# --- one question at a time, on purpose ---------------------------------------------------------


async def test_a_burst_of_30_n_answers_one_question_and_the_screen_says_so(
    coach: Coach, clock: FakeClock, store: Store
) -> None:
    """Seen: holding n answered the whole full check in under a second, saved as complete."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        clock.advance(READ)  # the first question has been read
        await type_keys(pilot, *["n"] * 30)
        assert len(check.asked) == 1
        assert check.index == 1
        assert "too quick" in screen_text(check).lower()
    assert list(store.screenings()) == []


# --- every answer kept --------------------------------------------------------------------------


async def test_back_after_a_yes_keeps_the_yes_in_the_log_export_and_card(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    """Seen: `b` after a yes to fever, then `n`: a session started and the log kept no trace."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        ids = [flag.id for flag in check.questions]
        fever = ids.index("fever")
        await answer_keys(pilot, clock, ["n"] * fever + ["y", "b", "n"])
        await answer_keys(pilot, clock, ["n"] * (len(ids) - fever - 1))
        card = await wait_for(pilot, OutcomeScreen)
        said = screen_text(card)
        assert "You changed your answer about" in said
        assert content.flags_by_id["fever"].short.lower() in said.lower()
        assert "get seen today" in said.lower()
        await pilot.press("enter")
        await give_pain(pilot, 3, "before-session")
        await wait_for(pilot, PlayerScreen)
    backup = io.StringIO()
    export(store, "json", backup, None, None, clock.now())
    (check_saved,) = json.loads(backup.getvalue())["screenings"]
    assert check_saved["answers"]["fever"] is False
    assert {"id": "fever", "from": True, "to": False} in check_saved["changes"]


async def test_a_check_records_how_long_it_took(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        asked = await answer_all_no(pilot, content, clock=clock)
        await give_pain(pilot, 3, "before-session")
    (saved,) = store.screenings()
    assert saved.seconds is not None
    assert saved.seconds >= len(asked) * READ  # each question read before its answer


async def test_a_no_to_the_signs_counts_only_once_every_sign_has_been_seen(
    coach: Coach, clock: FakeClock, store: Store
) -> None:
    """The quick check's answers stay in sight above the signs; when the signs don't all fit
    (longer words on a small screen), a no waits until the list has been read to its end."""
    add_screening(
        store, Level.CLEAR, (), {}, clock.now() - timedelta(hours=1), ScreeningReason.BEFORE_SESSION
    )
    app = coach()
    async with start_app(app, size=(60, 20)) as pilot:
        await pilot.press("s")
        quick = await wait_for(pilot, QuickCheckScreen)
        quick.query_one("#quick-signs-box").styles.height = 3
        await pilot.pause()
        clock.advance(READ)
        await pilot.press("n")
        assert quick.signs_answer is None
        assert "Some signs are below" in screen_text(quick)
        box = quick.query_one("#quick-signs-box")
        for _ in range(20):
            if box.scroll_y >= box.max_scroll_y:
                break
            await pilot.press("down")
        clock.advance(READ)
        await pilot.press("n")
        assert quick.signs_answer is False
        clock.advance(READ)
        await pilot.press("n")
        await give_pain(pilot, 3, "before-session")
    assert store.last_screening().kind == "quick"


async def test_a_question_no_longer_asked_keeps_its_answer_among_the_changes(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    """A yes to "Are you pregnant?" asks its warning signs; going back and changing it to no
    means they are no longer asked, and the answer given to them stays in the record."""
    session = add_session(store, "gentle", "Gentle", clock.now() - timedelta(days=1), None)
    store.end_session(session.uid, clock.now() - timedelta(days=1), SessionOutcome.FINISHED)
    app = coach(settings=Settings(region="uk"))
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        ids = [flag.id for flag in check.questions]
        assert ids[-1] == "exercise_made_worse"  # a session yesterday: asked after the signs
        pregnant = ids.index("pregnant")
        asked_before = [flag.id for flag in check.questions[:pregnant] if flag.ask_if_yes is None]
        await answer_keys(pilot, clock, ["n"] * len(asked_before) + ["y"])
        assert check.questions[check.index].id == "pregnancy_warning_signs"
        await answer_keys(pilot, clock, ["n", "b", "b"])
        assert check.questions[check.index].id == "pregnant"
        await answer_keys(pilot, clock, ["n"])
        assert check.questions[check.index].id != "pregnancy_warning_signs"
        left = [i for i in range(check.index, len(check.questions)) if check.asks(i)]
        await answer_keys(pilot, clock, ["n"] * len(left))
        await wait_for(pilot, OutcomeScreen)  # a changed answer is shown before going on
    saved = store.last_screening()
    assert saved is not None
    assert "pregnancy_warning_signs" not in saved.answers
    assert AnswerChange("pregnancy_warning_signs", False, None) in saved.changes
    assert AnswerChange("pregnant", True, False) in saved.changes
