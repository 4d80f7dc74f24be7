"""`spasm-coach serve` in a process of its own and the coach in a real headless Chromium (Debian's,
driven by Playwright from PyPI): shared by the browser tests and the fault suite.

textual.js draws the terminal on a canvas, so the coach's screen is not in the page's DOM.
READ_SCREEN, run before the page's own scripts, keeps xterm's Terminal when textual.js stores
its FitAddon beside it and reads the screen through xterm's public buffer API; it also records
what the tab is asked to say (speechSynthesis.speak) and each bell it plays (a Web Audio
oscillator), as a person in the room would hear them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tests.factory import add_screening

from spasm_coach.answers import READ_SECONDS
from spasm_coach.paths import HOME_ENV
from spasm_coach.vocabulary import Level, ScreeningReason

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, ConsoleMessage, Page

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=user-gesture-required",  # as a person's browser: sound after a key
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
START_SECONDS = 15
SCREEN_SECONDS = 20
ADDRESS = re.compile(r"is at (http://\S+)")

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
  const heard = {said: [], bells: 0};
  if ("speechSynthesis" in window) {
    const speak = speechSynthesis.speak.bind(speechSynthesis);
    speechSynthesis.speak = (utterance) => {
      heard.said.push(utterance.text);
      return speak(utterance);
    };
  }
  const oscillator = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function () {
    heard.bells += 1;
    return oscillator.call(this);
  };
  window.coachScreen = {
    text,
    heard,
    size: () => (terminal === null ? null : {columns: terminal.cols, rows: terminal.rows}),
    cell: (wanted, rowWith) => {
      // The middle of the last place `wanted` is shown (on a row that also shows `rowWith`),
      // in CSS pixels of the page: the last, as a dialog is drawn over the screen below it.
      if (terminal === null) return null;
      const buffer = terminal.buffer.active;
      for (let row = buffer.length - 1; row >= 0; row--) {
        const line = buffer.getLine(row).translateToString(true);
        const column = line.indexOf(wanted);
        if (column >= 0 && (!rowWith || line.includes(rowWith))) {
          const box = terminal.element.querySelector(".xterm-screen").getBoundingClientRect();
          const width = box.width / terminal.cols;
          const height = box.height / terminal.rows;
          return {
            x: box.left + (column + wanted.length / 2) * width,
            y: box.top + (row + 0.5) * height,
          };
        }
      }
      return null;
    },
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


class FakeServer:
    """Stands in for textual-serve's server: records what it was asked to serve."""

    def __init__(self, command: str, host: str, port: int, key: str) -> None:
        self.command, self.host, self.port, self.key = command, host, port, key
        self.served = False

    def serve(self) -> None:
        self.served = True


Serve = Callable[..., "RunningServer"]
"""The `serve` fixture: serve(home, *extra, env=...) starts `spasm-coach serve` on it."""


def chromium_or_skip() -> str:
    """Debian's Chromium (Playwright's own browser download is never used); the test is
    skipped, saying why, without it or without Playwright."""
    import pytest

    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("no chromium on PATH (apt-get install chromium) for the browser-mode test")
    return found


@dataclass
class RunningServer:
    process: subprocess.Popen[str]
    url: str
    """The address `serve` printed, key and all."""
    port: int

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def key(self) -> str:
        return urlsplit(self.url).path.strip("/")

    def path(self, name: str = "") -> str:
        """A path under the address printed: "ws" is the websocket's."""
        return urlsplit(self.url).path + name

    def stop(self) -> tuple[int, str, str]:
        """Ctrl+C, as a person at the terminal would; returns (exit code, stdout, stderr)."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=START_SECONDS)
        return self.process.returncode, out, err

    def kill(self) -> None:
        """The server and every tab's coach (its own process group)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.communicate()


