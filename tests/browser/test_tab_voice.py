"""In browser mode the voice is where the person is: the tab speaks the cues (Web Speech API)
and rings the bell (Web Audio), the computer running `serve` stays silent, and the tab's title
carries the step and the heat or ice time left."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from tests.browser.tab import (
    Serve,
    a_check_this_morning,
    browser_tab,
    heard,
    into_the_session,
    press,
    wait_for_screen,
    wait_until,
)

from spasm_coach.content import load_content
from spasm_coach.cues import spoken
from spasm_coach.session import Phase, SessionRunner, plan_session
from spasm_coach.settings import Settings, save_settings
from spasm_coach.speech import ENGINES, find_speaker
from spasm_coach.store import Store
from spasm_coach.vocabulary import CONDITIONS

FAKE_ENGINE = """#!/bin/sh
echo "$0 $*" >> "{record}"
"""


@pytest.fixture
def silent_server_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A PATH whose speech engines only write down that they were asked to speak."""
    folder = tmp_path / "engines"
    folder.mkdir()
    record = tmp_path / "spoken-on-the-server.txt"
    for program, _ in ENGINES:
        engine = folder / program
        engine.write_text(FAKE_ENGINE.format(record=record))
        engine.chmod(0o755)
    path = f"{folder}{os.pathsep}{os.environ['PATH']}"
    found = find_speaker(lambda program: shutil.which(program, path=path))
    assert found is not None
    assert Path(found.command[0]).parent == folder, "the coach would use it"
    return {"PATH": path}, record


def first_hold_cue() -> list[str]:
    """What the coach's cue layer says as the standard routine's first hold begins."""
    content = load_content()
    plan = plan_session(content.routines["standard"], ())
    runner = SessionRunner(plan, 0.0)
    before = runner.view(0.0)
    runner.next_step(0.0)
    at_hold = runner.view(0.0)
    assert at_hold.step.phase is Phase.HOLD
    return spoken(before, at_hold, content.spoken)


def test_the_tab_speaks_the_cues_and_rings_and_the_server_stays_silent(
    chromium: str,
    serve: Serve,
    tmp_path: Path,
    home: Path,
    silent_server_env: tuple[dict[str, str], Path],
) -> None:
    env, spoken_on_server = silent_server_env
    home.mkdir()
    Store.open(home / "pain-log.sqlite3").close()
    cautions = dict.fromkeys(CONDITIONS, False)
    save_settings(home / "settings.toml", Settings(region="uk", cautions=cautions, speech=True))
    a_check_this_morning(home)
    server = serve(home, "--routine", "standard", env=env)
    expected = first_hold_cue()
    assert expected == ["Hold. Left side. Rep 1 of 3."]  # knee to chest, left side first
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "Start a stretch session")
        into_the_session(visit.page, quick=True)
        press(visit.page, "n")  # past getting ready, into the first hold
        wait_until(lambda: expected[-1] in heard(visit.page)["said"], f"the tab to say {expected}")
        wait_until(
            lambda: re.fullmatch(r"HOLD \d+ · spasm-coach", visit.page.title()),
            "the hold and its time left in the tab's title",
        )

        before = heard(visit.page)["bells"]
        for _ in range(8):  # through the reps on the left side to the switch (it rings)
            shown = visit.page.title()
            if "SWITCH" in shown:
                break
            press(visit.page, "n")
            word = shown.split()[0]
            wait_until(lambda w=word: visit.page.title().split()[0] != w, "the next step")
        assert "SWITCH SIDES" in visit.page.title()
        wait_until(lambda: heard(visit.page)["bells"] > before, "the tab to ring its bell")
        said = heard(visit.page)["said"]
    assert expected[-1] in said, said
    assert not spoken_on_server.exists(), spoken_on_server.read_text()
    assert not visit.errors


def test_the_tab_title_carries_the_heat_time_left(
    chromium: str, serve: Serve, tmp_path: Path, home: Path
) -> None:
    home.mkdir()
    settings = Settings(
        region="uk",
        cautions=dict.fromkeys(CONDITIONS, False),
        thermal_contraindications={item.id: False for item in load_content().contraindications},
    )
    save_settings(home / "settings.toml", settings)
    server = serve(home)
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "Start a stretch session")
        press(visit.page, "t")
        wait_for_screen(visit.page, "(h) Heat", "(i) Ice")
        press(visit.page, "h")
        wait_for_screen(visit.page, "(enter) Start")
        press(visit.page, "Enter")
        wait_until(lambda: "left" in visit.page.title(), "the heat time in the title")
        assert re.fullmatch(r"Heat: \d+:\d\d left · spasm-coach", visit.page.title())
        press(visit.page, "x")
        wait_until(lambda: visit.page.title() == "spasm-coach", "the title without the timer")


ONLY_ONLINE_VOICES = """
speechSynthesis.getVoices = () => [
  {name: "An online voice", lang: "en-US", localService: false, default: true},
];
"""


def test_the_tab_never_speaks_with_an_online_voice(
    chromium: str, serve: Serve, tmp_path: Path, home: Path
) -> None:
    """A voice that is not on the device would send the cue's words to someone's server: with
    only such voices the tab stays silent (the screen and the title still say everything)."""
    home.mkdir()
    save_settings(home / "settings.toml", Settings(region="uk"))
    server = serve(home)
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "Start a stretch session")
        visit.page.evaluate("tab.say('Hold.')")  # the device's own voices: spoken
        assert heard(visit.page)["said"] == ["Hold."]

        visit.page.add_init_script(ONLY_ONLINE_VOICES)
        visit.page.reload()
        wait_for_screen(visit.page, "Start a stretch session")
        visit.page.evaluate("tab.say('Hold.')")
        assert heard(visit.page)["said"] == []
