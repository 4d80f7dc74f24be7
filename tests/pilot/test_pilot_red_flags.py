"""The red-flag gate: it stops at the first emergency sign, keeps every yes, remembers the day,
and is light enough to live with (a quick check between full ones)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.pilot.drive import (
    READ,
    answer_all_no,
    answer_keys,
    give_pain,
    quick_check,
    screen_text,
    start_app,
    start_session,
    text_of,
    visible_text,
    wait_for,
)
from tests.support import NONE_APPLY
from textual.pilot import Pilot
from textual.widgets import Static

from spasm_coach.advice import card as regional_card
from spasm_coach.clock import FakeClock
from spasm_coach.content import Content
from spasm_coach.settings import Settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp, make_app
from spasm_coach.tui.dialogs.pain import PainScoreScreen
from spasm_coach.tui.dialogs.region import RegionScreen
from spasm_coach.tui.flow import NOT_FINISHED, RESCREEN_INTRO
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen, QuickCheckScreen, RedFlagScreen
from spasm_coach.tui.screens.safety import ClearanceScreen, StopForTodayScreen
from spasm_coach.tui.screens.summary import SummaryScreen
from spasm_coach.vocabulary import CheckKind, Level, NoteKind, QuickAnswer

Coach = Callable[..., CoachApp]
PHONE_NUMBERS = re.compile(r"\b(999|911|112|111|000|811)\b")


def emergency_flags(content: Content) -> list[str]:
    return [flag.id for flag in content.flags if flag.level is Level.EMERGENCY]


async def press_until(pilot: Pilot, clock: FakeClock, keys: list[str]) -> None:
    """Each key once the question it answers has been read."""
    for key in keys:
        clock.advance(READ)
        await pilot.press(key)


# --- stop at once --------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["first", "last"])
async def test_an_emergency_sign_ends_the_check_at_once_and_is_saved(
    coach: Coach,
    content: Content,
    store: Store,
    players: list[PlayerScreen],
    which: str,
    clock: FakeClock,
) -> None:
    ids = emergency_flags(content)
    flag_id = ids[0] if which == "first" else ids[-1]
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        position = [flag.id for flag in check.questions].index(flag_id)
        await answer_keys(pilot, clock, [*["n"] * position, "y"])
        outcome = await wait_for(pilot, OutcomeScreen)
        assert text_of(outcome.query_one("#outcome-title", Static)).startswith("EMERGENCY")
        assert "Emergency number: 999" in text_of(outcome.query_one("#outcome-number", Static))
        ces = regional_card(content.ces_card, content.regions["uk"])
        assert ces.title in text_of(outcome.query_one("#ces-card", Static))
        assert content.flags_by_id[flag_id].question in screen_text(outcome)
        (saved,) = store.screenings()  # saved the moment the sign was reported
        assert (saved.level, saved.flags, saved.complete) == (Level.EMERGENCY, (flag_id,), False)
        assert len(saved.answers) == position + 1
        await pilot.press("enter")  # Enter never goes on from an emergency
        await wait_for(pilot, HomeScreen)
    assert players == []
    assert list(store.sessions()) == []


async def test_a_yes_then_leaving_saves_the_check_and_shows_its_card(
    coach: Coach, content: Content, store: Store, players: list[PlayerScreen], clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        fever = [flag.id for flag in check.questions].index("fever")
        await answer_keys(pilot, clock, [*["n"] * fever, "y", "n", "escape"])
        outcome = await wait_for(pilot, OutcomeScreen)
        assert text_of(outcome.query_one("#outcome-title", Static)).startswith("URGENT")
        assert "no stretches until it is" in screen_text(outcome)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
    (saved,) = store.screenings()
    assert (saved.level, saved.flags, saved.complete) == (Level.URGENT, ("fever",), False)
    assert len(saved.answers) == fever + 2
    assert players == []


async def test_leaving_a_check_with_no_yes_saves_nothing_and_says_so(
    coach: Coach, store: Store, players: list[PlayerScreen], clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        screen = await wait_for(pilot, RedFlagScreen)
        await answer_keys(pilot, clock, ["n", "n", "b"])
        assert screen.index == 1
        assert "You answered no before" in screen_text(screen)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        assert NOT_FINISHED in [notice.message for notice in app.notices]
    assert players == []
    assert list(store.screenings()) == []
    assert list(store.sessions()) == []


async def test_quitting_after_a_yes_shows_the_card_then_closes(
    coach: Coach, store: Store, clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        fever = [flag.id for flag in check.questions].index("fever")
        await answer_keys(pilot, clock, [*["n"] * fever, "y"])
        await pilot.press("ctrl+c")
        await wait_for(pilot, OutcomeScreen)
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert not app.is_running
    assert store.last_screening().level is Level.URGENT


async def test_urgent_means_no_session_today(
    coach: Coach, content: Content, store: Store, players: list[PlayerScreen]
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"fever"})
        outcome = await wait_for(pilot, OutcomeScreen)
        assert "No stretches today" in text_of(outcome.query_one("#outcome-number", Static))
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
    assert players == []
    screening = store.last_screening()
    assert screening is not None
    assert screening.level is Level.URGENT


async def test_soon_shows_the_note_and_enter_goes_on(
    coach: Coach, content: Content, store: Store, players: list[PlayerScreen]
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"not_improving"})
        outcome = await wait_for(pilot, OutcomeScreen)
        assert not outcome.query("#outcome-number")
        await pilot.press("enter")
        await give_pain(pilot, 3, "before-session")
        await wait_for(pilot, PlayerScreen)
    screening = store.last_screening()
    assert screening is not None
    assert (screening.level, screening.complete) == (Level.SOON, True)
    (session,) = store.sessions()
    assert session.screening_uid == screening.uid


# --- a quick check between full ones ----------------------------------------------------------


async def test_the_second_session_of_the_day_takes_four_keys_to_the_first_stretch(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        player = await start_session(pilot, content)
        await pilot.press("x")
        await give_pain(pilot, 3, "after-session")
        await wait_for(pilot, SummaryScreen)
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        clock.advance(4 * 3600)

        keys = ["s", "n", "n", "4"]  # start, no signs, nothing new, the score
        await pilot.press(keys[0])
        await wait_for(pilot, QuickCheckScreen)
        await press_until(pilot, clock, keys[1:])
        player = await wait_for(pilot, PlayerScreen)
        assert player.running
    assert len(keys) == 4
    quick_saved = store.last_screening()
    assert quick_saved is not None
    assert (quick_saved.kind, quick_saved.level, quick_saved.complete) == (
        CheckKind.QUICK,
        Level.CLEAR,
        True,
    )
    assert dict(quick_saved.answers) == {
        QuickAnswer.EMERGENCY_SIGNS.value: False,
        QuickAnswer.ANYTHING_NEW.value: False,
    }
    last = store.last_session()
    assert last is not None
    assert last.screening_uid == quick_saved.uid


async def test_the_quick_check_lists_the_emergency_signs_and_names_the_last_check(
    coach: Coach, content: Content, clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("x")
        await give_pain(pilot, 3)
        await wait_for(pilot, SummaryScreen)
        await pilot.press("enter")
        clock.advance(3 * 3600)
        await pilot.press("s")
        quick = await wait_for(pilot, QuickCheckScreen)
        shown = screen_text(quick)
        assert content.quick_check.signs_question in shown
        for sign in content.quick_check.signs:
            assert content.flags_by_id[sign].short in shown
        clock.advance(READ)
        await pilot.press("n")
        assert "since your check at 09:00" in screen_text(quick)


async def test_a_yes_to_anything_new_runs_the_full_check(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("x")
        await give_pain(pilot, 3)
        await pilot.press("enter")
        clock.advance(3 * 3600)
        await pilot.press("s")
        await quick_check(pilot, anything_new=True)
        await wait_for(pilot, RedFlagScreen)
        await answer_all_no(pilot, content)
        await give_pain(pilot, 4, "before-session")
        await wait_for(pilot, PlayerScreen)
    kinds = [screening.kind for screening in store.screenings()]
    assert kinds == [CheckKind.FULL, CheckKind.FULL]  # no quick check saved on a 'yes, new'


async def test_a_yes_to_the_signs_on_the_quick_check_is_an_emergency(
    coach: Coach, content: Content, clock: FakeClock, store: Store, players: list[PlayerScreen]
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("x")
        await give_pain(pilot, 3)
        await pilot.press("enter")
        clock.advance(3 * 3600)
        await pilot.press("s")
        await quick_check(pilot, signs=True)
        outcome = await wait_for(pilot, OutcomeScreen)
        assert text_of(outcome.query_one("#outcome-title", Static)).startswith("EMERGENCY")
        assert "You said yes to one of these" in screen_text(outcome)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
    saved = store.last_screening()
    assert saved is not None
    assert (saved.kind, saved.level) == (CheckKind.QUICK, Level.EMERGENCY)
    assert len(players) == 1  # only the first session's player


async def test_a_new_day_needs_the_full_check_again(
    coach: Coach, content: Content, clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("x")
        await give_pain(pilot, 3)
        await pilot.press("enter")
        clock.advance(24 * 3600)
        await pilot.press("s")
        await wait_for(pilot, RedFlagScreen)


# --- questions that fit the moment -------------------------------------------------------------


async def test_exercises_making_it_worse_is_asked_only_after_a_recent_session(
    coach: Coach, content: Content, clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        first = await wait_for(pilot, RedFlagScreen)
        asked = [flag.id for flag in first.questions]
        assert "exercise_made_worse" not in asked
        assert "pregnant" not in asked  # the cautions (none) already answered it
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3)
        await wait_for(pilot, PlayerScreen)
        await pilot.press("x")
        await give_pain(pilot, 3)
        await pilot.press("enter")
        clock.advance(24 * 3600)  # a new day: the full check again, now after a session
        await pilot.press("s")
        second = await wait_for(pilot, RedFlagScreen)
        assert "exercise_made_worse" in [flag.id for flag in second.questions]


async def test_pregnancy_from_the_cautions_is_known_not_a_card_every_day(
    coach: Coach, content: Content, store: Store
) -> None:
    """A caution first (CLINICAL.md section 7): known from the cautions, pregnancy is logged
    but brings no 'soon' card every day; its warning signs are asked instead."""
    app = coach(settings=Settings(region="uk", cautions={"pregnancy": True}))
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        asked = [flag.id for flag in check.questions]
        assert "pregnant" not in asked
        assert "pregnancy_warning_signs" in asked
        await answer_all_no(pilot, content)
        await wait_for(pilot, PainScoreScreen)  # clear: no card, straight on
    saved = store.last_screening()
    assert saved is not None
    assert saved.answers["pregnant"] is True
    assert saved.answers["pregnancy_warning_signs"] is False
    assert "pregnant" in saved.inferred
    assert saved.level is Level.CLEAR


async def test_saying_pregnant_shows_the_midwife_card_once_and_asks_the_warning_signs(
    coach: Coach, content: Content, store: Store
) -> None:
    app = coach(settings=Settings(region="uk"))
    async with start_app(app) as pilot:
        await pilot.press("s")
        await wait_for(pilot, RedFlagScreen)
        await answer_all_no(pilot, content, yes={"pregnant"})
        outcome = await wait_for(pilot, OutcomeScreen)
        shown = screen_text(outcome)
        assert "SOON: IN PREGNANCY THE STRETCHES CHANGE; TELL YOUR MIDWIFE" in shown
        assert content.flags_by_id["pregnant"].question in shown
    saved = store.last_screening()
    assert saved is not None
    assert saved.answers["pregnancy_warning_signs"] is False  # asked, right after
    assert saved.level is Level.SOON


async def test_a_no_to_pregnant_skips_its_warning_signs(
    coach: Coach, content: Content, store: Store
) -> None:
    app = coach(settings=Settings(region="uk"))
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        total = len(check.questions) - 1  # the warning signs are not asked
        assert f"of {total}" in text_of(check.query_one("#questions-count", Static))
        await answer_all_no(pilot, content)
    screening = store.last_screening()
    assert screening is not None
    assert "pregnancy_warning_signs" not in screening.answers


async def test_without_cautions_pregnancy_is_asked(coach: Coach) -> None:
    app = coach(settings=Settings(region="uk"))
    async with start_app(app) as pilot:
        await pilot.press("s")
        check = await wait_for(pilot, RedFlagScreen)
        assert "pregnant" in [flag.id for flag in check.questions]


# --- the day remembers -------------------------------------------------------------------------


async def test_after_an_emergency_home_shows_the_card_and_a_session_needs_the_all_clear(
    coach: Coach, content: Content, clock: FakeClock, store: Store, players: list[PlayerScreen]
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"saddle_numbness"})
        await wait_for(pilot, OutcomeScreen)
        await pilot.press("escape")
        home = await wait_for(pilot, HomeScreen)
        clock.advance(60)
        home.refresh_today()
        card = text_of(home.query_one("#home-card", Static))
        assert "EMERGENCY" in card
        assert "Emergency number: 999" in card
        assert home.shows_safety_card

        await pilot.press("s")  # answering no to everything a minute later is not enough
        clearance = await wait_for(pilot, ClearanceScreen)
        assert "doctor or nurse" in screen_text(clearance)
        await pilot.press("n")
        await wait_for(pilot, HomeScreen)
        assert players == []

        await pilot.press("s")
        await wait_for(pilot, ClearanceScreen)
        clock.advance(READ)
        await pilot.press("y")
        # The check that found the sign stopped there: the full check, not the quick one.
        await wait_for(pilot, RedFlagScreen)
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3, "before-session")
        await wait_for(pilot, PlayerScreen)
    (note,) = store.safety_notes()
    assert note.kind is NoteKind.CLEARED
    assert note.screening_uid == next(iter(store.screenings())).uid
    assert len(players) == 1


async def test_a_warning_sign_is_still_there_the_next_day(
    coach: Coach, content: Content, clock: FakeClock
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"fever"})
        await wait_for(pilot, OutcomeScreen)
        await pilot.press("escape")
        home = await wait_for(pilot, HomeScreen)
        assert home.shows_safety_card
        clock.advance(24 * 3600)
        home.refresh_today()
        assert home.shows_safety_card  # until a clinician's all-clear, not until midnight
        await pilot.press("s")
        await wait_for(pilot, ClearanceScreen)


async def test_after_stop_for_today_only_breathing_and_relaxing_is_offered(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content, before=4)
        await pilot.press("h")  # this hurts
        await give_pain(pilot, 8, "during-session")
        await quick_check(pilot)
        summary = await wait_for(pilot, SummaryScreen)
        assert "Stretching is done for today" in screen_text(summary)
        assert summary.shows_safety_card
        assert "No warning signs" not in visible_text(app)  # no toast over the card
        await pilot.press("enter")
        home = await wait_for(pilot, HomeScreen)
        assert "Stretching is done for today" in text_of(home.query_one("#home-card", Static))

        clock.advance(3600)
        await pilot.press("s")
        stop = await wait_for(pilot, StopForTodayScreen)
        assert "your pain was 8/10" in screen_text(stop)
        await pilot.press("r")
        await quick_check(pilot)
        await give_pain(pilot, 6, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        assert player.plan.routine.id == "relaxation"
    notes = [note.kind for note in store.safety_notes()]
    assert notes == [NoteKind.STOP_FOR_TODAY]
    last = store.last_session()
    assert last is not None
    assert last.routine_id == "relaxation"


async def test_a_high_check_in_score_rechecks_quickly_and_ends_stretching_today(
    coach: Coach, content: Content, clock: FakeClock, store: Store
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await start_session(pilot, content)
        await pilot.press("x")
        await give_pain(pilot, 3)
        await pilot.press("enter")
        clock.advance(600)
        await pilot.press("p")
        await give_pain(pilot, 8, "check-in")
        quick = await wait_for(pilot, QuickCheckScreen)
        assert RESCREEN_INTRO in screen_text(quick)
        await quick_check(pilot)
        home = await wait_for(pilot, HomeScreen)
        assert "Stretching is done for today" in text_of(home.query_one("#home-card", Static))
    last = store.last_screening()
    assert last is not None
    assert (last.kind, last.reason) == (CheckKind.QUICK, "high-or-rising-pain")
    assert [note.kind for note in store.safety_notes()] == [NoteKind.STOP_FOR_TODAY]


# --- region ------------------------------------------------------------------------------------


async def test_with_region_au_the_emergency_card_says_000_and_no_other_number(
    coach: Coach, content: Content
) -> None:
    app = coach(settings=Settings(region="au", cautions=NONE_APPLY))
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"bladder_change"})
        outcome = await wait_for(pilot, OutcomeScreen)
        shown = screen_text(outcome)
        assert "Emergency number: 000" in shown
        assert set(PHONE_NUMBERS.findall(shown)) == {"000"}


async def test_the_first_run_asks_the_region_suggesting_the_locales(
    store: Store,
    clock: FakeClock,
    content: Content,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    for name in ("LC_ALL", "LC_TELEPHONE", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_NZ.UTF-8")
    path = tmp_path / "settings.toml"
    app = make_app(store, clock, path, content=content, settings=Settings(cautions=NONE_APPLY))
    async with start_app(app) as pilot:
        dialog = await wait_for(pilot, RegionScreen)
        assert dialog.suggested == "nz"
        await pilot.press("enter")
        await wait_for(pilot, HomeScreen)
        assert app.settings.region == "nz"
    assert 'region = "nz"' in path.read_text()


async def test_a_region_the_content_does_not_know_is_asked_again(
    store: Store, clock: FakeClock, content: Content
) -> None:
    app = make_app(
        store, clock, content=content, settings=Settings(region="any", cautions=NONE_APPLY)
    )
    async with start_app(app) as pilot:
        await wait_for(pilot, RegionScreen)
        await pilot.press("5")  # Australia, in the file's order
        await wait_for(pilot, HomeScreen)
        assert app.settings.region == list(content.regions)[4]


# --- nothing covers a card ----------------------------------------------------------------------


async def test_a_notification_waits_while_a_safety_card_is_up(
    coach: Coach, content: Content
) -> None:
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content, yes={"fever"})
        await wait_for(pilot, OutcomeScreen)
        app.notify("A reminder that must not cover the card", title="Reminder")
        await pilot.pause()
        assert "must not cover" not in visible_text(app)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert home.shows_safety_card  # the warning sign stands on home until it is cleared
        assert "must not cover" in text_of(home.query_one("#home-notice", Static))
        assert app.notices[-1].message == "A reminder that must not cover the card"


# --- keys ---------------------------------------------------------------------------------------


async def test_a_stray_enter_answers_no_red_flag_question(coach: Coach, clock: FakeClock) -> None:
    """There is no default answer: Enter leaves the first question unanswered."""
    app = coach()
    async with start_app(app) as pilot:
        await pilot.press("s")
        screen = await wait_for(pilot, RedFlagScreen)
        await pilot.press("enter")
        assert screen.asked == {}
        assert screen.index == 0
        clock.advance(READ)
        await pilot.press("n")
        await pilot.press("enter")
        assert screen.asked == {screen.questions[0].id: False}


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
