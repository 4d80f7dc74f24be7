"""Browser mode opens only for its owner: the key in the address `serve` printed, the page's own
origin, and the name the server answers to. Tried the way issue 18 saw them let in: a page from
another site in real Chromium, a browser without the key, a name rebound to 127.0.0.1, and a
script claiming another Origin or Host. Each gets nothing: no coach, no screen, no entry."""

from __future__ import annotations

import asyncio
import contextlib
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
    screen_text,
    wait_for_screen,
)

from spasm_coach.cli import web
from spasm_coach.settings import Settings, save_settings
from spasm_coach.store import Store

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


@pytest.fixture
def owner_home(home: Path) -> Path:
    """A data folder with a log (no scores) and a region chosen, so the coach opens at home."""
    home.mkdir()
    Store.open(home / "pain-log.sqlite3").close()
    save_settings(home / "settings.toml", Settings(region="uk"))
    return home


def scores(home: Path) -> int:
    with contextlib.closing(sqlite3.connect(home / "pain-log.sqlite3")) as db:
        return db.execute("SELECT count(*) FROM pain_score").fetchone()[0]


@contextlib.contextmanager
def another_site(page: str) -> Iterator[str]:
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
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_from_another_origin_gets_nothing(chromium, serve, tmp_path, owner_home):
    server = serve(owner_home)
    with another_site(ATTACK) as site, browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(site)
        tried = [
            visit.page.evaluate("(target) => window.attack(target)", target)
            for target in (
                f"ws://127.0.0.1:{server.port}/ws",  # textual-serve's own address
                f"ws://127.0.0.1:{server.port}{server.path('ws')}",  # even knowing the key
            )
        ]
        read = visit.page.evaluate("(target) => window.read(target)", server.url)
    for attempt in tried:
        assert not attempt["opened"], attempt
        assert attempt["bytes"] == 0, attempt
    assert "spasm-coach" not in read, "another site read the coach's page"
    assert scores(owner_home) == 0, "another site wrote into the pain log"
    assert not coach_processes(server), "a coach was started for another site"


def test_a_browser_without_the_key_gets_nothing(chromium, serve, tmp_path, owner_home):
    server = serve(owner_home)
    with browser_tab(chromium, tmp_path / "profile") as visit:
        for path in ("/", "/ws", "/static/js/textual.js", f"/{server.key[:-1]}/"):
            response = visit.page.goto(server.origin + path)
            assert response is not None
            assert response.status == 404, path
            assert visit.page.inner_text("body").strip() == web.NEEDS_KEY
        assert not [url for url in visit.requested if url.startswith("ws")]
        assert not coach_processes(server)

        visit.page.goto(server.url)  # the address as printed: the coach, as today
        wait_for_screen(visit.page, "Start a stretch session")
        assert visit.page.title() == "spasm-coach"


def test_a_name_rebound_to_this_computer_is_refused(chromium, serve, tmp_path, owner_home):
    """DNS rebinding: a page at evil.example, whose name now points at 127.0.0.1."""
    server = serve(owner_home)
    rebound = ("--host-resolver-rules=MAP evil.example 127.0.0.1",)
    with browser_tab(chromium, tmp_path / "profile", args=rebound) as visit:
        response = visit.page.goto(f"http://evil.example:{server.port}{server.path()}")
        assert response is not None
        assert response.status == 403
        assert visit.page.inner_text("body").strip() == web.REFUSED
        assert screen_text(visit.page) == ""
        assert not [url for url in visit.requested if url.startswith("ws")]
    assert not coach_processes(server)


async def handshake(server: RunningServer, path: str, headers: dict[str, str]) -> int:
    """The status a websocket handshake gets (101: the coach is open to it)."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(
                f"{server.origin}{path}?width=80&height=24", headers=headers
            ) as socket:
                await socket.receive(timeout=5)  # the coach's first bytes
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def fetch(server: RunningServer, path: str, headers: dict[str, str]) -> int:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{server.origin}{path}", headers=headers) as response,
    ):
        return response.status


def test_a_script_claiming_another_origin_or_host_gets_nothing(serve, owner_home):
    server = serve(owner_home)
    ws = server.path("ws")
    own = {"Origin": server.origin}
    refused = {
        "another Origin": {"Origin": "http://evil.example"},
        "no Origin": {},
        "the null Origin": {"Origin": "null"},
        "another Host": {"Host": f"evil.example:{server.port}", "Origin": server.origin},
        "a rebound Host and its Origin": {
            "Host": f"evil.example:{server.port}",
            "Origin": f"http://evil.example:{server.port}",
        },
        "another port": {"Host": "127.0.0.1:1", "Origin": "http://127.0.0.1:1"},
    }
    for name, headers in refused.items():
        assert asyncio.run(handshake(server, ws, headers)) == 403, name
    assert asyncio.run(fetch(server, server.path(), {"Host": "evil.example"})) == 403
    assert asyncio.run(fetch(server, server.path(), {"Origin": "http://evil.example"})) == 403
    assert asyncio.run(handshake(server, "/ws", own)) == 404, "no key"
    assert not coach_processes(server)
    assert asyncio.run(handshake(server, ws, own)) == 101, "the page's own handshake"
    assert scores(owner_home) == 0
