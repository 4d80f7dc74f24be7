"""The coach in a real headless Chromium: it renders, takes keys, and nothing leaves the machine."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from spasm_coach.paths import HOME_ENV
from spasm_coach.settings import Settings, save_settings

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
START_SECONDS = 15
SCREEN_SECONDS = 20

# textual.js draws the terminal on a canvas, so its text is not in the page's DOM. This script,
# run before the page's own, keeps xterm's Terminal when textual.js stores its FitAddon beside it,
# and reads the screen through xterm's public buffer API.
READ_SCREEN = """
(() => {
  let terminal = null;
  Object.defineProperty(Object.prototype, "fitAddon", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "fitAddon", {value, writable: true, configurable: true});
      terminal = this.terminal;
    },
  });
  const text = () => {
    if (terminal === null) return "";
    const buffer = terminal.buffer.active;
    const rows = [];
    for (let row = 0; row < buffer.length; row++) {
      rows.push(buffer.getLine(row).translateToString(true));
    }
    return rows.join("\\n");
  };
  window.coachScreen = {
    text,
    waitFor: (wanted, ms) => new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        const shown = text();
        if (wanted.every((part) => shown.includes(part))) return resolve(shown);
        if (Date.now() - started > ms) {
          return reject(new Error(`not on screen: ${wanted}\\n${shown}`));
        }
        setTimeout(check, 50);
      };
      check();
    }),
  };
})();
"""


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium (Playwright's own browser download is never used)."""
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium on PATH (apt-get install chromium) for the browser-mode test")
    return found


@dataclass
class RunningServer:
    process: subprocess.Popen[str]
    url: str

    def stop(self) -> tuple[int, str, str]:
        """Ctrl+C, as a person at the terminal would; returns (exit code, stdout, stderr)."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=START_SECONDS)
        return self.process.returncode, out, err


@pytest.fixture
def serve(free_port: int) -> Iterator:
    """serve(home, "--demo"): `spasm-coach serve` in its own process, once it accepts connections.

    Anything still running at the end (the server and its coaches) is killed.
    """
    started: list[RunningServer] = []

    def run(home: Path, *extra: str) -> RunningServer:
        process = subprocess.Popen(
            [sys.executable, "-m", "spasm_coach", "serve", "--port", str(free_port), *extra],
            env={**os.environ, HOME_ENV: str(home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, so clean-up reaches its coaches
        )
        started.append(RunningServer(process, f"http://127.0.0.1:{free_port}/"))
        deadline = time.monotonic() + START_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"spasm-coach serve exited {process.returncode}: {process.stderr.read()}"
                )
            try:
                socket.create_connection(("127.0.0.1", free_port), timeout=1).close()
                return started[-1]
            except OSError:
                assert time.monotonic() < deadline, "spasm-coach serve did not start listening"
                time.sleep(0.05)

    yield run
    for server in started:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)
            server.process.communicate()


@dataclass
class Visit:
    page: Page
    requested: list[str] = field(default_factory=list)
    """Every URL the page asked for, websockets included."""
    errors: list[str] = field(default_factory=list)
    """Scripts that failed and resources that would not load."""

    def outside(self) -> list[str]:
        return [url for url in self.requested if urlsplit(url).hostname not in LOCAL_HOSTS]


# textual.js tells the server when the page loses focus even after the coach has closed (here:
# clicking "Open it again"); the browser logs that as an error, and nothing else comes of it.
HARMLESS_ERRORS = ("WebSocket is already in CLOSING or CLOSED state.",)


def record_console_error(visit: Visit, message: ConsoleMessage) -> None:
    if message.type == "error" and message.text not in HARMLESS_ERRORS:
        visit.errors.append(message.text)


@contextmanager
def browser_tab(chromium: str, profile: Path) -> Iterator[Visit]:
    """A page in headless Chromium with a fresh profile, recording what it asks for."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 800},
        )
        visit = Visit(context.pages[0] if context.pages else context.new_page())
        context.on("request", lambda request: visit.requested.append(request.url))
        visit.page.on("websocket", lambda socket: visit.requested.append(socket.url))
        visit.page.on("pageerror", lambda error: visit.errors.append(str(error)))
        visit.page.on("console", lambda message: record_console_error(visit, message))
        visit.page.add_init_script(READ_SCREEN)
        try:
            yield visit
        finally:
            context.close()


def wait_for_screen(page: Page, *wanted: str) -> str:
    return page.evaluate(
        "([wanted, ms]) => window.coachScreen.waitFor(wanted, ms)",
        [list(wanted), SCREEN_SECONDS * 1000],
    )


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
    chromium, serve, tmp_path, home, record_property
):
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
    chromium, serve, tmp_path, record_property
):
    home = tmp_path / "never-created"
    server = serve(home, "--demo")
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "CLINIC DEMO", "Knee to chest")
        visit.page.keyboard.press("3")
        wait_for_screen(visit.page, "Cobra", "exercise 3 of 4")
        visit.page.keyboard.press("q")
        visit.page.wait_for_selector("body.-closed")
        assert visit.page.get_by_text("The coach has closed.").is_visible()
        screenshot = tmp_path / "closed.png"
        visit.page.screenshot(path=screenshot)
        visit.page.get_by_role("button", name="Open it again").click()
        wait_for_screen(visit.page, "CLINIC DEMO", "Knee to chest")

    record_property("screenshot", str(screenshot))
    print(f"screenshot: {screenshot}")
    assert not visit.outside()
    assert not visit.errors
    assert not home.exists(), "demo mode wrote to the data folder"
    assert_stops_cleanly(server)
