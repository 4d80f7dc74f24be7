"""Browser mode (`spasm-coach serve`) against the faults issue 18 found, in Debian's Chromium
driven by Playwright: a page from another origin and a client without the key get nothing (no
coach, no screen, no entry); a tab closed or reloaded while an entry waits to be saved leaves it
in the rescue file, and a session in progress as interrupted.

Each row counts its tries; on the code before browser mode had a key, every try of the first
two rows got the coach, and the closed tab lost the entry waiting."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from tests.browser.tab import (
    RunningServer,
    browser_tab,
    coach_processes,
    find_chromium,
    into_the_session,
    press,
    start_server,
    wait_for_screen,
    wait_until,
)
from tests.faults.conftest import Tally

from spasm_coach.paths import DB_NAME
from spasm_coach.restore import read_export
from spasm_coach.settings import Settings, save_settings
from spasm_coach.store import Store

ATTACK = """
<!DOCTYPE html><meta charset="utf-8"><title>another site</title>
<script>
// The issue's page: open the coach's websocket and type "p", "9" (a pain score of 9).
window.attack = (target) => new Promise((resolve) => {
  const result = {target, opened: false, bytes: 0};
  let socket;
  try { socket = new WebSocket(target + "?width=80&height=24"); }
  catch (error) { return resolve(result); }
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
window.read = (target) => fetch(target).then((r) => r.text()).catch(() => "");
</script>
"""


@pytest.fixture
def chromium() -> str:
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    found = find_chromium()
    if found is None:
        pytest.skip("no chromium on PATH (apt-get install chromium) for browser mode's faults")
    return found


@pytest.fixture
def owner(tmp_path: Path, unused_port: int) -> Iterator[tuple[Path, RunningServer]]:
    """A data folder with a log, its region chosen, and `spasm-coach serve` on it."""
    home = tmp_path / "home"
    home.mkdir()
    Store.open(home / DB_NAME).close()
    save_settings(home / "settings.toml", Settings(region="uk", cautions=()))
    server = start_server(home, unused_port)
    try:
        yield home, server
    finally:
        server.kill()


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def scores(home: Path) -> list[int]:
    with contextlib.closing(sqlite3.connect(home / DB_NAME)) as db:
        return [row[0] for row in db.execute("SELECT score FROM pain_score ORDER BY id")]


@contextlib.contextmanager
def another_site() -> Iterator[str]:
    """A web server on another port of this computer: another origin."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = ATTACK.encode()
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


@pytest.mark.fault("Browser: a page from another origin")
def test_a_page_from_another_origin_gets_nothing(chromium, owner, tmp_path, tally: Tally):
    home, server = owner
    tally.how.add("a page on another port in Chromium opens the websocket, reads the page")
    sockets = [
        f"ws://127.0.0.1:{server.port}/ws",
        f"ws://localhost:{server.port}/ws",
        f"ws://127.0.0.1:{server.port}{server.path('ws')}",  # even with the key
        f"ws://localhost:{server.port}{server.path('ws')}",
    ]
    pages = [f"{server.origin}/", server.url]
    with another_site() as site, browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(site)
        for target in sockets:
            tally.tried += 1
            got = visit.page.evaluate("(t) => window.attack(t)", target)
            tally.check(not got["opened"] and got["bytes"] == 0, f"{target}: {got}")
        for target in pages:
            tally.tried += 1
            read = visit.page.evaluate("(t) => window.read(t)", target)
            tally.check("spasm-coach" not in read, f"another site read {target}")
    tally.check(scores(home) == [], f"another site wrote into the log: {scores(home)}")
    tally.check(not coach_processes(server), "a coach was started for another site")
    tally.done()


async def _handshake(server: RunningServer, path: str, headers: dict[str, str]) -> int:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(f"{server.origin}{path}", headers=headers) as socket:
                await socket.receive(timeout=5)
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


@pytest.mark.fault("Browser: a client without the key")
def test_a_client_without_the_key_gets_nothing(chromium, owner, tmp_path, tally: Tally):
    home, server = owner
    tally.how.add("Chromium and a script, with the page's own Origin, without the key")
    key = server.key
    wrong = [
        "/",
        "/ws",
        "/static/js/textual.js",
        "/download/x",
        f"/{key[:-1]}/",
        f"/{key.swapcase()}/",
        f"/{key}x/",
    ]
    with browser_tab(chromium, tmp_path / "profile") as visit:
        for path in wrong:
            tally.tried += 1
            response = visit.page.goto(server.origin + path)
            status = response.status if response is not None else None
            tally.check(status in (403, 404), f"{path}: {status}")
            tally.check("xterm" not in visit.page.content(), f"{path}: the coach's page")
    for path in ("/ws", f"/{key[:-1]}/ws", "/static/ws", f"/{key.upper()}/ws"):
        tally.tried += 1
        status = asyncio.run(_handshake(server, path, {"Origin": server.origin}))
        tally.check(status != 101, f"websocket at {path} opened without the key")
    tally.check(not coach_processes(server), "a coach was started without the key")
    tally.check(scores(home) == [], "an entry was written")
    tally.done()


@contextlib.contextmanager
def log_held(home: Path) -> Iterator[None]:
    """Another program holding the log's write lock: the coach keeps what it can't write."""
    db = sqlite3.connect(home / DB_NAME, isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        db.execute("ROLLBACK")
        db.close()


@pytest.mark.fault("Browser: a tab closed with an entry waiting")
@pytest.mark.parametrize("how", ["closed", "reloaded"])
def test_a_tab_closed_with_an_entry_waiting_keeps_it(
    chromium, owner, tmp_path, tally: Tally, how: str
):
    home, server = owner
    tally.how.add("the log's write lock held; the tab closed or reloaded mid-session")
    tally.at_stake()
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "Start a stretch session")
        into_the_session(visit.page)
        press(visit.page, "h")  # this hurts: the session ends, and a score is asked
        wait_for_screen(visit.page, "You stopped because it hurt")
        [coach] = coach_processes(server)
        with log_held(home):
            press(visit.page, "6")  # the log is busy: the coach keeps the score
            wait_for_screen(visit.page, "NOT SAVED YET")
            tally.tried += 1
            if how == "closed":
                visit.page.close()
            else:
                visit.page.reload()
            wait_until(lambda: coach not in coach_processes(server), "the tab's coach to end")
    rescued = sorted(home.glob("spasm-coach-unsaved-*.json"))
    tally.check(len(rescued) == 1, f"rescue files: {rescued}")
    if len(rescued) == 1:
        tally.check(json.loads(rescued[0].read_text())["format"] == "spasm-coach-log", "format")
        with Store.open(home / DB_NAME) as store:
            store.restore(read_export(rescued[0]))
    kept = scores(home)
    if 6 not in kept:
        tally.lose(1)
    tally.check(kept == [3, 6], f"scores after importing the rescue file: {kept}")
    with contextlib.closing(sqlite3.connect(home / DB_NAME)) as db:
        outcomes = [row[0] for row in db.execute("SELECT outcome FROM session")]
    tally.check(outcomes == ["stopped-hurt"], f"the session's outcome: {outcomes}")
    tally.done()