def start_server(
    home: Path, port: int, *extra: str, env: dict[str, str] | None = None
) -> RunningServer:
    """`spasm-coach serve` in its own process group, once it has printed its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "spasm_coach", "serve", "--port", str(port), *extra],
        env={**os.environ, HOME_ENV: str(home), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so clean-up reaches its coaches
    )
    deadline = time.monotonic() + START_SECONDS
    assert process.stdout is not None
    while True:
        ready, _, _ = select.select([process.stdout], [], [], 0.1)
        if ready:
            line = process.stdout.readline()
            if found := ADDRESS.search(line):
                return RunningServer(process, found.group(1), port)
            if not line and process.poll() is not None:
                assert process.stderr is not None
                raise AssertionError(
                    f"spasm-coach serve exited {process.returncode}: {process.stderr.read()}"
                )
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("spasm-coach serve did not print its address")


@dataclass
class Visit:
    page: Page
    context: BrowserContext
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
def browser_tab(
    chromium: str,
    profile: Path,
    *,
    args: tuple[str, ...] = (),
    **context_options: Any,
) -> Iterator[Visit]:
    """A page in headless Chromium with a fresh profile, recording what it asks for.
    `context_options` go to Playwright (a phone's viewport, touch), `args` to Chromium."""
    from playwright.sync_api import sync_playwright

    options: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}, **context_options}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium,
            args=[*CHROMIUM_ARGS, *args],
            headless=True,
            **options,
        )
        visit = Visit(context.pages[0] if context.pages else context.new_page(), context)
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
    text: str = page.evaluate(
        "([wanted, ms]) => window.coachScreen.waitFor(wanted, ms)",
        [list(wanted), SCREEN_SECONDS * 1000],
    )
    return text


def screen_text(page: Page) -> str:
    text: str = page.evaluate("window.coachScreen.text()")
    return text


def heard(page: Page) -> dict[str, Any]:
    """{"said": [every cue the tab was asked to say], "bells": how many it rang}."""
    heard: dict[str, Any] = page.evaluate("window.coachScreen.heard")
    return heard


