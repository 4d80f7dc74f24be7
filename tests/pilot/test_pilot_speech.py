"""Spoken cues, for a person who can't see the screen: what is said, in order, over a whole
two-exercise session on the fake clock."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import NONE_APPLY
from tests.pilot.conftest import (
    advance,
    answer_all_no,
    give_pain,
    start_app,
    start_session,
    wait_for,
)

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, Routine, RoutineStep
from spasm_coach.settings import Settings
from spasm_coach.speech import FakeSpeaker, find_speaker
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.summary import SummaryScreen


def two_exercises(content: Content) -> Routine:
    knee, cat = content.exercises["knee_to_chest"], content.exercises["cat_cow"]
    steps = (
        RoutineStep(knee, replace(knee.dose, hold_seconds=5, repetitions=1, prepare_seconds=4)),
        RoutineStep(cat, replace(cat.dose, repetitions=2, prepare_seconds=4)),
    )
    return Routine("spoken", "Spoken cues", "Two exercises.", steps, ())


async def test_a_two_exercise_session_is_spoken_in_order(
    content: Content, clock: FakeClock, store: Store
) -> None:
    speaker = FakeSpeaker()
    app = make_app(
        store,
        clock,
        content=content,
        settings=Settings(region="uk", cautions=NONE_APPLY, speech=True),
        routine=two_exercises(content),
        speaker=speaker,
    )
    knee, cat = content.exercises["knee_to_chest"], content.exercises["cat_cow"]
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        await advance(pilot, clock, player.plan.total_seconds + 1, step=0.5)
        await give_pain(pilot, 2, "after-session")
        await wait_for(pilot, SummaryScreen)
    assert speaker.said == [
        f"{knee.name}. {' '.join(knee.start_position)}",
        "Hold.",
        "3",
        "2",
        "1",
        "Switch to the right side.",
        "Hold.",
        "3",
        "2",
        "1",
        f"{cat.name}. {' '.join(cat.start_position)}",
        "Move.",
        "Move.",
        "Done. Well done.",
    ]


async def test_no_voice_until_asked_and_v_turns_it_on_and_off(
    content: Content, clock: FakeClock, store: Store, tmp_path
) -> None:
    speaker = FakeSpeaker()
    app = make_app(
        store,
        clock,
        tmp_path / "settings.toml",
        content=content,
        settings=Settings(region="uk", cautions=NONE_APPLY),
        routine=two_exercises(content),
        speaker=speaker,
    )
    async with start_app(app) as pilot:
        player = await start_session(pilot, content)
        await advance(pilot, clock, 5)
        assert speaker.said == []  # off unless the person turns it on
        await pilot.press("v")
        assert app.settings.speech is True
        await advance(pilot, clock, 5)
        assert "3" in speaker.said
        await pilot.press("v")
        said = len(speaker.said)
        await advance(pilot, clock, 10)
        assert len(speaker.said) == said
        assert player.running
    assert "speech = false" in (tmp_path / "settings.toml").read_text()


def test_a_speech_engine_already_on_the_computer_is_found_never_installed() -> None:
    found = find_speaker(lambda program: f"/usr/bin/{program}" if program == "say" else None)
    assert found is not None
    assert (found.name, found.command) == ("say", ("/usr/bin/say",))
    assert find_speaker(lambda program: None) is None
