"""The settings screen: changes are saved to the file and used at once; a broken file is kept."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from tests.pilot.drive import answer_all_no, start_app, text_of, wait_for
from textual.pilot import Pilot
from textual.widgets import Select, Static

from spasm_coach.content import Content
from spasm_coach.settings import Settings, load_settings, save_settings
from spasm_coach.tui.app import CoachApp
from spasm_coach.tui.dialogs.region import RegionScreen
from spasm_coach.tui.screens.home import HomeScreen
from spasm_coach.tui.screens.red_flags import OutcomeScreen
from spasm_coach.tui.screens.settings import SettingsScreen
from spasm_coach.tui.widgets.tickbox import TickBox

Coach = Callable[..., CoachApp]
BROKEN = "region = 44\nsounds = false\n"


async def open_settings(pilot: Pilot) -> SettingsScreen:
    await wait_for(pilot, HomeScreen)
    await pilot.press("c")
    return await wait_for(pilot, SettingsScreen)


async def tick(pilot: Pilot, screen: SettingsScreen, selector: str) -> None:
    """Focus a tick box (scrolling it into view) and press space, as a keyboard user would."""
    screen.query_one(selector, TickBox).focus()
    await pilot.press("space")


async def test_saved_settings_go_to_the_file_and_apply_at_once(
    coach: Coach, home: Path, content: Content
) -> None:
    path = home / "settings.toml"
    save_settings(path, Settings(region="uk"))
    app = coach(settings_path=path, settings=None)
    async with start_app(app) as pilot:
        screen = await open_settings(pilot)
        region = screen.query_one("#region", Select)
        assert region.value == "uk"
        region.value = "ca"
        await tick(pilot, screen, "#sounds")
        assert not screen.query_one("#sounds", TickBox).value
        knee = screen.query_one("#caution-knee", Select)
        assert knee.value == Select.NULL  # not answered yet
        knee.value = "yes"
        await pilot.press("ctrl+s")
        await wait_for(pilot, HomeScreen)
        assert "Settings saved." in [n.message for n in app.notices]

        saved = tomllib.loads(path.read_text())
        assert saved["region"] == "ca"
        assert saved["sounds"] is False
        assert saved["cautions"] == {"knee": True}  # the others stay not answered
        assert "thermal_contraindications" not in saved
        assert load_settings(path) == app.settings
        assert app.settings.cautions_to_ask == ("osteoporosis", "pregnancy", "wrist")

        await pilot.press("s")
        await answer_all_no(pilot, content, yes={content.flags[0].id})
        outcome = await wait_for(pilot, OutcomeScreen)
        number = text_of(outcome.query_one("#outcome-number", Static))
        assert number.startswith("Emergency number: 911.")
        assert "999" not in number


async def test_back_without_saving_changes_nothing(coach: Coach, home: Path) -> None:
    path = home / "settings.toml"
    save_settings(path, Settings(region="uk"))
    before = path.read_text()
    app = coach(settings_path=path, settings=None)
    async with start_app(app) as pilot:
        screen = await open_settings(pilot)
        await tick(pilot, screen, "#sounds")
        await pilot.press("escape")
        await wait_for(pilot, HomeScreen)
        assert app.settings == Settings(region="uk")
    assert path.read_text() == before


async def test_a_broken_file_warns_keeps_what_it_can_and_asks_again(
    coach: Coach, home: Path
) -> None:
    """region = 44 can't be a region: it is asked again; the good 'sounds' line still counts."""
    path = home / "settings.toml"
    home.mkdir(parents=True, exist_ok=True)
    path.write_text(BROKEN)
    app = coach(settings_path=path, settings=None)
    async with start_app(app) as pilot:
        await wait_for(pilot, RegionScreen)
        assert [n for n in app.notices if n.title == "Settings"] == []  # nothing over the question
        assert app.settings.sounds is False
        assert app.settings.region is None
        await pilot.press("1")  # the first region in the list
        await wait_for(pilot, HomeScreen)
        (warning,) = [n for n in app.notices if n.title == "Settings"]  # said once it is answered
        assert warning.severity == "warning"
        assert str(path) in warning.message
        assert "'region'" in warning.message
        assert app.settings.problem is None  # choosing saved the file, keeping the broken one
    assert path.with_name("settings.toml.broken").read_text() == BROKEN
    reloaded = load_settings(path)
    assert reloaded.problem is None
    assert (reloaded.region, reloaded.sounds) == ("uk", False)


async def test_looking_at_settings_doesnt_touch_a_broken_file(coach: Coach, home: Path) -> None:
    path = home / "settings.toml"
    home.mkdir(parents=True, exist_ok=True)
    path.write_text('region = "uk"\nsession_every_hours = 0\n')
    app = coach(settings_path=path, settings=None)
    async with start_app(app) as pilot:
        screen = await open_settings(pilot)
        assert "session_every_hours" in text_of(screen.query_one("#settings-problem", Static))
        await pilot.press("escape")  # looking is not saving
        await wait_for(pilot, HomeScreen)
    assert path.read_text() == 'region = "uk"\nsession_every_hours = 0\n'
    assert not path.with_name("settings.toml.broken").exists()


async def test_an_answer_can_be_changed_and_taken_back_to_not_answered(
    coach: Coach, home: Path
) -> None:
    path = home / "settings.toml"
    save_settings(path, Settings(region="uk", cautions={"knee": True, "wrist": False}))
    app = coach(settings_path=path, settings=None)
    async with start_app(app) as pilot:
        screen = await open_settings(pilot)
        assert screen.query_one("#caution-knee", Select).value == "yes"
        assert screen.query_one("#caution-wrist", Select).value == "no"
        screen.query_one("#caution-knee", Select).value = "no"
        screen.query_one("#caution-wrist", Select).clear()
        await pilot.press("ctrl+s")
        await wait_for(pilot, HomeScreen)
    assert load_settings(path).cautions == {"knee": False}
