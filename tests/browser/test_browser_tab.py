"""The coach in a real headless Chromium: it renders, takes keys, and nothing leaves the machine."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from tests.browser.tab import RunningServer, Serve, browser_tab, wait_for_screen

from spasm_coach.content import load_content
from spasm_coach.settings import Settings, save_settings


def assert_stops_cleanly(server: RunningServer) -> None:
    """Ctrl+C: exit 0, a goodbye line, no traceback, and no coach process left behind."""
    code, _, err = server.stop()
    assert code == 0, err
    assert "stopped serving" in err
    assert "Traceback" not in err
    deadline = time.monotonic() + 5
    while True:
        try:
            os.killpg(server.process.pid, 0)
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, "a coach process outlived the server"
        time.sleep(0.05)


def test_browser_tab_shows_the_coach_keys_work_and_nothing_leaves_the_machine(
    chromium: str,
    serve: Serve,
    tmp_path: Path,
    home: Path,
    record_property: Callable[[str, object], None],
) -> None:
    save_settings(home / "settings.toml", Settings(region="uk"))  # not the first run
    server = serve(home)
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "spasm-coach", "Start a stretch session", "Start session")
        visit.page.screenshot(path=tmp_path / "home.png")

        visit.page.keyboard.press("?")
        wait_for_screen(visit.page, "Keys here", "Start session", "Rare but serious")
        screenshot = tmp_path / "help.png"
        visit.page.screenshot(path=screenshot)

        assert_stops_cleanly(server)  # with the tab still open
        visit.page.wait_for_selector("body.-closed")

    record_property("screenshot", str(screenshot))
    print(f"screenshots: {tmp_path / 'home.png'} {screenshot}")
    assert any(url.startswith("ws://127.0.0.1") for url in visit.requested), visit.requested
    assert not visit.outside(), f"the page asked outside this machine: {visit.outside()}"
    assert not visit.errors
    assert screenshot.stat().st_size > 10_000
    assert (home / "pain-log.sqlite3").exists(), "the tab's coach uses the same data folder"


def test_demo_tab_keeps_nothing_and_opens_again_after_quitting(
    chromium: str, serve: Serve, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    home = tmp_path / "never-created"
    server = serve(home, "--demo")
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        steps = load_content().routines["standard"].steps  # the demo's routine, as shipped
        wait_for_screen(visit.page, "CLINIC DEMO", steps[0].exercise.name)
        visit.page.keyboard.press("3")
        wait_for_screen(visit.page, steps[2].exercise.name, f"exercise 3 of {len(steps)}")
        visit.page.keyboard.press("q")
        visit.page.wait_for_selector("body.-closed")
        assert visit.page.get_by_text("The coach has closed.").is_visible()
        screenshot = tmp_path / "closed.png"
        visit.page.screenshot(path=screenshot)
        visit.page.get_by_role("button", name="Open it again").click()
        wait_for_screen(visit.page, "CLINIC DEMO", steps[0].exercise.name)

    record_property("screenshot", str(screenshot))
    print(f"screenshot: {screenshot}")
    assert not visit.outside()
    assert not visit.errors
    assert not home.exists(), "demo mode wrote to the data folder"
    assert_stops_cleanly(server)
