"""Clinic mode, as a physio uses it: straight to the exercise, driven from the keyboard, and
nothing about anyone kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.pilot.drive import screen_text, text_of, wait_for
from tests.support import Cli
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from spasm_coach.clock import Clock, FakeClock
from spasm_coach.content import Content
from spasm_coach.session import Phase, Status
from spasm_coach.speech import FakeSpeaker
from spasm_coach.tui.clinic import ClinicApp
from spasm_coach.tui.dialogs.exercises import ExerciseChoiceScreen, LeaveDemoScreen
from spasm_coach.tui.screens.presenter import BANNER, PresenterScreen
from spasm_coach.tui.widgets.bigtext import BigText
from spasm_coach.tui.widgets.countdown import Countdown


@pytest.fixture
def cli_clock(clock: FakeClock) -> Clock:
    return clock


DemoApp = Callable[..., ClinicApp]
"""The `demo_app` fixture: demo_app("--exercise", "cobra") builds the demo's app, not yet run."""


@pytest.fixture
def demo_app(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> DemoApp:
    """demo_app("--exercise", "cobra"): the app `spasm-coach demo ...` builds, not yet run."""

    def build(*args: str) -> ClinicApp:
        built: list[ClinicApp] = []

        def keep(app: ClinicApp) -> None:
            built.append(app)

        monkeypatch.setattr(ClinicApp, "run", keep)
        result = cli("demo", *args)
        assert result.code == 0, result.err
        return built[0]

    return build


def presenter(pilot: Pilot) -> PresenterScreen:
    screen = pilot.app.screen
    assert isinstance(screen, PresenterScreen)
    return screen


async def beat(pilot: Pilot, clock: FakeClock, seconds: float) -> None:
    """Move the fake clock on a second at a time, beating the presenter's heart at each."""
    for _ in range(int(seconds)):
        clock.advance(1)
        presenter(pilot).heartbeat()
    await pilot.pause()


async def test_demo_exercise_cobra_is_a_running_hold_after_one_key_and_keeps_nothing(
    demo_app: DemoApp, clock: FakeClock, home: Path
) -> None:
    app = demo_app("--exercise", "cobra")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = presenter(pilot)
        assert screen.runner is not None
        assert screen.runner.step.exercise.id == "cobra"
        assert screen.runner.status is Status.RUNNING
        assert "Cobra" in text_of(screen.query_one("#presenter-title", Static))
        assert BANNER in screen_text(screen)
        await pilot.press("right")  # one key: past getting ready, into the hold
        assert screen.runner.step.phase is Phase.HOLD
        assert screen.runner.step.exercise.id == "cobra"
        assert screen.runner.status is Status.RUNNING
        held = screen.runner.step.seconds
        assert screen.query_one(Countdown).seconds == held
        await beat(pilot, clock, 3)
        assert screen.query_one(Countdown).seconds == held - 3
        await pilot.press("q")
    assert not home.exists(), "clinic mode wrote to the data folder"


async def test_with_no_key_the_hold_follows_getting_ready(
    demo_app: DemoApp, clock: FakeClock, content: Content
) -> None:
    app = demo_app("--exercise", "cobra")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = presenter(pilot)
        assert screen.runner is not None
        prepare = screen.runner.step
        assert prepare.phase is Phase.PREPARE
        await beat(pilot, clock, prepare.seconds)
        assert screen.runner.step.phase is Phase.HOLD
        assert screen.query_one("#presenter-word", BigText).text == "HOLD"


async def test_the_physio_jumps_steps_back_and_forward_and_restarts(
    demo_app: DemoApp, clock: FakeClock
) -> None:
    app = demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = presenter(pilot)
        names = [planned.exercise.name for planned in screen.plan.exercises]
        assert screen.plan.routine.id == "standard"

        await pilot.press("3")
        assert screen.runner is not None
        assert screen.runner.step.exercise.name == names[2]
        await pilot.press("right_square_bracket")
        assert screen.runner.step.exercise.name == names[3]
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.runner.step.exercise.name == names[1]

        await pilot.press("right", "right")
        moved_on = screen.runner.step_index
        await pilot.press("left")
        assert screen.runner.step_index == moved_on - 1

        await beat(pilot, clock, 2)
        await pilot.press("r")
        first = screen.runner.step
        assert (first.exercise.name, first.phase) == (names[1], Phase.PREPARE)
        assert screen.query_one(Countdown).seconds == first.seconds

        await pilot.press("g")
        chooser = await wait_for(pilot, ExerciseChoiceScreen)
        listed = chooser.query_one(OptionList)
        shown = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert shown == [f"{number}  {name}" for number, name in enumerate(names, start=1)]
        await pilot.press("down", "enter")
        await wait_for(pilot, PresenterScreen)
        assert screen.runner.step.exercise.name == names[2]

        await pilot.press("space")
        assert screen.runner.status is Status.PAUSED
        assert screen.query_one("#presenter-word", BigText).text == "PAUSED"
        await pilot.press("space")
        assert screen.runner.status is Status.RUNNING


async def test_instructions_come_and_go_with_one_key(demo_app: DemoApp, content: Content) -> None:
    app = demo_app("--exercise", "knee-to-chest")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        screen = presenter(pilot)
        panel = screen.query_one("#presenter-instructions")
        assert not panel.display
        await pilot.press("i")
        assert panel.display
        how = text_of(screen.query_one("#presenter-how", Static))
        exercise = content.exercises["knee_to_chest"]
        assert exercise.feel in how
        await pilot.press("i")
        assert not panel.display


async def test_this_hurts_stops_at_once(demo_app: DemoApp, clock: FakeClock) -> None:
    app = demo_app("--exercise", "cat-cow")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = presenter(pilot)
        await pilot.press("h")
        assert screen.runner is not None
        assert screen.runner.status is Status.STOPPED
        assert screen.query_one("#presenter-word", BigText).text == "STOPPED"
        assert "it hurt" in text_of(screen.query_one("#presenter-detail", Static))
        await beat(pilot, clock, 30)
        assert screen.runner.status is Status.STOPPED
        await pilot.press("r")
        assert screen.runner.status is Status.RUNNING


async def test_a_routine_file_and_its_own_exercise_can_be_shown(
    demo_app: DemoApp, tmp_path: Path
) -> None:
    routine = tmp_path / "jones.toml"
    routine.write_text(
        'id = "jones"\nname = "Mrs Jones: week 1"\ndescription = "Two moves."\n'
        '[[exercise]]\nid = "wall_slide"\nname = "Wall slide"\nsummary = "Thighs, not back."\n'
        'start_position = ["Stand with your back to a wall."]\n'
        'movement = ["Slide down a hand\'s width, then up."]\n'
        'feel = "Thighs working, back easy."\nstop_if = ["Pain spreads down a leg."]\n'
        "[exercise.dose]\nrepetitions = 5\nhold_seconds = 5\nrest_seconds = 5\n"
        '[[step]]\nexercise = "cat_cow"\nrepetitions = 5\n'
        '[[step]]\nexercise = "wall_slide"\n'
    )
    app = demo_app("--routine", str(routine), "--exercise", "wall_slide")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = presenter(pilot)
        title = text_of(screen.query_one("#presenter-title", Static))
        assert "Wall slide" in title
        assert "Mrs Jones: week 1" in title
        assert "exercise 2 of 2" in title


async def test_an_exercise_outside_the_routine_is_shown_on_its_own(demo_app: DemoApp) -> None:
    app = demo_app("--exercise", "bridge")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = presenter(pilot)
        assert [p.exercise.id for p in screen.plan.exercises] == ["bridge"]


def test_a_misspelt_exercise_names_the_closest_one(cli: Cli, home: Path) -> None:
    result = cli("demo", "--exercise", "cobr")
    assert result.code == 2
    assert "did you mean 'cobra'?" in result.err
    assert not home.exists()


async def test_spoken_cues_only_when_the_physio_turns_them_on(
    clock: FakeClock, content: Content
) -> None:
    speaker = FakeSpeaker()
    app = ClinicApp(content.routines["standard"], clock=clock, speaker=speaker)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right")
        assert speaker.said == []
        await pilot.press("v", "right")
        assert speaker.said, "a cue is spoken once the voice is on"


def test_coach_demo_is_the_same_as_demo(
    demo_app: DemoApp, cli: Cli, monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    built: list[ClinicApp] = []

    def keep(app: ClinicApp) -> None:
        built.append(app)

    monkeypatch.setattr(ClinicApp, "run", keep)
    assert cli("coach", "--demo").code == 0
    assert [type(app) for app in built] == [ClinicApp]
    assert not home.exists()


async def test_esc_asks_before_the_demonstration_closes(
    demo_app: DemoApp, clock: FakeClock
) -> None:
    """On a shared screen or in a browser tab Esc is pressed for other things (leaving full
    screen): it asks, and the demonstration runs on underneath until the physio says quit."""
    app = demo_app("--exercise", "cobra")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("right")
        running = presenter(pilot)
        held = running.query_one(Countdown).seconds
        await pilot.press("escape")
        question = await wait_for(pilot, LeaveDemoScreen)
        assert "Quit the demonstration?" in screen_text(question)
        clock.advance(2)
        running.heartbeat()
        await pilot.press("escape")  # Esc again: stay
        assert presenter(pilot) is running
        assert running.query_one(Countdown).seconds == held - 2
        assert app.is_running

        await pilot.press("escape")
        await wait_for(pilot, LeaveDemoScreen)
        await pilot.press("n")
        assert presenter(pilot) is running
        await pilot.press("escape")
        await wait_for(pilot, LeaveDemoScreen)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_q_still_quits_the_demonstration_at_once(demo_app: DemoApp) -> None:
    app = demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
