"""Spoken cues, for a person who can't see the screen: what is said, in order, over a whole
two-exercise session on the fake clock."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.pilot.drive import (
    advance,
    answer_all_no,
    give_pain,
    start_app,
    start_session,
    wait_for,
)
from tests.support import NONE_APPLY

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, Routine, RoutineStep
from spasm_coach.settings import Settings
from spasm_coach.speech import EngineSpeaker, FakeSpeaker, find_speaker
from spasm_coach.store import Store
from spasm_coach.tui.app import make_app
from spasm_coach.tui.screens.player import PlayerScreen
from spasm_coach.tui.screens.summary import SummaryScreen


def two_exercises(content: Content) -> Routine:
    knee, cat = content.exercises["knee_to_chest"], content.exercises["cat_cow"]
    steps = (
        RoutineStep(knee, replace(knee.dose, hold_seconds=8, repetitions=1, prepare_seconds=4)),
        RoutineStep(cat, replace(cat.dose, repetitions=2, prepare_seconds=4)),
    )
    return Routine("spoken", "Spoken cues", "Two exercises.", steps, ())


def three_kinds(content: Content) -> Routine:
    """A still hold on both sides, a still hold paced by the breath, and movement with it."""
    knee, child, cat = (content.exercises[i] for i in ("knee_to_chest", "childs_pose", "cat_cow"))
    steps = (
        RoutineStep(
            knee,
            replace(knee.dose, hold_seconds=8, repetitions=2, rest_seconds=3, prepare_seconds=4),
        ),
        RoutineStep(child, replace(child.dose, hold_seconds=20, repetitions=1, prepare_seconds=4)),
        RoutineStep(cat, replace(cat.dose, repetitions=2, prepare_seconds=4)),
    )
    return Routine("spoken", "Spoken cues", "Three kinds of step.", steps, ())


async def test_a_whole_session_says_each_step_with_its_side_repetition_and_breath_on_time(
    content: Content, clock: FakeClock, store: Store
) -> None:
    """Each cue at its moment, in seconds from the start: the hold's word, side and repetition
    as it begins, each breath as the pacer turns, the last three seconds, and the end, which
    is never cut off."""
    speaker = FakeSpeaker(clock=clock)
    app = make_app(
        store,
        clock,
        content=content,
        settings=Settings(region="uk", cautions=NONE_APPLY, speech=True),
        routine=three_kinds(content),
        speaker=speaker,
    )
    knee, child, cat = (content.exercises[i] for i in ("knee_to_chest", "childs_pose", "cat_cow"))
    async with start_app(app) as pilot:
        await pilot.press("s")
        await answer_all_no(pilot, content)
        await give_pain(pilot, 3, "before-session")
        player = await wait_for(pilot, PlayerScreen)
        start = clock.monotonic()
        assert player.plan.total_seconds == 94
        await advance(pilot, clock, 95, step=0.25)
        await give_pain(pilot, 2, "after-session")
        await wait_for(pilot, SummaryScreen)
    heard = [(at - start, words) for at, words in speaker.heard]
    assert heard == [
        (0, f"{knee.name}. {' '.join(knee.start_position)}"),
        (4, "Hold. Left side. Rep 1 of 2."),
        (9, "3"),
        (10, "2"),
        (11, "1"),
        (12, "Rest."),
        (15, "Hold. Left side. Rep 2 of 2."),
        (20, "3"),
        (21, "2"),
        (22, "1"),
        (23, "Switch to the right side."),
        (27, "Hold. Right side. Rep 1 of 2."),
        (32, "3"),
        (33, "2"),
        (34, "1"),
        (35, "Rest."),
        (38, "Hold. Right side. Rep 2 of 2."),
        (43, "3"),
        (44, "2"),
        (45, "1"),
        (46, f"{child.name}. {' '.join(child.start_position)}"),
        (50, "Hold. Breathe in."),  # 4 s in, 6 s out
        (54, "Breathe out."),
        (60, "Breathe in."),
        (64, "Breathe out."),
        (67, "3"),
        (68, "2"),
        (69, "1"),
        (70, f"{cat.name}. {' '.join(cat.start_position)}"),
        (74, "Breathe in. 1 of 2."),  # one breath a repetition: 5 s in, 5 s out
        (79, "Breathe out."),
        (84, "Breathe in. 2 of 2."),
        (89, "Breathe out."),
        (94, "Done. Well done."),  # and no stop after it: said whole
    ]


async def test_a_two_exercise_session_is_spoken_in_order(
    content: Content, clock: FakeClock, store: Store
) -> None:
    speaker = FakeSpeaker()
    app = make_app(
        store,
        clock,
        content=content,
        settings=Settings(region="uk", cautions=NONE_APPLY, speech=True, reduced_motion=True),
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
    assert speaker.said == [  # reduced motion: no pacer on screen, the breaths still said
        f"{knee.name}. {' '.join(knee.start_position)}",
        "Hold. Left side.",
        "3",
        "2",
        "1",
        "Switch to the right side.",
        "Hold. Right side.",
        "3",
        "2",
        "1",
        f"{cat.name}. {' '.join(cat.start_position)}",
        "Breathe in. 1 of 2.",
        "Breathe out.",
        "Breathe in. 2 of 2.",
        "Breathe out.",
        "Done. Well done.",
    ]


async def test_the_last_words_are_not_cut_off_but_stopping_because_it_hurts_silences(
    content: Content, clock: FakeClock, store: Store, tmp_path: Path
) -> None:
    """The real speaker runs the engine as a program: the session's end leaves "Done. Well
    done." running to its end; "this hurts" stops whatever is being said."""
    engine = EngineSpeaker("slow", ("sh", "-c", "sleep 30", "slow"))  # every cue lasts 30 s
    app = make_app(
        store,
        clock,
        content=content,
        settings=Settings(region="uk", cautions=NONE_APPLY, speech=True),
        routine=two_exercises(content),
        speaker=engine,
    )
    try:
        async with start_app(app) as pilot:
            player = await start_session(pilot, content)
            await advance(pilot, clock, player.plan.total_seconds + 1, step=0.5)
            await give_pain(pilot, 2, "after-session")
            await wait_for(pilot, SummaryScreen)
            done = engine._speaking
            assert done is not None
            assert isinstance(done.args, list | tuple)
            assert done.args[-1] == "Done. Well done."
            assert done.poll() is None, "the last cue was cut off"
            await pilot.press("escape")
            player = await start_session(pilot, content, before=5)
            await advance(pilot, clock, 1)
            speaking = engine._speaking
            assert speaking is not None
            assert speaking.poll() is None
            await pilot.press("h")
            assert speaking.wait(timeout=5) != 0, "still speaking after 'this hurts'"
    finally:
        for process in (done, engine._speaking):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()


async def test_no_voice_until_asked_and_v_turns_it_on_and_off(
    content: Content, clock: FakeClock, store: Store, tmp_path: Path
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
