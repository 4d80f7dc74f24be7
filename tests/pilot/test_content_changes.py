"""Changes a clinician makes to data/, each in one file, run through the coach.

In a copy of the shipped data/, a region is added (South Africa, whose ambulance number 10177 has
five digits) and the standard routine gets a fifth exercise; then the command line and the TUI
run on the copy with everything working. No other test pins the shipped regions or routines, so
the same change in data/ itself breaks nothing but what it means to change.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.pilot.drive import (
    advance,
    give_pain,
    screen_text,
    start_app,
    start_session,
    text_of,
    wait_for,
)
from tests.region_check import assert_only_its_own
from tests.support import NONE_APPLY, Result
from textual.widgets import Static

from spasm_coach.clock import FakeClock
from spasm_coach.content import Content, Exercise, guess_region, load_content
from spasm_coach.content import builtin as content_builtin
from spasm_coach.paths import content_dir, settings_path
from spasm_coach.settings import Settings, save_settings
from spasm_coach.store import Store
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.screens.help import HelpScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.summary import SummaryScreen
from spasm_coach.vocabulary import EventKind

SOUTH_AFRICA = """
[regions.za]
name = "South Africa"
emergency = "10177"
emergency_note = "112 also works from a mobile phone."
emergency_place = "the emergency unit"
doctor = "your doctor"
urgent = "your doctor, or the nearest community health centre"
service_names = ["emergency unit", "community health centre"]
territories = ["ZA"]
source = ["ZA-EMS"]

[sources.ZA-EMS]
title = "South African Government: emergency services"
url = "https://www.gov.za/"
"""
"""A region as a clinician adds it: its words, numbers and own source, in regions.toml alone."""


@dataclass(frozen=True)
class Changed:
    content: Content
    shipped: Content
    fifth: Exercise
    """The exercise added to the standard routine."""


@pytest.fixture
def changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Changed:
    """A copy of data/ with the region and the fifth exercise added; the coach reads the copy."""
    shipped_root = content_dir()
    root = tmp_path / "data"
    shutil.copytree(shipped_root, root)
    shipped = load_content(shipped_root)
    standard = shipped.routines["standard"]
    in_routine = {step.exercise.id for step in standard.steps}
    fifth = next(item for item in shipped.exercises.values() if item.id not in in_routine)
    adds_region = "za" not in shipped.regions  # once data/ ships it, that change is made
    if adds_region:
        with (root / "regions.toml").open("a", encoding="utf-8") as regions:
            regions.write(SOUTH_AFRICA)
    with (root / "routines" / "standard.toml").open("a", encoding="utf-8") as routine:
        routine.write(f'\n[[step]]\nexercise = "{fifth.id}"\n')

    touched = [
        path.relative_to(root).as_posix()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.read_bytes() != (shipped_root / path.relative_to(root)).read_bytes()
    ]
    expected = ["regions.toml"] * adds_region + ["routines/standard.toml"]
    assert touched == expected, "one file for each change"
    monkeypatch.setattr(content_builtin, "content_dir", lambda: root)
    return Changed(load_content(), shipped, fifth)


def test_the_new_region_and_exercise_load(changed: Changed) -> None:
    content = changed.content
    south_africa = content.regions["za"]
    assert south_africa.emergency == "10177"
    assert set(content.regions) == {*changed.shipped.regions, "za"}
    assert guess_region(content, "en_ZA.UTF-8") == "za"
    own = set(south_africa.sources) - content.cited_for_advice
    assert own <= {source.id for source in content.sources_for(south_africa)}
    for other in content.regions.values():
        if other.id != "za":
            shown = {source.id for source in content.sources_for(other)}
            assert not (own - set(other.sources)) & shown, f"{other.id} sees South Africa's"
    steps = [step.exercise.id for step in content.routines["standard"].steps]
    shipped = [step.exercise.id for step in changed.shipped.routines["standard"].steps]
    assert steps == [*shipped, changed.fifth.id]


def test_the_command_line_runs_on_them(changed: Changed, cli: Callable[..., Result]) -> None:
    save_settings(settings_path(), Settings(region="za", cautions=NONE_APPLY))
    shown = cli("routines", "show", "standard")
    assert shown.code == 0, shown.err
    count = len(changed.content.routines["standard"].steps)
    assert f"{count}. {changed.fifth.name}" in shown.out
    assert "10177" in shown.out
    assert_only_its_own(changed.content, changed.content.regions["za"], "routines show", shown.out)
    listed = cli("routines", "list")
    assert listed.code == 0, listed.err
    assert cli("log", "4").code == 0


async def test_the_tui_runs_a_session_on_them(
    changed: Changed,
    coach: Callable[..., CoachApp],
    store: Store,
    clock: FakeClock,
) -> None:
    content = changed.content
    routine = content.routines["standard"]
    app = coach(
        content=content,
        routine=routine,
        settings=Settings(cautions=NONE_APPLY, region="za"),
    )
    async with start_app(app, size=(100, 40)) as pilot:
        await wait_for(pilot, HomeScreen)
        await pilot.press("question_mark")
        help_screen = await wait_for(pilot, HelpScreen)
        shown = screen_text(help_screen)
        assert "10177" in shown
        assert_only_its_own(content, content.regions["za"], "the help page", shown)
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)

        player = await start_session(pilot, content)
        title = text_of(player.query_one("#exercise-title", Static))
        assert f"exercise 1 of {len(routine.steps)}" in title
        await advance(pilot, clock, player.plan.total_seconds, step=5)
        await give_pain(pilot, 2, "after-session")
        summary = await wait_for(pilot, SummaryScreen)
        assert changed.fifth.name in screen_text(summary)
    (session,) = store.sessions()
    assert session.outcome == "finished"
    started = [
        e.exercise_id for e in store.events(session.uid) if e.kind == EventKind.EXERCISE_STARTED
    ]
    assert started == [step.exercise.id for step in routine.steps]
