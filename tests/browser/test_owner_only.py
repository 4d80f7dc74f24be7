"""Browser mode opens only for its owner: the key in the address `serve` printed, the page's own
origin, and the name the server answers to. Tried the way issue 18 saw them let in: a page from
another site in real Chromium, a browser without the key, a name rebound to 127.0.0.1, and a
script claiming another Origin or Host. Each gets nothing: no coach, no screen, no entry."""

from __future__ import annotations

from pathlib import Path

from tests.browser.tab import (
    Serve,
    another_site,
    browser_tab,
    coach_processes,
    fetch,
    handshake,
    scores,
    screen_text,
    wait_for_screen,
)

from spasm_coach.cli import web


def test_a_page_from_another_origin_gets_nothing(
    chromium: str, serve: Serve, tmp_path: Path, owner_home: Path
) -> None:
    server = serve(owner_home)
    with another_site() as site, browser_tab(chromium, tmp_path / "profile") as visit:
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
    assert scores(owner_home) == [], "another site wrote into the pain log"
    assert not coach_processes(server), "a coach was started for another site"


def test_a_browser_without_the_key_gets_nothing(
    chromium: str, serve: Serve, tmp_path: Path, owner_home: Path
) -> None:
    server = serve(owner_home)
    with browser_tab(chromium, tmp_path / "profile") as visit:
        for path in ("/", "/ws", "/static/js/textual.js", f"/{server.key[:-1]}/"):
            response = visit.page.goto(server.origin + path)
            assert response is not None
            assert response.status == 404, path
            assert visit.page.inner_text("body").strip() == web.NEEDS_KEY
        assert not [url for url in visit.requested if url.startswith("ws")]
        assert not coach_processes(server)

        page = visit.page.goto(server.url)  # the address as printed: the coach, as today
        wait_for_screen(visit.page, "Start a stretch session")
        assert page is not None
        headers = page.headers
        assert headers["x-frame-options"] == "DENY", "no other site may frame the coach"
        assert headers["content-security-policy"] == "frame-ancestors 'none'"
        assert headers["cache-control"] == "no-store"
        assert headers["referrer-policy"] == "no-referrer"
        assert visit.page.title() == "spasm-coach"


def test_a_name_rebound_to_this_computer_is_refused(
    chromium: str, serve: Serve, tmp_path: Path, owner_home: Path
) -> None:
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


def test_a_script_claiming_another_origin_or_host_gets_nothing(
    serve: Serve, owner_home: Path
) -> None:
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
        assert handshake(server, ws, headers) == 403, name
    assert fetch(server, server.path(), {"Host": "evil.example"}) == 403
    assert fetch(server, server.path(), {"Origin": "http://evil.example"}) == 403
    assert handshake(server, "/ws", own) == 404, "no key"
    assert not coach_processes(server)
    assert handshake(server, ws, own) == 101, "the page's own handshake"
    assert scores(owner_home) == []
