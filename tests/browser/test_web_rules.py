"""Browser mode's rules without a browser: the names and origins the server answers, what the
coach may ask of its tab, and opening the browser without showing the key to other accounts."""

from __future__ import annotations

import json
import stat
import sys
import webbrowser
from pathlib import Path

import pytest
from tests.browser.tab import FakeServer

from spasm_coach.cli import web

LOOPBACK = web.Doorman("127.0.0.1", 8017)


@pytest.mark.parametrize(
    ("host", "answered"),
    [
        ("127.0.0.1:8017", True),
        ("localhost:8017", True),
        ("LOCALHOST:8017", True),
        ("[::1]:8017", True),
        ("127.0.0.1", False),  # port 80
        ("127.0.0.1:8018", False),
        ("evil.example:8017", False),  # a name rebound to 127.0.0.1
        ("localhost.evil.example:8017", False),
        ("127.0.0.1.nip.io:8017", False),
        ("192.168.1.20:8017", False),  # not where a loopback server is reached
        ("user@127.0.0.1:8017", False),
        ("127.0.0.1:8017/x", False),
        ("127.0.0.1:80x", False),
        ("", False),
        (None, False),
    ],
)
def test_a_loopback_server_answers_only_to_loopback_names(host: str, answered: bool) -> None:
    assert LOOPBACK.answers_to(host) is answered


@pytest.mark.parametrize(
    ("served", "host", "answered"),
    [
        ("0.0.0.0", "192.168.1.20:8017", True),  # a phone on the same network
        ("0.0.0.0", "127.0.0.1:8017", True),
        ("0.0.0.0", "evil.example:8017", False),  # names can be rebound; addresses can't
        ("::", "[fe80::1]:8017", True),
        ("192.168.1.20", "192.168.1.20:8017", True),
        ("192.168.1.20", "192.168.1.21:8017", False),
        ("clinic-laptop.local", "clinic-laptop.local:8017", True),
        ("clinic-laptop.local", "evil.example:8017", False),
        ("clinic-laptop.local", "192.168.1.20:8017", False),
    ],
)
def test_a_server_on_the_network_answers_to_its_own_address(
    served: str, host: str, answered: bool
) -> None:
    assert web.Doorman(served, 8017).answers_to(host) is answered


@pytest.mark.parametrize(
    ("origin", "same"),
    [
        ("http://127.0.0.1:8017", True),
        ("HTTP://127.0.0.1:8017", True),
        ("http://localhost:8017", False),  # the page was asked for as 127.0.0.1
        ("https://127.0.0.1:8017", False),
        ("http://127.0.0.1:8018", False),
        ("http://evil.example", False),
        ("null", False),
        (None, False),
    ],
)
def test_only_the_page_itself_is_its_own_origin(origin: str, same: bool) -> None:
    assert LOOPBACK.same_origin(origin, "127.0.0.1:8017") is same


@pytest.mark.parametrize("kind", ["say", "hush", "bell", "title"])
def test_the_coach_speaks_rings_and_titles_through_its_tab(kind: str) -> None:
    message = web.tab_message({"type": "coach", "kind": kind, "text": "Hold."})
    assert message is not None
    assert json.loads(message) == ["coach", kind, "Hold."]


@pytest.mark.parametrize(
    "meta",
    [
        {"type": "coach", "kind": "open_url", "text": "http://evil.example"},
        {"type": "coach", "kind": "say", "text": 3},
        {"type": "coach", "text": "Hold."},
        {"type": "exit"},
        {"type": "open_url", "url": "http://evil.example", "new_tab": True},
    ],
)
def test_nothing_else_is_passed_to_the_tab_as_the_coachs(meta: dict[str, object]) -> None:
    assert web.tab_message(meta) is None


def test_what_the_tab_is_told_holds_no_control_character_and_has_a_limit() -> None:
    message = web.tab_message(
        {"type": "coach", "kind": "title", "text": "A\x1b]2;x\x07B\x9b" * 200}
    )
    assert message is not None
    text = json.loads(message)[2]
    assert text.startswith("A]2;xB")
    assert all(char.isprintable() for char in text)
    assert len(text) <= web.LONGEST_TAB_TEXT


def test_opening_the_browser_never_puts_the_key_on_a_command_line(tmp_path: Path) -> None:
    opened: list[str] = []
    address = "http://127.0.0.1:8017/abc_KEY-123/"

    def opener(target: str) -> bool:
        opened.append(target)
        return True

    assert web.open_in_browser(address, tmp_path, opener)
    [target] = opened
    assert "KEY" not in target, "other accounts can read a browser's command line"
    page = Path(target.removeprefix("file://"))
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    assert f'url={address}"' in page.read_text()


def test_the_page_that_opens_the_browser_is_gone_when_serving_stops(
    fake_server: list[FakeServer], free_port: int
) -> None:
    """serve --open: the browser is given the private page; the page goes with the server."""
    pages: dict[Path, str] = {}

    def opener(target: str) -> bool:
        page = Path(target.removeprefix("file://"))
        pages[page] = page.read_text()
        return True

    web.serve("127.0.0.1", free_port, open_tab=True, opener=opener)
    [server] = fake_server
    [(page, forwards)] = pages.items()
    assert f"/{server.key}/" in forwards
    assert not page.parent.exists()


def test_no_browser_to_open_is_said_and_serving_goes_on(
    fake_server: list[FakeServer], free_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    web.serve("127.0.0.1", free_port, open_tab=True, opener=lambda target: False)
    assert "no browser could be opened" in capsys.readouterr().out
    assert fake_server[0].served


def test_without_a_desktop_no_text_browser_takes_over_the_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []

    def opener(target: str) -> bool:
        opened.append(target)
        return True

    monkeypatch.setattr(sys, "platform", "linux")  # the sys and webbrowser web.py reads
    monkeypatch.setattr(webbrowser, "open", opener)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not web.desktop_browser("file:///tmp/open.html")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert web.desktop_browser("file:///tmp/open.html")
    assert opened == ["file:///tmp/open.html"]