def wait_until(check: Callable[..., object], what: str, seconds: float = SCREEN_SECONDS) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def coach_processes(server: RunningServer) -> list[int]:
    """The coach processes serving tabs: the server's children."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


def press(page: Page, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def read_it() -> None:
    """A person reads a safety question before answering it: the coach takes no answer to a
    question on screen for less than READ_SECONDS (the server runs on the real clock)."""
    time.sleep(READ_SECONDS + 0.15)


def answer_the_full_check(page: Page, answer: str = "n") -> None:
    """From home: `s` starts a session, and every red-flag question gets `answer` on purpose,
    one at a time, each once it is on the screen and read; returns at the pain score."""
    page.keyboard.press("s")
    shown = wait_for_screen(page, "Question 1 of")
    count = int(re.search(r"Question 1 of (\d+)", shown).group(1))  # type: ignore[union-attr]
    for number in range(1, count + 1):
        wait_for_screen(page, f"Question {number} of {count}")
        read_it()
        page.keyboard.press(answer)
    wait_for_screen(page, "How bad is your back pain right now?")


def answer_the_quick_check(page: Page) -> None:
    """From home, with a full check earlier today: `s`, then no to the emergency signs and no
    to anything new since; returns at the pain score."""
    page.keyboard.press("s")
    wait_for_screen(page, "A quick check before you start.")
    read_it()
    page.keyboard.press("n")
    wait_for_screen(page, "You said no to every sign below.")
    read_it()
    page.keyboard.press("n")
    wait_for_screen(page, "How bad is your back pain right now?")


def into_the_session(page: Page, score: str = "3", *, quick: bool = False) -> None:
    """From home: the check (`quick`: the quick one, after `a_check_this_morning`), a pain
    score, and the player at its first exercise (the step words are drawn in block letters, so
    the exercise's title line says it is there)."""
    if quick:
        answer_the_quick_check(page)
    else:
        answer_the_full_check(page)
    page.keyboard.press(score)
    wait_for_screen(page, "exercise 1 of", "THIS HURTS")


def settled(page: Page, polls: int = 3) -> str:
    """The screen once it has stopped changing (a screen's later lines can move what is
    under a finger), as a person looks before they tap."""
    shown, same = screen_text(page), 0
    deadline = time.monotonic() + SCREEN_SECONDS
    while same < polls and time.monotonic() < deadline:
        time.sleep(0.1)
        now = screen_text(page)
        same = same + 1 if now == shown else 0
        shown = now
    return shown


def tap(page: Page, wanted: str, row_with: str = "") -> None:
    """A finger on the middle of `wanted` where the coach shows it (see READ_SCREEN's cell),
    once it is there and the screen has stopped moving."""
    wait_for_screen(page, wanted, *([row_with] if row_with else []))
    settled(page)
    spot = page.evaluate("([w, r]) => window.coachScreen.cell(w, r)", [wanted, row_with])
    assert spot is not None, f"{wanted!r} is not on the screen:\n{screen_text(page)}"
    page.touchscreen.tap(spot["x"], spot["y"])


# --- what others try ---------------------------------------------------------------------------

ATTACK = """
<!DOCTYPE html><meta charset="utf-8"><title>a page on another site</title>
<script>
// Open the coach's websocket as the issue's page did, then type "p", "9": a pain score of 9.
window.attack = (target) => new Promise((resolve) => {
  const result = {target, opened: false, bytes: 0};
  let socket;
  try {
    socket = new WebSocket(target + "?width=80&height=24");
  } catch (error) {
    result.error = String(error);
    return resolve(result);
  }
  socket.binaryType = "arraybuffer";
  socket.onopen = () => {
    result.opened = true;
    socket.send(JSON.stringify(["stdin", "p"]));
    setTimeout(() => socket.send(JSON.stringify(["stdin", "9"])), 1500);
  };
  socket.onmessage = (event) => { result.bytes += event.data.byteLength || event.data.length; };
  socket.onclose = () => resolve(result);
  setTimeout(() => resolve(result), 4000);
});
// Read the page itself, as a script on another site would try.
window.read = (target) => fetch(target).then((r) => r.text()).catch((error) => String(error));
</script>
"""


@contextmanager
def another_site(page: str = ATTACK) -> Iterator[str]:
    """A web server on another port of this computer (so another origin), serving `page`."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = page.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def handshake(server: RunningServer, path: str, headers: dict[str, str]) -> int:
    """The status a websocket handshake at `path` gets (101: the coach is open to it)."""
    import aiohttp

    async def attempt() -> int:
        async with aiohttp.ClientSession() as session:
            try:
                async with session.ws_connect(
                    f"{server.origin}{path}?width=80&height=24", headers=headers
                ) as socket:
                    await socket.receive(timeout=5)  # the coach's first bytes
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

    return asyncio.run(attempt())


def fetch(server: RunningServer, path: str, headers: dict[str, str]) -> int:
    import aiohttp

    async def attempt() -> int:
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"{server.origin}{path}", headers=headers) as response,
        ):
            return response.status

    return asyncio.run(attempt())


# --- the log ----------------------------------------------------------------------------------


def an_owners_home(home: Path) -> Path:
    """A data folder with a log (no scores), its region chosen and every personal caution
    answered no: the coach opens at home and a session goes straight to the check."""
    from spasm_coach.settings import Settings, save_settings
    from spasm_coach.store import Store
    from spasm_coach.vocabulary import CONDITIONS

    home.mkdir()
    Store.open(home / "pain-log.sqlite3").close()
    cautions = dict.fromkeys(CONDITIONS, False)
    save_settings(home / "settings.toml", Settings(region="uk", cautions=cautions))
    return home


def a_check_this_morning(home: Path) -> None:
    """A full red-flag check, all clear, earlier today: the next session asks the quick one."""
    from datetime import datetime, timedelta

    from spasm_coach.gate import start_of_day
    from spasm_coach.store import Store

    now = datetime.now().astimezone()
    with Store.open(home / "pain-log.sqlite3") as store:
        earlier = max(now - timedelta(minutes=1), start_of_day(now))
        add_screening(store, Level.CLEAR, (), {}, earlier, ScreeningReason.BEFORE_SESSION)


def log_rows(home: Path, query: str) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(home / "pain-log.sqlite3")) as db:
        return db.execute(query).fetchall()


def scores(home: Path) -> list[int]:
    return [row[0] for row in log_rows(home, "SELECT score FROM pain_score ORDER BY id")]


@contextmanager
def log_held(home: Path) -> Iterator[None]:
    """Another program holding the log's write lock: the coach's writes wait, then are kept."""
    db = sqlite3.connect(home / "pain-log.sqlite3", isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        db.execute("ROLLBACK")
        db.close()
