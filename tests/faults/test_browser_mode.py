"""Browser mode (`spasm-coach serve`) against the faults issue 18 found, in Debian's Chromium
driven by Playwright: a page from another origin and a client without the key get nothing (no
coach, no screen, no entry); a tab closed or reloaded while an entry waits to be saved leaves it
in the rescue file, and a session in progress as interrupted.

Each row counts its tries; on the code before browser mode had a key, every try of the first
two rows got the coach, and the closed tab lost the entry waiting."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from tests.browser.tab import (
    RunningServer,
    a_check_this_morning,
    an_owners_home,
    another_site,
    browser_tab,
    chromium_or_skip,
    coach_processes,
    handshake,
    into_the_session,
    log_held,
    log_rows,
    press,
    scores,
    start_server,
    wait_for_screen,
    wait_until,
)
from tests.faults.tally import Tally

from spasm_coach.paths import DB_NAME
from spasm_coach.restore import read_export
from spasm_coach.store import Store


@pytest.fixture
def chromium() -> str:
    return chromium_or_skip()


@pytest.fixture
def owner(tmp_path: Path) -> Iterator[tuple[Path, RunningServer]]:
    """A data folder with a log, its region chosen, and `spasm-coach serve` on it."""
    home = an_owners_home(tmp_path / "home")
    a_check_this_morning(home)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_server(home, port)
    try:
        yield home, server
    finally:
        server.kill()


@pytest.mark.fault("Browser: a page from another origin")
def test_a_page_from_another_origin_gets_nothing(
    chromium: str, owner: tuple[Path, RunningServer], tmp_path: Path, tally: Tally
) -> None:
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


@pytest.mark.fault("Browser: a client without the key")
def test_a_client_without_the_key_gets_nothing(
    chromium: str, owner: tuple[Path, RunningServer], tmp_path: Path, tally: Tally
) -> None:
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
            try:
                response = visit.page.goto(server.origin + path)
            except PlaywrightError:  # nothing came back at all: nothing was served either
                continue
            status = response.status if response is not None else None
            tally.check(status in (403, 404), f"{path}: {status}")
            tally.check("xterm" not in visit.page.content(), f"{path}: the coach's page")
    for path in ("/ws", f"/{key[:-1]}/ws", "/static/ws", f"/{key.upper()}/ws"):
        tally.tried += 1
        status = handshake(server, path, {"Origin": server.origin})
        tally.check(status != 101, f"websocket at {path} opened without the key")
    tally.check(not coach_processes(server), "a coach was started without the key")
    tally.check(scores(home) == [], "an entry was written")
    tally.done()


@pytest.mark.fault("Browser: a tab closed with an entry waiting")
@pytest.mark.parametrize("how", ["closed", "reloaded"])
def test_a_tab_closed_with_an_entry_waiting_keeps_it(
    chromium: str, owner: tuple[Path, RunningServer], tmp_path: Path, tally: Tally, how: str
) -> None:
    home, server = owner
    tally.how.add("the log's write lock held; the tab closed or reloaded mid-session")
    tally.at_stake()
    with browser_tab(chromium, tmp_path / "profile") as visit:
        visit.page.goto(server.url)
        wait_for_screen(visit.page, "Start a stretch session")
        into_the_session(visit.page, quick=True)
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
    outcomes = [row[0] for row in log_rows(home, "SELECT outcome FROM session")]
    tally.check(outcomes == ["stopped-hurt"], f"the session's outcome: {outcomes}")
    tally.done()
